use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::workspaces::{SettingsPatch, Workspace, WorkspaceName, WorkspaceSummary};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// What the General form would send: only the fields that changed, checked as the server
/// checks them; or why not, per field.
fn general_patch(
    saved: &Workspace,
    name: &str,
    summary: &str,
) -> Result<SettingsPatch, BTreeMap<&'static str, &'static str>> {
    let mut errors = BTreeMap::new();
    let name = WorkspaceName::parse(name).map_err(|e| errors.insert("name", e));
    let summary = WorkspaceSummary::parse(summary).map_err(|e| errors.insert("summary", e));
    match (name, summary) {
        (Ok(name), Ok(summary)) => Ok(SettingsPatch {
            name: (name.as_str() != saved.name).then(|| name.into()),
            summary: (summary.as_str() != saved.summary).then(|| summary.into()),
            ..SettingsPatch::default()
        }),
        _ => Err(errors),
    }
}

/// General: the workspace's name and summary, editable by those who manage its settings
/// (checked here and by the server), read-only for everyone else.
#[component]
pub fn GeneralSettings(workspace: RwSignal<Workspace>) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        form, .read-only {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            max-width: 640px;
        }
        dt {
            font-weight: 600;
        }
        dl {
            margin: 0;
            display: grid;
            grid-template-columns: 120px 1fr;
            gap: var(--space-2) var(--space-4);
        }
        dd {
            margin: 0;
        }
        .empty {
            color: var(--color-text-secondary);
        }
        textarea {
            min-height: 60px;
            padding: var(--space-2) var(--space-3);
            resize: vertical;
            line-height: 1.5;
            height: auto;
        }
        .counter {
            font-variant-numeric: tabular-nums;
            margin-left: auto;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            align-items: center;
        }
        .who {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        @media (max-width: 640px) {
            dl {
                grid-template-columns: 1fr;
            }
        }
    };

    let can_edit = Memo::new(move |_| workspace.with(|w| w.permissions.manage_settings));
    let name = RwSignal::new(workspace.with_untracked(|w| w.name.clone()));
    let summary = RwSignal::new(workspace.with_untracked(|w| w.summary.clone()));
    // Field errors show after the first Save and then follow what is typed.
    let attempted = RwSignal::new(false);
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let check = Memo::new(move |_| {
        workspace.with(|saved| name.with(|n| summary.with(|s| general_patch(saved, n, s))))
    });
    let field_error = move |field: &'static str| {
        let client = attempted
            .get()
            .then(|| check.with(|c| c.as_ref().err().and_then(|e| e.get(field).copied())))
            .flatten()
            .map(str::to_owned);
        client.or_else(|| server_fields.with(|f| f.get(field).cloned()))
    };
    let unchanged = move || {
        check.with(|c| {
            c.as_ref()
                .is_ok_and(|patch| patch.name.is_none() && patch.summary.is_none())
        })
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_fields.set(BTreeMap::new());
        let Ok(patch) = check.get_untracked() else {
            return;
        };
        if patch.name.is_none() && patch.summary.is_none() {
            return;
        }
        pending.set(true);
        let id = workspace.with_untracked(|w| w.id.to_string());
        spawn_local_scoped_with_cancellation(async move {
            match api::workspace_settings::update(&id, &patch).await {
                Ok(changed) => {
                    name.set(changed.workspace.name.clone());
                    summary.set(changed.workspace.summary.clone());
                    attempted.set(false);
                    toasts.show(
                        ToastKind::Success,
                        format!("Saved the name and summary of {}.", changed.workspace.name),
                    );
                    workspace.set(changed.workspace);
                }
                Err(error) => {
                    if let ApiError::Server { fields, .. } = &error
                        && !fields.is_empty()
                    {
                        server_fields.set(fields.clone());
                    } else {
                        failure.set(Some(explain(&error)));
                    }
                    toasts.show(ToastKind::Error, format!("Not saved. {}", explain(&error)));
                }
            }
            pending.set(false);
        });
    };

    let reset = move |_| {
        name.set(workspace.with_untracked(|w| w.name.clone()));
        summary.set(workspace.with_untracked(|w| w.summary.clone()));
        attempted.set(false);
        server_fields.set(BTreeMap::new());
        failure.set(None);
    };

    let form = move || {
        view! { class=class,
            <form novalidate on:submit=on_submit aria-label="Name and summary">
                <Field
                    id="workspace-name"
                    label="Name"
                    error=move || field_error("name")
                >
                    <input
                        class="input"
                        type="text"
                        maxlength="200"
                        prop:value=name
                        on:input=move |ev| {
                            name.set(event_target_value(&ev));
                            server_fields.update(|f| _ = f.remove("name"));
                        }
                    />
                </Field>
                <Field
                    id="workspace-summary"
                    label="Summary"
                    error=move || field_error("summary")
                    hint=move || {
                        view! { class=class,
                            <span class="counter">
                                {move || {
                                    format!(
                                        "{} / {}",
                                        summary.with(|s| s.trim().chars().count()),
                                        WorkspaceSummary::MAX_CHARS,
                                    )
                                }}
                            </span>
                        }
                    }
                >
                    <textarea
                        class="input"
                        rows="2"
                        prop:value=summary
                        on:input=move |ev| {
                            summary.set(event_target_value(&ev));
                            server_fields.update(|f| _ = f.remove("summary"));
                        }
                    ></textarea>
                </Field>
                {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
                <div class="actions">
                    <button
                        type="submit"
                        class="button button-primary"
                        disabled=move || pending.get() || unchanged()
                    >
                        {move || if pending.get() { "Saving…" } else { "Save changes" }}
                    </button>
                    <button
                        type="button"
                        class="button"
                        disabled=move || pending.get() || unchanged()
                        on:click=reset
                    >
                        "Discard"
                    </button>
                </div>
            </form>
        }
    };

    let read_only = move || {
        workspace.with(|w| {
            let summary = if w.summary.is_empty() {
                view! { class=class, <dd class="empty">"No summary"</dd> }.into_any()
            } else {
                view! { class=class, <dd>{w.summary.clone()}</dd> }.into_any()
            };
            view! { class=class,
                <div class="read-only">
                    <dl>
                        <dt>"Name"</dt>
                        <dd>{w.name.clone()}</dd>
                        <dt>"Summary"</dt>
                        {summary}
                        <dt>"Published by"</dt>
                        <dd>{w.publisher.name.clone()}</dd>
                    </dl>
                    <p class="who">
                        {if w.your_role.is_partner() {
                            format!(
                                "Only Workspace Admins and Team Admins of {} can change these.",
                                w.publisher.name,
                            )
                        } else {
                            "Only Workspace Admins and Team Admins can change these.".to_owned()
                        }}
                    </p>
                </div>
            }
        })
    };

    move || {
        if can_edit.get() {
            form().into_any()
        } else {
            read_only().into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_api::workspaces::{Publisher, Visibility, WorkspacePermissions};
    use partner_api::{WorkspaceId, YourRole};

    fn payments() -> Workspace {
        Workspace {
            id: WorkspaceId::from("w1"),
            name: "Payments API".to_owned(),
            summary: "Card payments.".to_owned(),
            publisher: Publisher {
                id: "t1".into(),
                name: "Acme Payments".to_owned(),
            },
            visibility: Visibility::Partner,
            multi_partner_mode: false,
            legacy: false,
            migration_state: None,
            sso_required: false,
            your_role: YourRole::Admin,
            permissions: WorkspacePermissions {
                manage_settings: true,
                manage_partners: true,
                lead_own_team: false,
            },
        }
    }

    #[test]
    fn only_changed_fields_are_sent_trimmed() {
        let patch = general_patch(&payments(), "  Payments API v2 ", "Card payments.").unwrap();
        assert_eq!(patch.name.as_deref(), Some("Payments API v2"));
        assert_eq!(patch.summary, None);
        let patch = general_patch(&payments(), "Payments API", " Card payments. ").unwrap();
        assert_eq!(patch, SettingsPatch::default());
    }

    #[test]
    fn bad_names_and_summaries_are_refused_per_field() {
        let errors = general_patch(&payments(), "  ", &"x".repeat(501)).unwrap_err();
        assert_eq!(errors.get("name"), Some(&"Give the workspace a name."));
        assert_eq!(errors.get("summary"), Some(&"Use at most 500 characters."));
    }
}
