use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::team::{TeamName, TeamPatch, TeamSettings};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};
use crate::session::use_session;

/// Who may rename the team (the server decides; this says it to everyone else).
pub const WHO_CAN_RENAME: &str = "Only Team Admins can change the team's name.";

/// The new name to send, checked as the server checks it: `Ok(None)` when it is the saved
/// one (spaces around it don't count), or why it can't be the team's name.
pub fn name_change(saved: &str, typed: &str) -> Result<Option<String>, &'static str> {
    let name = TeamName::parse(typed)?;
    Ok((name.as_str() != saved).then(|| name.into()))
}

/// The team's name: a form for Team Admins (checked here and by the server), the name and
/// who can change it for everyone else. A new name also shows in the top bar at once.
#[component]
pub fn TeamNameForm(team: RwSignal<TeamSettings>) -> impl IntoView {
    let toasts = use_toasts();
    let session = use_session();
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            max-width: 480px;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            align-items: center;
        }
        .read-only {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .name {
            font-size: var(--text-md);
            font-weight: 600;
            overflow-wrap: anywhere;
        }
        .who {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
    };

    let can_edit = Memo::new(move |_| team.with(|t| t.permissions.manage_team));
    let name = RwSignal::new(team.with_untracked(|t| t.name.clone()));
    // The field's error shows after the first Save and then follows what is typed.
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let check = Memo::new(move |_| team.with(|t| name.with(|typed| name_change(&t.name, typed))));
    let field_error = Signal::derive(move || {
        let client = attempted
            .get()
            .then(|| check.with(|c| c.as_ref().err().map(|e| (*e).to_owned())))
            .flatten();
        client.or_else(|| server_error.get())
    });
    let unchanged = move || check.with(|c| matches!(c, Ok(None)));

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_error.set(None);
        let Ok(Some(new_name)) = check.get_untracked() else {
            return;
        };
        pending.set(true);
        spawn_local_scoped_with_cancellation(async move {
            let patch = TeamPatch {
                name: Some(new_name),
                ..TeamPatch::default()
            };
            match api::team::update(&patch).await {
                Ok(saved) => {
                    name.set(saved.name.clone());
                    attempted.set(false);
                    toasts.show(
                        ToastKind::Success,
                        format!("Your team is now called {}.", saved.name),
                    );
                    // The top bar shows the team's name from the session.
                    if let Some(mut me) = session.me()
                        && let Some(my_team) = me.team.as_mut()
                    {
                        my_team.name = saved.name.clone();
                        session.signed_in(me);
                    }
                    team.set(saved);
                }
                Err(error) => {
                    let field = match &error {
                        ApiError::Server { fields, .. } => fields.get("name").cloned(),
                        _ => None,
                    };
                    match field {
                        Some(why) => server_error.set(Some(why)),
                        None => failure.set(Some(format!("Not saved. {}", explain(&error)))),
                    }
                    toasts.show(ToastKind::Error, format!("Not saved. {}", explain(&error)));
                }
            }
            pending.set(false);
        });
    };

    let discard = move |_| {
        name.set(team.with_untracked(|t| t.name.clone()));
        attempted.set(false);
        server_error.set(None);
        failure.set(None);
    };

    move || {
        if can_edit.get() {
            view! { class=class,
                <form novalidate on:submit=on_submit aria-label="Team name">
                    <Field id="team-name" label="Team name" error=field_error>
                        <input
                            class="input"
                            type="text"
                            autocomplete="organization"
                            maxlength="200"
                            prop:value=name
                            on:input=move |ev| {
                                name.set(event_target_value(&ev));
                                server_error.set(None);
                            }
                        />
                    </Field>
                    {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
                    <div class="actions">
                        <button
                            type="submit"
                            class="button button-primary"
                            disabled=move || pending.get() || unchanged()
                            aria-busy=move || pending.get().then_some("true")
                        >
                            {move || if pending.get() { "Saving…" } else { "Save name" }}
                        </button>
                        <button
                            type="button"
                            class="button"
                            disabled=move || pending.get() || unchanged()
                            on:click=discard
                        >
                            "Discard"
                        </button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            view! { class=class,
                <div class="read-only">
                    <span class="name" data-testid="team-name">
                        {move || team.with(|t| t.name.clone())}
                    </span>
                    <p class="who">{WHO_CAN_RENAME}</p>
                </div>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_different_trimmed_name_is_sent() {
        assert_eq!(
            name_change("Acme Payments", "  Acme Pay "),
            Ok(Some("Acme Pay".to_owned()))
        );
        assert_eq!(name_change("Acme Payments", " Acme Payments "), Ok(None));
    }

    #[test]
    fn names_the_server_would_refuse_are_refused_with_the_reason() {
        assert_eq!(name_change("Acme", "   "), Err("Give the team a name."));
        assert_eq!(
            name_change("Acme", &"x".repeat(101)),
            Err("Use at most 100 characters.")
        );
        assert!(name_change("Acme", "Ac\u{7}me").is_err());
    }
}
