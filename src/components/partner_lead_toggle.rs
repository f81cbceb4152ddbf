use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use stylers_macro::style;

use super::error_panel::explain;
use super::partner_list::PartnerEntry;
use super::toast::{ToastKind, use_toasts};
use crate::api;

/// What the toast says once the server agreed: `lead` is what they are now.
pub fn lead_changed(name: &str, team: &str, workspace: &str, lead: bool) -> String {
    if lead {
        format!(
            "{name} is now Partner Lead of {workspace}: they can invite and remove people of \
             {team} there."
        )
    } else {
        format!("{name} is no longer Partner Lead of {workspace}.")
    }
}

/// What the toast says when the change was refused: `lead` is what they still are.
pub fn lead_unchanged(name: &str, lead: bool, why: &str) -> String {
    if lead {
        format!("{name} is still Partner Lead. {why}")
    } else {
        format!("{name} is still not Partner Lead. {why}")
    }
}

/// "Partner Lead" checkbox of one partner in the settings panel: checked at once, sent to
/// the server, and put back as it was (with the reason) if the server refuses. The row's
/// `pending` keeps it from being changed twice at once, with the role and Remove.
#[component]
pub fn PartnerLeadToggle(
    entry: PartnerEntry,
    #[prop(into)] workspace_id: Signal<String>,
    #[prop(into)] workspace_name: Signal<String>,
) -> impl IntoView {
    let class = style! {
        .lead-toggle {
            display: inline-flex;
            align-items: center;
            gap: var(--space-1);
            white-space: nowrap;
            cursor: pointer;
        }
        .lead-toggle input {
            width: 16px;
            height: 16px;
            margin: 0;
            accent-color: var(--color-accent);
        }
        .lead-toggle.disabled {
            cursor: not-allowed;
            opacity: 0.6;
        }
    };
    let toasts = use_toasts();
    let lead = entry.lead;
    let pending = entry.pending;
    let id = format!("partner-lead-{}", entry.user.id);
    let name = entry.user.name.clone();
    let on_change = move |ev| {
        let wanted = event_target_checked(&ev);
        if pending.get_untracked() || wanted == lead.get_untracked() {
            return;
        }
        lead.set(wanted);
        pending.set(true);
        let workspace = workspace_id.get_untracked();
        let workspace_name = workspace_name.get_untracked();
        let entry = entry.clone();
        spawn_local_scoped_with_cancellation(async move {
            let name = &entry.user.name;
            match api::workspace_settings::set_lead(&workspace, &entry.user.id, wanted).await {
                Ok(member) => {
                    lead.set(member.lead);
                    toasts.show(
                        ToastKind::Success,
                        lead_changed(name, &entry.team.name, &workspace_name, member.lead),
                    );
                }
                Err(error) => {
                    lead.set(!wanted);
                    toasts.show(
                        ToastKind::Error,
                        lead_unchanged(name, !wanted, &explain(&error)),
                    );
                }
            }
            pending.set(false);
        });
    };
    view! { class=class,
        <label class="lead-toggle" class:disabled=pending for=id.clone()>
            <input
                type="checkbox"
                id=id.clone()
                prop:checked=lead
                disabled=pending
                on:change=on_change
            />
            "Partner Lead"
            <span class="visually-hidden">{format!(" for {name}")}</span>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toasts_say_what_a_partner_lead_can_do_and_what_stayed() {
        assert_eq!(
            lead_changed("Gary Green", "Globex", "Payments API", true),
            "Gary Green is now Partner Lead of Payments API: they can invite and remove people \
             of Globex there."
        );
        assert_eq!(
            lead_changed("Gary Green", "Globex", "Payments API", false),
            "Gary Green is no longer Partner Lead of Payments API."
        );
        assert_eq!(
            lead_unchanged("Gary Green", false, "Try again in a moment."),
            "Gary Green is still not Partner Lead. Try again in a moment."
        );
        assert_eq!(
            lead_unchanged("Gina Gray", true, "No."),
            "Gina Gray is still Partner Lead. No."
        );
    }
}
