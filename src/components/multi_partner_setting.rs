use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::events::{Event, WorkspaceChange};
use partner_api::workspaces::{SettingsChanged, SettingsPatch, Workspace};
use stylers_macro::style;

use super::dialog::Dialog;
use super::error_panel::explain;
use super::form_failure::FormFailure;
use super::multi_partner_changes::MultiPartnerChanges;
use super::partner_list::PartnerEntry;
use super::switch::Switch;
use super::toast::{ToastKind, use_toasts};
use crate::api;
use crate::api::events::{about_workspace, use_live_events};

/// Who may change multi-partner mode (the server decides; this says it to others).
pub const WHO_CAN_CHANGE: &str = "Only Workspace Admins and Team Admins can change this.";

/// What the mode means, said to the publisher's team.
pub const DESCRIPTION: &str = "Partners can't see each other. Your team still sees everyone.";

/// The success message after the mode changed.
fn changed_message(changed: &SettingsChanged) -> String {
    if changed.workspace.multi_partner_mode {
        let demoted: Vec<&str> = changed
            .role_changes
            .iter()
            .map(|c| c.user.name.as_str())
            .collect();
        match demoted.as_slice() {
            [] => "Multi-partner mode is on. Partners can't see each other.".to_owned(),
            [one] => format!(
                "Multi-partner mode is on. Partners can't see each other; {one} is now a Viewer."
            ),
            many => format!(
                "Multi-partner mode is on. Partners can't see each other; {} are now Viewers.",
                many.join(", ")
            ),
        }
    } else {
        "Multi-partner mode is off. Partners can see each other again.".to_owned()
    }
}

/// "Wanda Wells turned on multi-partner mode just now.": a change someone else made, as a
/// live update tells it.
pub fn changed_by_line(by: &str, change: WorkspaceChange) -> String {
    format!("{by} {} just now.", change.sentence())
}

