use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::workspaces::{SettingsPatch, Visibility, Workspace};
use stylers_macro::style;

use super::dialog::Dialog;
use super::error_panel::explain;
use super::partner_list::PartnerEntry;
use super::toast::{ToastKind, use_toasts};
use crate::api;

/// Whether what was typed confirms the workspace's name (exactly, apart from spaces around).
pub fn confirms(typed: &str, name: &str) -> bool {
    typed.trim() == name
}

/// "2 partners from Globex", "3 partners from Globex and Initech"; with `more` partners the
/// list doesn't hold, "243 partners from Globex, Initech and other teams".
fn partners_phrase(partners: &[PartnerEntry], more: u32) -> String {
    let mut teams: Vec<&str> = Vec::new();
    for partner in partners {
        if !teams.contains(&partner.team.name.as_str()) {
            teams.push(&partner.team.name);
        }
    }
    let people = match partners.len() + more as usize {
        1 => "1 partner".to_owned(),
        n => format!("{n} partners"),
    };
    let teams = match (teams.as_slice(), more) {
        ([], _) => String::new(),
        (listed, 1..) => format!("{} and other teams", listed.join(", ")),
        ([one], 0) => (*one).to_owned(),
        ([rest @ .., last], 0) => format!("{} and {last}", rest.join(", ")),
    };
    format!("{people} from {teams}")
}

/// Danger zone: convert a partner workspace to internal, which removes every partner,
/// behind a confirmation that asks for the workspace's name to be typed.
#[component]
pub fn DangerZone(
    workspace: RwSignal<Workspace>,
    partners: RwSignal<Vec<PartnerEntry>>,
    /// Partners the list doesn't hold (the server capped it), and whether it is a search's
    /// result (then it doesn't say who everyone is).
    more: RwSignal<u32>,
    #[prop(into)] searching: Signal<bool>,
    /// Called after the change (removed Editors free their seats).
    #[prop(into)]
    on_seats_changed: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .danger-zone {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-3) var(--space-5);
            padding: var(--space-4);
            border: 1px solid var(--color-danger);
            border-radius: var(--radius-card);
        }
        .what {
            flex: 1 1 320px;
            display: flex;
            flex-direction: column;
            gap: 2px;
        }
        .title {
            font-weight: 600;
        }
        .detail {
            color: var(--color-text-secondary);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        .typed-name {
            font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
            background: var(--color-surface);
            padding: 0 4px;
            border-radius: 4px;
        }
        .dialog-error {
            color: var(--color-danger);
        }
        .actions {
            display: flex;
            justify-content: flex-end;
            gap: var(--space-2);
        }
        .button-danger-solid {
            background: var(--color-danger);
            border-color: var(--color-danger);
            color: var(--color-danger-text);
        }
    };
    let open = RwSignal::new(false);
    let typed = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);

    let name = Memo::new(move |_| workspace.with(|w| w.name.clone()));
    let confirmed = move || typed.with(|t| name.with(|n| confirms(t, n)));
    let consequence = move || {
        partners.with(|p| {
            if searching.get() {
                "Removes every partner of this workspace at once. Afterwards only your team can \
                 open it."
                    .to_owned()
            } else if p.is_empty() && more.get() == 0 {
                "It has no partners now. Afterwards only your team can open it.".to_owned()
            } else {
                format!(
                    "Removes {} at once. Afterwards only your team can open it.",
                    partners_phrase(p, more.get())
                )
            }
        })
    };

    let convert = move |_| {
        if !confirmed() || pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let id = workspace.with_untracked(|w| w.id.to_string());
        spawn_local_scoped_with_cancellation(async move {
            let patch = SettingsPatch {
                visibility: Some(Visibility::Internal),
                ..SettingsPatch::default()
            };
            match api::workspace_settings::update(&id, &patch).await {
                Ok(changed) => {
                    let removed = changed.partners_removed;
                    toasts.show(
                        ToastKind::Success,
                        format!(
                            "{} is now internal. {} removed.",
                            changed.workspace.name,
                            match removed {
                                1 => "1 partner was".to_owned(),
                                n => format!("{n} partners were"),
                            }
                        ),
                    );
                    open.set(false);
                    partners.set(Vec::new());
                    more.set(0);
                    workspace.set(changed.workspace);
                    on_seats_changed.run(());
                }
                Err(error) => {
                    let why = format!("The workspace is still shared. {}", explain(&error));
                    failure.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            pending.set(false);
        });
    };

    let dialog_body = move || {
        view! { class=class,
            <p>{consequence} " This can't be undone: you would have to invite each partner again."</p>
            <div class="field">
                <label for="confirm-workspace-name">
                    "Type " <span class="typed-name">{move || name.get()}</span> " to confirm"
                </label>
                <input
                    id="confirm-workspace-name"
                    class="input"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=typed
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
            </div>
            {move || {
                failure
                    .get()
                    .map(|why| view! { class=class, <p class="dialog-error" role="alert">{why}</p> })
            }}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=move || pending.get()
                    on:click=move |_| open.set(false)
                >
                    "Cancel"
                </button>
                <button
                    type="button"
                    class="button button-danger-solid"
                    disabled=move || !confirmed() || pending.get()
                    on:click=convert
                >
                    {move || if pending.get() { "Converting…" } else { "Convert to internal" }}
                </button>
            </div>
        }
    };

    view! { class=class,
        <div class="danger-zone">
            <div class="what">
                <span class="title">"Convert to internal workspace"</span>
                <span class="detail">{consequence}</span>
            </div>
            <button
                type="button"
                class="button button-danger"
                on:click=move |_| {
                    typed.set(String::new());
                    failure.set(None);
                    open.set(true);
                }
            >
                "Convert to internal…"
            </button>
        </div>
        <Dialog
            open=open
            on_close=move |()| {
                if !pending.get_untracked() {
                    open.set(false);
                }
            }
            title=Signal::derive(move || format!("Convert {} to internal?", name.get()))
        >
            {dialog_body}
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partners_removed_are_counted_with_their_teams() {
        let entry = |name: &str, team: &str| PartnerEntry {
            ends_at: RwSignal::new(None),
            user: partner_api::session::UserRef {
                id: name.into(),
                name: name.to_owned(),
                email: format!("{name}@x.test"),
            },
            team: partner_api::partnerships::TeamRef {
                id: team.into(),
                name: team.to_owned(),
                domain: "x.test".to_owned(),
            },
            sso_enforced: false,
            role: RwSignal::new(partner_api::PartnerRole::Viewer),
            pending: RwSignal::new(false),
            lead: RwSignal::new(false),
            invited_by: None,
        };
        assert_eq!(
            partners_phrase(&[entry("a", "Globex")], 0),
            "1 partner from Globex"
        );
        assert_eq!(
            partners_phrase(&[entry("a", "Globex"), entry("c", "Initech")], 241),
            "243 partners from Globex, Initech and other teams"
        );
        assert_eq!(
            partners_phrase(
                &[
                    entry("a", "Globex"),
                    entry("b", "Globex"),
                    entry("c", "Initech"),
                    entry("d", "Umbrella"),
                ],
                0
            ),
            "4 partners from Globex, Initech and Umbrella"
        );
    }

    #[test]
    fn only_the_exact_name_confirms() {
        assert!(confirms("Payments API", "Payments API"));
        assert!(confirms("  Payments API ", "Payments API"));
        assert!(!confirms("payments api", "Payments API"));
        assert!(!confirms("Payments", "Payments API"));
        assert!(!confirms("", "Payments API"));
    }
}
