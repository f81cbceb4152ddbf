use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::UserId;
use partner_api::team::{MemberRemoved, RemovalImpact, TeamMember};
use stylers_macro::style;

use super::dialog::Dialog;
use super::error_panel::{ErrorPanel, explain};
use super::form_failure::FormFailure;
use super::pagination::counted;
use super::removal_summary::RemovalSummary;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// The message once someone was removed: what ended, in counts.
pub fn removed_message(name: &str, team: &str, removed: &MemberRemoved) -> String {
    let ended: Vec<String> = [
        (
            removed.partner_grants_ended,
            "partner grant",
            "partner grants",
        ),
        (
            removed.workspace_roles_ended,
            "workspace role",
            "workspace roles",
        ),
        (removed.sessions_ended, "session", "sessions"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| counted(u64::from(n), one, many))
    .collect();
    match ended.as_slice() {
        [] => format!("{name} is no longer in {team}."),
        [one] => format!("{name} is no longer in {team}. Ended: {one}."),
        [first @ .., last] => {
            format!(
                "{name} is no longer in {team}. Ended: {} and {last}.",
                first.join(", ")
            )
        }
    }
}

/// "Remove … from the team?": first asks the server what the removal ends and says exactly
/// that (or why it's refused, with no Remove button); Remove ends it all at once. Escape and
/// Cancel close it and give focus back to the button that opened it.
#[component]
pub fn RemoveMemberDialog(
    /// The member asked about; `None` closes the dialog.
    member: RwSignal<Option<TeamMember>>,
    /// The team they would leave.
    #[prop(into)]
    team: Signal<String>,
    /// Called once they were removed.
    #[prop(into)]
    on_removed: Callback<(TeamMember, MemberRemoved)>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .checking {
            color: var(--color-text-secondary);
        }
        .blocked {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        .actions {
            display: flex;
            justify-content: flex-end;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
        .danger {
            background: var(--color-danger);
            border-color: var(--color-danger);
            color: var(--color-danger-text);
        }
    };

    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let member_id = Memo::new(move |_| member.with(|m| m.as_ref().map(|m| m.user.id.clone())));
    // Each answer says whose it is, so another member's dialog never shows the last one's.
    let impact: LocalResource<Option<(UserId, Result<RemovalImpact, ApiError>)>> =
        LocalResource::new(move || {
            let id = member_id.get();
            async move {
                match id {
                    Some(id) => {
                        let answer = api::team::removal(&id).await;
                        Some((id, answer))
                    }
                    None => None,
                }
            }
        });
    let current = Memo::new(move |_| {
        let id = member_id.get()?;
        impact.with(|answer| match answer {
            Some(Some((of, answer))) if *of == id => Some(answer.clone()),
            _ => None,
        })
    });

    // Remove is clicked inside the dialog, whose content goes away as it closes: the request
    // belongs to this component, so closing doesn't cancel it.
    let owner = StoredValue::new(Owner::current().expect("components run inside an owner"));
    let close = move || {
        if !pending.get_untracked() {
            failure.set(None);
            member.set(None);
        }
    };
    let remove = move |_| {
        let Some(who) = member.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let team = team.get_untracked();
        let request = async move {
            match api::team::remove_member(&who.user.id).await {
                Ok(removed) => {
                    toasts.show(
                        ToastKind::Success,
                        removed_message(&who.user.name, &team, &removed),
                    );
                    pending.set(false);
                    member.set(None);
                    on_removed.run((who, removed));
                }
                Err(error) => {
                    let why = format!("{} is still in {team}. {}", who.user.name, explain(&error));
                    failure.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                    pending.set(false);
                    // What the removal would end may have changed (the last Team Admin…).
                    impact.refetch();
                }
            }
        };
        owner.with_value(|owner| owner.with(|| spawn_local_scoped_with_cancellation(request)));
    };

    let blocked = Memo::new(move |_| {
        current.with(|answer| matches!(answer, Some(Ok(impact)) if impact.blocked.is_some()))
    });
    // The title names the action, or says it can't happen.
    let title = Signal::derive(move || {
        member.with(|m| {
            m.as_ref()
                .map(|m| {
                    if blocked.get() {
                        format!("{} can't be removed", m.user.name)
                    } else {
                        format!("Remove {} from {}?", m.user.name, team.get())
                    }
                })
                .unwrap_or_default()
        })
    });
    let can_remove = Memo::new(move |_| {
        current.with(|answer| matches!(answer, Some(Ok(impact)) if impact.blocked.is_none()))
    });
    // What the server said the removal ends (or why it can't happen).
    let what = move || {
        match current.get() {
        None => view! { class=class,
            <p class="checking" role="status">
                {move || {
                    member
                        .with(|m| m.as_ref().map(|m| format!("Checking what {} would lose…", m.user.name)))
                }}
            </p>
        }
        .into_any(),
        Some(Err(error)) => {
            view! { <ErrorPanel error=error on_retry=move |()| impact.refetch() /> }.into_any()
        }
        Some(Ok(impact)) => match impact.blocked.clone() {
            Some(why) => view! { class=class,
                <div class="blocked" data-testid="removal-blocked">
                    <FormFailure message=why />
                </div>
            }
            .into_any(),
            None => view! { <RemovalSummary impact=impact team=team.get_untracked() /> }
                .into_any(),
        },
    }
    };
    // The buttons stay the same elements while the answer loads, so focus stays on them.
    let body = move || {
        view! { class=class,
            {what}
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=pending
                    on:click=move |_| close()
                >
                    {move || if blocked.get() { "Close" } else { "Cancel" }}
                </button>
                {move || {
                    can_remove
                        .get()
                        .then(|| {
                            view! { class=class,
                                <button
                                    type="button"
                                    class="button danger"
                                    disabled=pending
                                    aria-busy=move || pending.get().to_string()
                                    on:click=remove
                                >
                                    {move || {
                                        if pending.get() { "Removing…" } else { "Remove from team" }
                                    }}
                                </button>
                            }
                        })
                }}
            </div>
        }
    };

    view! {
        <Dialog
            open=Signal::derive(move || member.with(Option::is_some))
            on_close=move |()| close()
            title=title
        >
            {body}
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_counts_what_ended() {
        let removed = |grants, roles, sessions| MemberRemoved {
            partner_grants_ended: grants,
            workspace_roles_ended: roles,
            sessions_ended: sessions,
        };
        assert_eq!(
            removed_message("Mike Moore", "Acme", &removed(1, 4, 2)),
            "Mike Moore is no longer in Acme. Ended: 1 partner grant, 4 workspace roles and 2 sessions."
        );
        assert_eq!(
            removed_message("Mike Moore", "Acme", &removed(0, 0, 1)),
            "Mike Moore is no longer in Acme. Ended: 1 session."
        );
        assert_eq!(
            removed_message("Mike Moore", "Acme", &removed(0, 0, 0)),
            "Mike Moore is no longer in Acme."
        );
    }
}
