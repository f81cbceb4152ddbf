use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::team::{TeamPatch, TeamSettings};
use stylers_macro::style;

use super::error_panel::explain;
use super::form_failure::FormFailure;
use super::switch::Switch;
use super::toast::{ToastKind, use_toasts};
use super::verified_domains::VerifiedDomains;
use crate::api;

/// Who may change the SSO setting (the server decides; this says it to everyone else).
pub const WHO_CAN_CHANGE: &str = "Only Team Admins can change this.";

/// What the setting means, and where other companies see it.
pub fn sso_description(team: &str) -> String {
    format!(
        "Everyone in {team} signs in through your identity provider. Publishers whose \
         workspaces your people open see {team} as “SSO enforced” on their Partnerships page."
    )
}

/// The message once the setting changed.
pub fn sso_changed_message(team: &str, enforced: bool) -> String {
    if enforced {
        format!("SSO is required for {team}. Publishers now see your team as SSO enforced.")
    } else {
        format!("SSO is no longer required for {team}. Publishers now see SSO not enforced.")
    }
}

/// The team's own SSO setting: its verified domains (read-only) and "Require SSO for our
/// people", the flag publishers see as "SSO enforced". Team Admins change it; everyone else
/// sees it disabled, with who can.
#[component]
pub fn TeamSsoSetting(team: RwSignal<TeamSettings>) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .sso-setting {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .domains {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        .domains-title {
            font-weight: 600;
        }
        .note {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            max-width: 62ch;
        }
    };

    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let checked = Signal::derive(move || team.with(|t| t.sso_enforced));
    let description = Signal::derive(move || team.with(|t| sso_description(&t.name)));
    let disabled_reason = Signal::derive(move || {
        team.with(|t| (!t.permissions.manage_team).then(|| WHO_CAN_CHANGE.to_owned()))
    });

    let change = move |wanted: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let patch = TeamPatch {
                sso_enforced: Some(wanted),
                ..TeamPatch::default()
            };
            match api::team::update(&patch).await {
                Ok(saved) => {
                    toasts.show(
                        ToastKind::Success,
                        sso_changed_message(&saved.name, saved.sso_enforced),
                    );
                    team.set(saved);
                }
                Err(error) => {
                    let still = if wanted { "not required" } else { "required" };
                    let why = format!("SSO is still {still}. {}", explain(&error));
                    failure.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            pending.set(false);
        });
    };

    let domains = move || {
        team.with(|t| {
            view! {
                <VerifiedDomains
                    domains=t.domains.clone()
                    labelled_by="team-domains-title"
                    empty="No verified domains yet."
                />
            }
        })
    };

    view! { class=class,
        <div class="sso-setting">
            <div class="domains">
                <span class="domains-title" id="team-domains-title">"Verified domains"</span>
                {domains}
                <p class="note">
                    "Addresses at these domains belong to your team. Domains are verified \
                     through DNS; adding one isn't available in the app yet."
                </p>
            </div>
            <Switch
                id="team-sso"
                label="Require SSO for our people"
                description=description
                checked=checked
                pending=pending
                disabled_reason=disabled_reason
                on_change=change
            />
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_says_what_publishers_see() {
        assert!(sso_description("Acme Payments").contains("see Acme Payments as “SSO enforced”"));
        assert!(sso_changed_message("Acme", true).contains("SSO enforced"));
        assert!(sso_changed_message("Acme", false).contains("SSO not enforced"));
    }
}
