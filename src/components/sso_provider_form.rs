use std::collections::BTreeMap;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::sso::{SetSsoProvider, SsoSettings};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// The hint under the secret once one is stored.
pub const SECRET_STORED: &str = "A secret is stored; leave empty to keep it.";

/// Why the server can't take a client secret.
pub const CANT_STORE_SECRETS: &str = "This server can't store client secrets yet: it was \
    started without its secret key. Ask whoever runs Partner Workspaces for your company to \
    set it, then come back to save the provider.";

/// Why each field is refused, by the name the server uses (`issuer`, `client_id`,
/// `client_secret`).
pub type FieldErrors = BTreeMap<String, String>;

/// Checks the form as far as it can be checked here; the server reads the issuer's discovery
/// document and has the last word.
pub fn check(
    issuer: &str,
    client_id: &str,
    client_secret: &str,
    secret_stored: bool,
) -> Result<SetSsoProvider, FieldErrors> {
    let mut errors = FieldErrors::new();
    let issuer = issuer.trim();
    if issuer.is_empty() {
        errors.insert("issuer".into(), "Enter your provider's issuer URL.".into());
    } else if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
        errors.insert(
            "issuer".into(),
            "Enter the whole URL, starting with https://.".into(),
        );
    }
    let client_id = client_id.trim();
    if client_id.is_empty() {
        errors.insert(
            "client_id".into(),
            "Enter the client ID your provider gave this app.".into(),
        );
    }
    let secret = client_secret.trim();
    if secret.is_empty() && !secret_stored {
        errors.insert(
            "client_secret".into(),
            "Enter the client secret your provider gave this app.".into(),
        );
    }
    if errors.is_empty() {
        Ok(SetSsoProvider {
            issuer: issuer.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: (!secret.is_empty()).then(|| secret.to_owned()),
        })
    } else {
        Err(errors)
    }
}