/// The multi-partner mode switch. Turning it on or off first asks, listing exactly what
/// changes; on Confirm the switch moves at once and rolls back, saying why, if the server
/// refuses or can't be reached. Read-only, with who can change it, for everyone else.
/// When someone else changes the mode, the switch follows (the page reads the workspace
/// again) and a line says who did it.
#[component]
pub fn MultiPartnerSetting(
    workspace: RwSignal<Workspace>,
    partners: RwSignal<Vec<PartnerEntry>>,
    /// Called after a change (turning the mode on frees Editor seats).
    #[prop(into)]
    on_seats_changed: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .multi-partner {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        .actions {
            display: flex;
            justify-content: flex-end;
            gap: var(--space-2);
        }
        .changed-by {
            color: var(--color-text-secondary);
            font-size: var(--text-sm);
            margin: 0;
        }
        .changed-by.quiet {
            margin-top: calc(-1 * var(--space-2));
        }
    };

    // The value shown while the server hasn't answered; `None` shows the saved one.
    let optimistic = RwSignal::new(None::<bool>);
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    // The value the confirmation dialog is asking about.
    let asking = RwSignal::new(None::<bool>);

    let checked = Signal::derive(move || {
        optimistic
            .get()
            .unwrap_or_else(|| workspace.with(|w| w.multi_partner_mode))
    });
    let is_partner = Memo::new(move |_| workspace.with(|w| w.your_role.is_partner()));
    let description = Signal::derive(move || {
        if is_partner.get() {
            workspace.with(|w| {
                format!(
                    "When it's on, partners see only their own team's partners. {} sees everyone.",
                    w.publisher.name
                )
            })
        } else {
            DESCRIPTION.to_owned()
        }
    });
    let disabled_reason = Signal::derive(move || {
        workspace.with(|w| {
            if w.permissions.manage_settings {
                None
            } else if w.your_role.is_partner() {
                Some(format!(
                    "Only Workspace Admins and Team Admins of {} can change this.",
                    w.publisher.name
                ))
            } else {
                Some(WHO_CAN_CHANGE.to_owned())
            }
        })
    });

    // Who changed the mode elsewhere, and to what: the line shows while the switch shows
    // that state. Not for this tab's own change: it is on its way (pending) or already shown.
    let changed_elsewhere = RwSignal::new(None::<(bool, String)>);
    let watched = workspace.with_untracked(|w| w.id.to_string());
    use_live_events().on(
        move |event| about_workspace(event, &watched),
        move |event| {
            let Event::WorkspaceChanged {
                change: change @ WorkspaceChange::MultiPartnerMode { on },
                by,
                ..
            } = event
            else {
                return;
            };
            let on = *on;
            if pending.get_untracked() || workspace.with_untracked(|w| w.multi_partner_mode) == on {
                return;
            }
            // The dialog would ask to do what is done already.
            if asking.get_untracked() == Some(on) {
                asking.set(None);
            }
            changed_elsewhere.set(by.as_deref().map(|by| (on, changed_by_line(by, *change))));
        },
    );
    let changed_line = move || {
        changed_elsewhere.with(|changed| {
            changed
                .as_ref()
                .filter(|(on, _)| optimistic.get().is_none() && checked.get() == *on)
                .map(|(_, line)| line.clone())
        })
    };

    // Confirm is clicked inside the dialog, whose content goes away as it closes: the
    // request belongs to this component instead, so closing doesn't cancel it.
    let owner = StoredValue::new(Owner::current().expect("components run inside an owner"));

    let ask = Callback::new(move |target: bool| {
        failure.set(None);
        asking.set(Some(target));
    });

    let confirm = move |_| {
        let Some(target) = asking.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        asking.set(None);
        changed_elsewhere.set(None);
        optimistic.set(Some(target));
        pending.set(true);
        failure.set(None);
        let id = workspace.with_untracked(|w| w.id.to_string());
        let save = async move {
            let patch = SettingsPatch {
                multi_partner_mode: Some(target),
                ..SettingsPatch::default()
            };
            match api::workspace_settings::update(&id, &patch).await {
                Ok(changed) => {
                    partners.with_untracked(|list| {
                        for change in &changed.role_changes {
                            if let Some(entry) = list.iter().find(|e| e.user.id == change.user.id) {
                                entry.role.set(change.to);
                            }
                        }
                    });
                    toasts.show(ToastKind::Success, changed_message(&changed));
                    workspace.set(changed.workspace);
                    on_seats_changed.run(());
                }
                Err(error) => {
                    let still = if target { "off" } else { "on" };
                    let why = format!("Multi-partner mode is still {still}. {}", explain(&error));
                    failure.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            optimistic.set(None);
            pending.set(false);
        };
        owner.with_value(|owner| owner.with(|| spawn_local_scoped_with_cancellation(save)));
    };

    let title = Signal::derive(move || match asking.get() {
        Some(true) => "Turn on multi-partner mode?".to_owned(),
        Some(false) => "Turn off multi-partner mode?".to_owned(),
        None => String::new(),
    });
    let dialog_body = move || {
        asking.get().map(|turning_on| {
            let members: Vec<_> =
                partners.with_untracked(|list| list.iter().map(PartnerEntry::member).collect());
            view! { class=class,
                <MultiPartnerChanges turning_on=turning_on partners=members />
                <div class="actions">
                    <button type="button" class="button" on:click=move |_| asking.set(None)>
                        "Cancel"
                    </button>
                    <button type="button" class="button button-primary" on:click=confirm>
                        {if turning_on { "Turn on" } else { "Turn off" }}
                    </button>
                </div>
            }
        })
    };

    view! { class=class,
        <div class="multi-partner">
            <Switch
                id="multi-partner-mode"
                label="Multi-partner mode"
                description=description
                checked=checked
                pending=pending
                disabled_reason=disabled_reason
                on_change=ask
            />
            {move || {
                failure
                    .get()
                    .map(|why| {
                        view! { <FormFailure message=why attr:data-testid="multi-partner-error" /> }
                    })
            }}
            <p
                class="changed-by"
                class:quiet=move || changed_line().is_none()
                role="status"
                aria-live="polite"
                data-testid="multi-partner-changed-by"
            >
                {changed_line}
            </p>
        </div>
        <Dialog
            open=Signal::derive(move || asking.read().is_some())
            on_close=move |()| asking.set(None)
            title=title
        >
            {dialog_body}
        </Dialog>
    }
}
