use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::ChangePassword;
use partner_api::session::new_password_problem;
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// What the toast says once the password is changed.
pub const CHANGED: &str = "Password changed. You were signed out everywhere else.";

/// Why the form was not sent, per field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct FieldErrors {
    current: Option<&'static str>,
    new: Option<&'static str>,
    confirm: Option<&'static str>,
}

/// Checks the form as the server will, and that the new password was typed twice alike.
fn check(current: &str, new: &str, confirm: &str) -> Result<ChangePassword, FieldErrors> {
    let errors = FieldErrors {
        current: current.is_empty().then_some("Enter your current password."),
        new: new_password_problem(new, current),
        confirm: (confirm != new).then_some("This doesn't match the new password."),
    };
    if errors == FieldErrors::default() {
        Ok(ChangePassword {
            current_password: current.to_owned(),
            new_password: new.to_owned(),
        })
    } else {
        Err(errors)
    }
}

/// The form of "Change password": current, new and again; inline errors, a pending
/// button, and a toast once done. `email` fills the hidden username field that tells
/// password managers whose password this is.
#[component]
pub fn ChangePasswordForm(
    #[prop(into)] email: String,
    /// Whether a change is under way (the dialog then stays open).
    pending: RwSignal<bool>,
    /// Called once the password is changed, and by Cancel.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    // Field errors show after the first submit and then follow what is typed.
    let attempted = RwSignal::new(false);
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<String>);
    // Three refs (`[NodeRef::new(); 3]` would copy one).
    let inputs: [NodeRef<html::Input>; 3] = std::array::from_fn(|_| NodeRef::new());

    let client_errors = Memo::new(move |_| {
        if !attempted.get() {
            return FieldErrors::default();
        }
        current
            .with(|c| new.with(|n| confirm.with(|a| check(c, n, a))))
            .err()
            .unwrap_or_default()
    });
    let error = move |field: &'static str, client: fn(&FieldErrors) -> Option<&'static str>| {
        move || {
            client_errors
                .with(client)
                .map(str::to_owned)
                .or_else(|| server_fields.with(|f| f.get(field).cloned()))
        }
    };
    let typed = move |signal: RwSignal<String>, field: &'static str| {
        move |ev| {
            signal.set(event_target_value(&ev));
            server_fields.update(|f| _ = f.remove(field));
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_fields.set(BTreeMap::new());
        let change = match check(
            &current.get_untracked(),
            &new.get_untracked(),
            &confirm.get_untracked(),
        ) {
            Ok(change) => change,
            Err(errors) => {
                let first = [errors.current, errors.new, errors.confirm]
                    .iter()
                    .position(Option::is_some)
                    .unwrap_or(0);
                if let Some(input) = inputs[first].get_untracked() {
                    _ = input.focus();
                }
                return;
            }
        };
        pending.set(true);
        spawn_local_scoped_with_cancellation(async move {
            let answer = api::session::change_password(&change).await;
            pending.set(false);
            match answer {
                Ok(()) => {
                    toasts.show(ToastKind::Success, CHANGED);
                    on_done.run(());
                }
                Err(error) => {
                    if let ApiError::Server { fields, .. } = &error
                        && !fields.is_empty()
                    {
                        let first = ["current_password", "new_password"]
                            .iter()
                            .position(|f| fields.contains_key(*f))
                            .unwrap_or(0);
                        server_fields.set(fields.clone());
                        if let Some(input) = inputs[first].get_untracked() {
                            _ = input.focus();
                        }
                    } else {
                        failure.set(Some(explain(&error)));
                    }
                }
            }
        });
    };

    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .lede {
            color: var(--color-text-secondary);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            justify-content: flex-end;
            gap: var(--space-2);
        }
    };
    view! { class=class,
        <form novalidate on:submit=on_submit>
            <p class="lede">
                "Changing it signs you out in every other browser and device. You stay signed in here."
            </p>
            // Tells password managers which account the new password belongs to.
            <input type="text" name="username" autocomplete="username" value=email readonly hidden />
            {move || failure.get().map(|message| view! { <FormFailure message=message /> })}
            <Field
                id="password-current"
                label="Current password"
                error=Signal::derive(error("current_password", |e| e.current))
            >
                <input
                    class="input"
                    type="password"
                    name="current-password"
                    autocomplete="current-password"
                    autofocus
                    node_ref=inputs[0]
                    prop:value=current
                    on:input=typed(current, "current_password")
                />
            </Field>
            <Field
                id="password-new"
                label="New password"
                error=Signal::derive(error("new_password", |e| e.new))
                hint=|| "At least 12 characters."
            >
                <input
                    class="input"
                    type="password"
                    name="new-password"
                    autocomplete="new-password"
                    node_ref=inputs[1]
                    prop:value=new
                    on:input=typed(new, "new_password")
                />
            </Field>
            <Field
                id="password-confirm"
                label="New password again"
                error=Signal::derive(error("confirm", |e| e.confirm))
            >
                <input
                    class="input"
                    type="password"
                    name="confirm-password"
                    autocomplete="new-password"
                    node_ref=inputs[2]
                    prop:value=confirm
                    on:input=typed(confirm, "confirm")
                />
            </Field>
            <div class="actions">
                <button
                    type="button"
                    class="button"
                    disabled=pending
                    on:click=move |_| on_done.run(())
                >
                    "Cancel"
                </button>
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=pending
                    aria-busy=move || pending.get().to_string()
                >
                    {move || if pending.get() { "Changing password…" } else { "Change password" }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_says_what_is_missing() {
        let errors = check("", "short", "other").unwrap_err();
        assert_eq!(errors.current, Some("Enter your current password."));
        assert_eq!(errors.new, Some("Use at least 12 characters."));
        assert_eq!(errors.confirm, Some("This doesn't match the new password."));
    }

    #[test]
    fn a_good_change_is_sent_as_typed() {
        let change = check("partner-demo", "a new passphrase", "a new passphrase").unwrap();
        assert_eq!(change.current_password, "partner-demo");
        assert_eq!(change.new_password, "a new passphrase");
        let same = check("partner-demo", "partner-demo", "partner-demo").unwrap_err();
        assert!(same.new.is_some() && same.confirm.is_none());
    }
}
