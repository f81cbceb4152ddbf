use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::team::{INVITATION_DAYS, InviteMember, TeamInvitation};
use partner_api::{Email, TeamRole};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// The message once an invitation went out.
pub fn invited_message(invitation: &TeamInvitation) -> String {
    format!(
        "Invitation sent to {}. Its link works for {INVITATION_DAYS} days.",
        invitation.email
    )
}

/// Invite someone to the team by email, as a Member or a Team Admin (Team Admins only): the
/// address is checked before anything is sent; the server's refusals (already a member,
/// already invited) show beside the form.
#[component]
pub fn InviteMemberForm(
    /// Called with each invitation sent.
    #[prop(into)]
    on_invited: Callback<TeamInvitation>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .row {
            display: grid;
            grid-template-columns: minmax(0, 1fr) 180px auto;
            align-items: start;
            gap: var(--space-3);
            max-width: 760px;
        }
        .submit {
            margin-top: 25px;
            height: 36px;
        }
        .select {
            height: 36px;
            width: 100%;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        @media (max-width: 640px) {
            .row {
                grid-template-columns: minmax(0, 1fr);
            }
            .submit {
                margin-top: 0;
                justify-self: start;
            }
        }
    };

    let email = RwSignal::new(String::new());
    let role = RwSignal::new(TeamRole::Member);
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let input = NodeRef::<html::Input>::new();

    let email_error = Signal::derive(move || {
        let client = attempted
            .get()
            .then(|| email.with(|e| Email::parse(e).err().map(|e| e.to_string())))
            .flatten();
        client.or_else(|| server_error.get())
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_error.set(None);
        let Ok(address) = Email::parse(&email.get_untracked()) else {
            if let Some(input) = input.get_untracked() {
                _ = input.focus();
            }
            return;
        };
        pending.set(true);
        let invite = InviteMember {
            email: address.to_string(),
            team_role: Some(role.get_untracked()),
        };
        spawn_local_scoped_with_cancellation(async move {
            match api::team::invite(&invite).await {
                Ok(invitation) => {
                    toasts.show(ToastKind::Success, invited_message(&invitation));
                    email.set(String::new());
                    role.set(TeamRole::Member);
                    attempted.set(false);
                    on_invited.run(invitation);
                }
                Err(error) => {
                    let field = match &error {
                        ApiError::Server { fields, .. } => fields.get("email").cloned(),
                        _ => None,
                    };
                    // Said beside the form (and announced there), not in a toast as well.
                    match field {
                        Some(field) => server_error.set(Some(field)),
                        None => failure.set(Some(format!("Not sent. {}", explain(&error)))),
                    }
                }
            }
            pending.set(false);
        });
    };

    view! { class=class,
        <form novalidate on:submit=on_submit aria-labelledby="invite-members-title">
            <div class="row">
                <Field id="invite-email" label="Email address" error=email_error>
                    <input
                        class="input"
                        type="email"
                        autocomplete="off"
                        inputmode="email"
                        autocapitalize="none"
                        spellcheck="false"
                        placeholder="name@company.com"
                        node_ref=input
                        prop:value=email
                        on:input=move |ev| {
                            email.set(event_target_value(&ev));
                            server_error.set(None);
                        }
                    />
                </Field>
                <Field id="invite-role" label="Team role" error=Signal::derive(|| None::<String>)>
                    <select
                        class="select"
                        prop:value=move || role.get().as_str()
                        on:change=move |ev| {
                            if let Ok(wanted) = event_target_value(&ev).parse() {
                                role.set(wanted);
                            }
                        }
                    >
                        <option value="member">{TeamRole::Member.label()}</option>
                        <option value="admin">{TeamRole::Admin.label()}</option>
                    </select>
                </Field>
                <button
                    type="submit"
                    class="button button-primary submit"
                    disabled=pending
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { "Sending…" } else { "Send invitation" }}
                </button>
            </div>
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_names_the_address_and_how_long_the_link_works() {
        let invitation = TeamInvitation {
            id: "i1".into(),
            email: "nora@acme.test".to_owned(),
            team_role: TeamRole::Member,
            invited_by: None,
            created_at: "2026-05-01T10:00:00Z".to_owned(),
            sent_at: "2026-05-01T10:00:00Z".to_owned(),
            expires_at: "2026-05-15T10:00:00Z".to_owned(),
        };
        assert_eq!(
            invited_message(&invitation),
            "Invitation sent to nora@acme.test. Its link works for 14 days."
        );
    }
}
