use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::TeamId;
use stylers_macro::style;

use super::error_panel::explain;
use super::form_failure::FormFailure;
use super::icon::{Icon, IconName};
use super::switch::Switch;
use super::toast::{ToastKind, use_toasts};
use crate::api;

/// What the switch means for the partner team's people.
pub fn requirement_description(team: &str) -> String {
    format!(
        "{team} people open your workspaces only after signing in through their company's \
         identity provider. A password session gets a page that asks them to sign in with SSO."
    )
}

/// The warning when the partner team has no identity provider set up here.
pub fn unavailable_warning(team: &str) -> String {
    format!(
        "{team} has no SSO provider set up here: requiring SSO keeps its people out until they \
         set one up."
    )
}

/// The message once the requirement changed.
pub fn requirement_changed(team: &str, required: bool) -> String {
    if required {
        format!("{team} people now need SSO to open your workspaces.")
    } else {
        format!("{team} people can open your workspaces with a password again.")
    }
}

/// "Require SSO for Globex people": a publisher's policy for one partner team (Team Admins
/// and Partner Managers). Saved at once; on failure the switch stays as it was and says why.
#[component]
pub fn PartnerSsoRequirement(
    team: TeamId,
    #[prop(into)] team_name: String,
    /// Whether it is required now.
    required: bool,
    /// The team has an identity provider here (without one, requiring SSO locks it out).
    available: bool,
    /// The requirement changed (lists show it).
    #[prop(into)]
    on_changed: Callback<bool>,
) -> impl IntoView {
    let class = style! {
        .sso-requirement {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .warning {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            margin: 0;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--color-warning);
            border-radius: var(--radius-control);
            background: var(--color-warning-soft);
        }
        .mark {
            flex: none;
            display: flex;
            padding-top: 2px;
            color: var(--color-warning);
        }
    };
    let toasts = use_toasts();
    let checked = RwSignal::new(required);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let team = StoredValue::new(team);
    let name = StoredValue::new(team_name.clone());
    let id = format!(
        "sso-requirement-{}",
        team.with_value(|t| t.as_str().to_owned())
    );
    let description = Signal::stored(requirement_description(&team_name));
    let warning = (!available).then(|| unavailable_warning(&team_name));

    let change = move |wanted: bool| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        spawn_local_scoped_with_cancellation(async move {
            match api::sso::set_requirement(&team.get_value(), wanted).await {
                Ok(()) => {
                    checked.set(wanted);
                    toasts.show(
                        ToastKind::Success,
                        requirement_changed(&name.get_value(), wanted),
                    );
                    on_changed.run(wanted);
                }
                Err(error) => {
                    let still = if wanted {
                        "still not required"
                    } else {
                        "still required"
                    };
                    let why = format!(
                        "SSO is {still} for {} people. {}",
                        name.get_value(),
                        explain(&error)
                    );
                    failure.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            pending.set(false);
        });
    };

    view! { class=class,
        <div class="sso-requirement">
            <Switch
                id=id
                label=format!("Require SSO for {team_name} people")
                description=description
                checked=checked
                pending=pending
                on_change=change
            />
            {warning
                .map(|warning| {
                    view! { class=class,
                        <p class="warning" data-testid="sso-unavailable">
                            <span class="mark" aria-hidden="true">
                                <Icon name=IconName::Alert />
                            </span>
                            <span>{warning}</span>
                        </p>
                    }
                })}
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirement_is_explained_in_the_partner_teams_name() {
        assert_eq!(
            unavailable_warning("Soylent"),
            "Soylent has no SSO provider set up here: requiring SSO keeps its people out until \
             they set one up."
        );
        assert!(requirement_description("Globex").starts_with("Globex people open"));
        assert!(requirement_changed("Globex", true).contains("need SSO"));
        assert!(requirement_changed("Globex", false).contains("with a password again"));
    }
}