/// The team's OpenID Connect provider: issuer URL, client ID and a write-only client secret.
/// Checked here, then by the server (which reads the provider's discovery document); its
/// refusals show under their fields.
#[component]
pub fn SsoProviderForm(settings: RwSignal<SsoSettings>) -> impl IntoView {
    let class = style! {
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            max-width: 560px;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            align-items: center;
        }
        .note {
            margin: 0;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--color-warning);
            border-radius: var(--radius-control);
            background: var(--color-warning-soft);
        }
    };
    let toasts = use_toasts();
    let provider = settings.with_untracked(|s| s.provider.clone());
    let issuer = RwSignal::new(
        provider
            .as_ref()
            .map(|p| p.issuer.clone())
            .unwrap_or_default(),
    );
    let client_id = RwSignal::new(
        provider
            .as_ref()
            .map(|p| p.client_id.clone())
            .unwrap_or_default(),
    );
    let secret = RwSignal::new(String::new());
    let secret_stored = Memo::new(move |_| {
        settings.with(|s| s.provider.as_ref().is_some_and(|p| p.client_secret_set))
    });
    let can_store = Memo::new(move |_| settings.with(|s| s.can_store_secrets));
    let has_provider = Memo::new(move |_| settings.with(|s| s.provider.is_some()));
    let attempted = RwSignal::new(false);
    let server_fields = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let issuer_input = NodeRef::<html::Input>::new();
    let client_id_input = NodeRef::<html::Input>::new();
    let secret_input = NodeRef::<html::Input>::new();

    // Removing the provider empties the form: what it held was the removed provider's.
    Effect::watch(
        move || has_provider.get(),
        move |has, before, _| {
            if !*has && before == Some(&true) {
                issuer.set(String::new());
                client_id.set(String::new());
                secret.set(String::new());
                attempted.set(false);
                server_fields.set(FieldErrors::new());
                failure.set(None);
            }
        },
        false,
    );

    let client_errors = Memo::new(move |_| {
        if !attempted.get() {
            return FieldErrors::new();
        }
        check(
            &issuer.get(),
            &client_id.get(),
            &secret.get(),
            secret_stored.get(),
        )
        .err()
        .unwrap_or_default()
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            client_errors
                .with(|e| e.get(field).cloned())
                .or_else(|| server_fields.with(|e| e.get(field).cloned()))
        })
    };
    let focus_first = move |errors: &FieldErrors| {
        let first = if errors.contains_key("issuer") {
            issuer_input
        } else if errors.contains_key("client_id") {
            client_id_input
        } else {
            secret_input
        };
        if let Some(input) = first.get_untracked() {
            _ = input.focus();
        }
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_fields.set(FieldErrors::new());
        let wanted = match check(
            &issuer.get_untracked(),
            &client_id.get_untracked(),
            &secret.get_untracked(),
            secret_stored.get_untracked(),
        ) {
            Ok(wanted) => wanted,
            Err(errors) => {
                focus_first(&errors);
                return;
            }
        };
        pending.set(true);
        spawn_local_scoped_with_cancellation(async move {
            match api::sso::set_provider(&wanted).await {
                Ok(saved) => {
                    secret.set(String::new());
                    attempted.set(false);
                    toasts.show(
                        ToastKind::Success,
                        "Your identity provider is saved. Your people can sign in with SSO.",
                    );
                    settings.set(saved);
                }
                Err(error) => match &error {
                    // Refusals about a field of the form (discovery failed at that issuer…)
                    // show under it; anything else above the form.
                    ApiError::Server { fields, .. }
                        if ["issuer", "client_id", "client_secret"]
                            .iter()
                            .any(|field| fields.contains_key(*field)) =>
                    {
                        focus_first(fields);
                        server_fields.set(fields.clone());
                    }
                    _ => failure.set(Some(format!(
                        "The provider wasn't saved. {}",
                        explain(&error)
                    ))),
                },
            }
            pending.set(false);
        });
    };

    let secret_hint = move || {
        if !can_store.get() {
            "Can't be stored on this server yet (see above)."
        } else if secret_stored.get() {
            SECRET_STORED
        } else {
            "Shown once by your provider; it is stored encrypted and never shown again."
        }
    };

    view! { class=class,
        <form novalidate on:submit=on_submit aria-labelledby="sso-provider-title">
            {move || {
                (!can_store.get())
                    .then(|| {
                        view! { class=class,
                            <p class="note" data-testid="cant-store-secrets">{CANT_STORE_SECRETS}</p>
                        }
                    })
            }}
            {move || failure.get().map(|message| view! { <FormFailure message=message /> })}
            <Field id="sso-issuer" label="Issuer URL" error=error_of("issuer")>
                <input
                    class="input"
                    type="url"
                    name="issuer"
                    inputmode="url"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="https://login.example.com"
                    node_ref=issuer_input
                    prop:value=issuer
                    on:input=move |ev| {
                        issuer.set(event_target_value(&ev));
                        server_fields.update(|f| _ = f.remove("issuer"));
                    }
                />
            </Field>
            <Field id="sso-client-id" label="Client ID" error=error_of("client_id")>
                <input
                    class="input"
                    type="text"
                    name="client_id"
                    autocomplete="off"
                    spellcheck="false"
                    node_ref=client_id_input
                    prop:value=client_id
                    on:input=move |ev| {
                        client_id.set(event_target_value(&ev));
                        server_fields.update(|f| _ = f.remove("client_id"));
                    }
                />
            </Field>
            <Field
                id="sso-client-secret"
                label="Client secret"
                error=error_of("client_secret")
                hint=ViewFn::from(move || view! { <span>{secret_hint}</span> })
            >
                <input
                    class="input"
                    type="password"
                    name="client_secret"
                    autocomplete="new-password"
                    spellcheck="false"
                    node_ref=secret_input
                    prop:value=secret
                    on:input=move |ev| {
                        secret.set(event_target_value(&ev));
                        server_fields.update(|f| _ = f.remove("client_secret"));
                    }
                />
            </Field>
            <div class="actions">
                <button
                    type="submit"
                    class="button button-primary"
                    disabled=pending
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || match (pending.get(), has_provider.get()) {
                        (true, _) => "Checking your provider…",
                        (false, true) => "Save changes",
                        (false, false) => "Set up SSO",
                    }}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_secret_is_needed_only_the_first_time() {
        let errors = check("", " ", "", false).unwrap_err();
        assert_eq!(errors.len(), 3);
        let errors = check("login.example.com", "pw", "", true).unwrap_err();
        assert!(errors["issuer"].contains("https://"));
        assert_eq!(
            check(" https://login.example.com ", " pw ", "", true),
            Ok(SetSsoProvider {
                issuer: "https://login.example.com".into(),
                client_id: "pw".into(),
                client_secret: None,
            })
        );
        assert_eq!(
            check("https://login.example.com", "pw", " s3cret ", false)
                .unwrap()
                .client_secret
                .as_deref(),
            Some("s3cret")
        );
    }
}
