use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::session::new_password_problem;
use partner_api::team::{AcceptInvitation, person_name_problem};
use partner_api::{ErrorCode, Me};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use crate::api::{self, ApiError};

/// Why a password can't be a new account's, if it can't (as the server checks it).
pub fn password_problem(password: &str) -> Option<&'static str> {
    if password.is_empty() {
        Some("Choose a password.")
    } else {
        new_password_problem(password, "")
    }
}

/// Why the sign-up was not sent, per field (`name`, `password`).
pub fn signup_problems(name: &str, password: &str) -> BTreeMap<&'static str, &'static str> {
    let mut problems = BTreeMap::new();
    if let Some(why) = person_name_problem(name) {
        problems.insert("name", why);
    }
    if let Some(why) = password_problem(password) {
        problems.insert("password", why);
    }
    problems
}

/// Joining a team without an account yet: name and password (12 characters or more) for the
/// invited address, which create the account, join the team and sign in, in one step.
#[component]
pub fn JoinSignupForm(
    /// The invitation link's token.
    #[prop(into)]
    token: String,
    /// The invited address (the account's; it can't be changed here).
    #[prop(into)]
    email: String,
    /// The team joined.
    #[prop(into)]
    team: String,
    /// Called with the new session once the account exists and is in the team.
    #[prop(into)]
    on_joined: Callback<Me>,
) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .address {
            display: flex;
            flex-direction: column;
            gap: 2px;
        }
        .address-label {
            font-weight: 600;
        }
        .address-value {
            overflow-wrap: anywhere;
        }
        .submit {
            justify-content: center;
            height: 36px;
        }
    };

    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let name_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();

    let problems = Memo::new(move |_| {
        if !attempted.get() {
            return BTreeMap::new();
        }
        name.with(|n| password.with(|p| signup_problems(n, p)))
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            problems
                .with(|p| p.get(field).map(|why| (*why).to_owned()))
                .or_else(|| server_fields.with(|f| f.get(field).cloned()))
        })
    };
    let token = StoredValue::new(token);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_fields.set(BTreeMap::new());
        let (typed_name, typed_password) = (name.get_untracked(), password.get_untracked());
        let problems = signup_problems(&typed_name, &typed_password);
        if !problems.is_empty() {
            let first = if problems.contains_key("name") {
                name_input
            } else {
                password_input
            };
            if let Some(input) = first.get_untracked() {
                _ = input.focus();
            }
            return;
        }
        pending.set(true);
        let accept = AcceptInvitation {
            name: Some(typed_name.trim().to_owned()),
            password: Some(typed_password),
        };
        spawn_local_scoped_with_cancellation(async move {
            match api::invitations::accept(&token.get_value(), &accept).await {
                // `pending` stays on: the page is about to be left.
                Ok(me) => on_joined.run(me),
                Err(error) => {
                    match &error {
                        ApiError::Server { code, fields, .. }
                            if *code == ErrorCode::Invalid && !fields.is_empty() =>
                        {
                            server_fields.set(fields.clone());
                        }
                        _ => failure.set(Some(explain(&error))),
                    }
                    pending.set(false);
                }
            }
        });
    };

    let button_label = format!("Create account and join {team}");
    view! { class=class,
        <form novalidate on:submit=on_submit aria-label="Create your account">
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
            <div class="address">
                <span class="address-label">"Email"</span>
                <span class="address-value" data-testid="join-email">{email}</span>
            </div>
            <Field id="join-name" label="Your name" error=error_of("name")>
                <input
                    class="input"
                    type="text"
                    name="name"
                    autocomplete="name"
                    maxlength="200"
                    node_ref=name_input
                    prop:value=name
                    on:input=move |ev| {
                        name.set(event_target_value(&ev));
                        server_fields.update(|f| _ = f.remove("name"));
                    }
                />
            </Field>
            <Field
                id="join-password"
                label="Password"
                error=error_of("password")
                hint=|| "At least 12 characters."
            >
                <input
                    class="input"
                    type="password"
                    name="new-password"
                    autocomplete="new-password"
                    node_ref=password_input
                    prop:value=password
                    on:input=move |ev| {
                        password.set(event_target_value(&ev));
                        server_fields.update(|f| _ = f.remove("password"));
                    }
                />
            </Field>
            <button
                type="submit"
                class="button button-primary submit"
                disabled=pending
                aria-busy=move || pending.get().then_some("true")
            >
                {move || if pending.get() { "Creating your account…".to_owned() } else { button_label.clone() }}
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_account_needs_a_name_and_a_twelve_character_password() {
        let problems = signup_problems(" ", "");
        assert_eq!(problems.get("name"), Some(&"Enter your name."));
        assert_eq!(problems.get("password"), Some(&"Choose a password."));
        assert_eq!(
            signup_problems("Nora North", "short").get("password"),
            Some(&"Use at least 12 characters.")
        );
        assert!(signup_problems("Nora North", "twelve-chars").is_empty());
    }
}
