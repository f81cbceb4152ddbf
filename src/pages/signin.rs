use std::collections::BTreeMap;
use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use partner_api::sso::{SsoDiscovery, SsoFailure};
use partner_api::{Email, ErrorCode, Me, SignIn as Credentials};
use stylers_macro::style;

use crate::api::{self, ApiError};
use crate::components::field::Field;
use crate::components::form_failure::FormFailure;
use crate::components::sso_sign_in::SsoSignIn;
use crate::routes::next_after_sign_in;
use crate::session::{SessionState, use_session};

/// The demo accounts of `--demo` (shared/API.md): address and who they are.
const DEMO_ACCOUNTS: [(&str, &str); 11] = [
    ("alice@acme.test", "Acme, Team Admin"),
    ("paul@acme.test", "Acme, Partner Manager"),
    ("wanda@acme.test", "Acme, Workspace Admin"),
    ("mike@acme.test", "Acme, member"),
    ("hana@hooli.test", "Hooli, Team Admin"),
    ("gina@globex.test", "Globex, partner (Editor)"),
    ("gary@globex.test", "Globex, partner (Viewer)"),
    ("ivan@initech.test", "Initech, partner"),
    ("uma@umbrella.test", "Umbrella, partner"),
    ("sam@soylent.test", "Soylent, partner (signs in with SSO)"),
    ("ed@globex.test", "no team (removed from Globex)"),
];

/// The password of every demo account.
const DEMO_PASSWORD: &str = "partner-demo";

/// What the page shows: it waits for the session, offers to continue as the signed-in
/// account, or shows the form.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    Checking,
    SignedIn(Me),
    Form,
}

/// Why the form was not sent, per field.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct FieldErrors {
    email: Option<String>,
    password: Option<String>,
}

/// Checks the form before anything is sent: the address is parsed as an [`Email`].
fn check(email: &str, password: &str) -> Result<Credentials, FieldErrors> {
    let email = Email::parse(email);
    let password_error = password
        .is_empty()
        .then(|| "Enter your password.".to_owned());
    match (email, password_error) {
        (Ok(email), None) => Ok(Credentials {
            email: email.to_string(),
            password: password.to_owned(),
        }),
        (email, password) => Err(FieldErrors {
            email: email.err().map(|e| e.to_string()),
            password,
        }),
    }
}

/// "30 seconds", "2 minutes": how long to wait, rounded up to what a person would say.
fn wait_time(seconds: u32) -> String {
    match seconds {
        0..=1 => "a second".to_owned(),
        2..=59 => format!("{seconds} seconds"),
        60..=119 => "a minute".to_owned(),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

/// How long typing an address must pause before its domain's SSO is looked up.
const DISCOVER_DEBOUNCE: Duration = Duration::from_millis(400);

/// What an unknown `?sso_error=` code says.
pub const SSO_FAILED: &str =
    "Single sign-on didn't work, so you weren't signed in. Try again, or ask your IT team.";

/// What `?sso_error=<code>` (where a refused SSO sign-in lands) says.
pub fn sso_failure_message(code: &str) -> String {
    code.parse::<SsoFailure>().map_or_else(
        |_| SSO_FAILED.to_owned(),
        |failure| failure.label().to_owned(),
    )
}

/// The address as discovery is asked about it (`None` until it is an address).
fn discoverable(email: &str) -> Option<String> {
    Email::parse(email).ok().map(|email| email.to_string())
}

/// What a screen reader hears once the address's domain turns out to sign in with SSO.
fn sso_found_message(found: &SsoDiscovery) -> String {
    let team = found.team_name.as_deref().unwrap_or("Your company");
    if found.required {
        format!("{team} requires single sign-on. Continue with SSO below.")
    } else {
        format!("{team} offers single sign-on. Continue with SSO is below the password.")
    }
}

/// The form-level message for a failed sign-in.
fn failure_message(error: &ApiError) -> String {
    match error.code() {
        Some(ErrorCode::InvalidCredentials) => {
            "That email and password don't match an account. Check both and try again.".to_owned()
        }
        Some(ErrorCode::RateLimited) => match error.retry_after() {
            Some(seconds) => format!(
                "Too many sign-in attempts. Try again in {}.",
                wait_time(seconds)
            ),
            None => "Too many sign-in attempts. Wait a minute, then try again.".to_owned(),
        },
        // Network and unexpected answers already say what to do; server messages are for people.
        _ => error.to_string(),
    }
}

/// Sign in with email and password, then continue to `?next=` (same-site paths only).
#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let next =
        Memo::new(move |_| next_after_sign_in(&query.read().get("next").unwrap_or_default()));

    // A refused SSO sign-in comes back with the address it was started with.
    let email = RwSignal::new(query.read_untracked().get("email").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let sso_error = Memo::new(move |_| {
        query
            .read()
            .get("sso_error")
            .map(|code| sso_failure_message(&code))
    });
    // The address whose domain's SSO was last asked about, once typing paused or the field
    // was left; the answer counts only while the field still holds that address.
    let discover_for = RwSignal::new(email.with_untracked(|email| discoverable(email)));
    let discover_timer = StoredValue::new(None::<TimeoutHandle>);
    let cancel_discover = move || {
        if let Some(handle) = discover_timer.try_get_value().flatten() {
            handle.clear();
        }
    };
    on_cleanup(cancel_discover);
    let discover_now = move || {
        cancel_discover();
        let wanted = email.with_untracked(|email| discoverable(email));
        if wanted != discover_for.get_untracked() {
            discover_for.set(wanted);
        }
    };
    let discovery = LocalResource::new(move || {
        let address = discover_for.get();
        async move {
            match address {
                Some(address) => {
                    let answer = api::sso::discover(&address).await;
                    Some((address, answer))
                }
                None => None,
            }
        }
    });
    let sso = Memo::new(move |_| -> Option<SsoDiscovery> {
        let current = email.with(|email| discoverable(email))?;
        discovery.with(|answer| match answer {
            Some(Some((asked, Ok(found)))) if *asked == current && found.sso => Some(found.clone()),
            // Unreachable discovery offers no SSO: the password form stays, and the server
            // says `sso_only` if the team requires it.
            _ => None,
        })
    });
    // The password form said `sso_only`: its message shows with the SSO button.
    let sso_only = RwSignal::new(false);
    let sso_team =
        Signal::derive(move || sso.with(|sso| sso.as_ref().and_then(|s| s.team_name.clone())));
    let sso_offered = Memo::new(move |_| sso_only.get() || sso.with(Option::is_some));
    // The password field gives way to the SSO button.
    let password_closed = Memo::new(move |_| {
        sso_only.get() || sso.with(|sso| sso.as_ref().is_some_and(|s| s.required))
    });
    // Field errors appear after the first submit and then follow what is typed.
    let attempted = RwSignal::new(false);
    let server_fields = RwSignal::new(BTreeMap::<String, String>::new());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    // "Sign in as someone else" shows the form while signed in.
    let switching = RwSignal::new(false);
    let email_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();

    let client_errors = Memo::new(move |_| {
        if !attempted.get() {
            return FieldErrors::default();
        }
        email
            .with(|email| password.with(|password| check(email, password)))
            .err()
            .unwrap_or_default()
    });
    let email_error = move || {
        client_errors
            .read()
            .email
            .clone()
            .or_else(|| server_fields.read().get("email").cloned())
    };
    let password_error = move || {
        client_errors
            .read()
            .password
            .clone()
            .or_else(|| server_fields.read().get("password").cloned())
    };

    let mode = Memo::new(move |_| {
        // Once a sign-in is under way the form stays until the next page opens.
        if switching.get() || pending.get() {
            return Mode::Form;
        }
        match session.state() {
            SessionState::Loading => Mode::Checking,
            SessionState::SignedIn(me) => Mode::SignedIn(me),
            SessionState::SignedOut | SessionState::Failed(_) => Mode::Form,
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        // Enter with only the SSO button left starts SSO.
        if password_closed.get_untracked() {
            api::sso::start(&email.get_untracked(), Some(&next.get_untracked()));
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_fields.set(BTreeMap::new());
        let credentials = match check(&email.get_untracked(), &password.get_untracked()) {
            Ok(credentials) => credentials,
            Err(errors) => {
                let first = if errors.email.is_some() {
                    email_input
                } else {
                    password_input
                };
                if let Some(input) = first.get_untracked() {
                    _ = input.focus();
                }
                return;
            }
        };
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::session::sign_in(&credentials).await {
                Ok(me) => {
                    // `pending` stays on: this page is about to be replaced.
                    session.signed_in(me);
                    navigate(
                        &next.get_untracked(),
                        NavigateOptions {
                            replace: true,
                            ..Default::default()
                        },
                    );
                }
                Err(error) => {
                    if error.code() == Some(ErrorCode::Invalid)
                        && let ApiError::Server { fields, .. } = &error
                        && !fields.is_empty()
                    {
                        server_fields.set(fields.clone());
                    } else {
                        sso_only.set(error.code() == Some(ErrorCode::SsoOnly));
                        failure.set(Some(failure_message(&error)));
                    }
                    pending.set(false);
                }
            }
        });
    };

    let class = style! {
        .signin-page {
            flex: 1;
            display: flex;
            justify-content: center;
            align-items: flex-start;
            padding: var(--space-7) var(--space-4);
            background: var(--color-surface);
        }
        .card {
            width: 100%;
            max-width: 400px;
            display: flex;
            flex-direction: column;
            gap: var(--space-5);
            padding: var(--space-6);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
        }
        .intro {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        h1 {
            font-size: var(--text-lg);
        }
        .logo {
            width: 32px;
            height: 32px;
            margin-bottom: var(--space-3);
        }
        .lede, .checking, .note {
            color: var(--color-text-secondary);
        }
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .submit {
            justify-content: center;
            height: 36px;
        }
        .or {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .or::before, .or::after {
            content: "";
            flex: 1;
            border-top: 1px solid var(--color-border);
        }
        .account {
            display: flex;
            flex-direction: column;
            gap: 2px;
            padding: var(--space-3) var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-surface);
        }
        .account .name {
            font-weight: 600;
        }
        .account .detail {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
        .link-button {
            padding: 0;
            border: none;
            background: none;
            color: var(--color-accent);
            text-decoration: underline;
            cursor: pointer;
        }
        .demo {
            border-top: 1px solid var(--color-border);
            padding-top: var(--space-4);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .demo summary {
            cursor: pointer;
            width: fit-content;
        }
        .demo p {
            margin: var(--space-2) 0;
        }
        .demo ul {
            list-style: none;
            margin: 0;
            padding: 0;
            display: grid;
            grid-template-columns: auto 1fr;
            column-gap: var(--space-3);
            row-gap: 2px;
        }
        .demo li {
            display: contents;
        }
        .demo .link-button {
            justify-self: start;
            text-align: left;
        }
        .demo code {
            font-size: var(--text-xs);
        }
    };

    // The demo accounts exist only on a server started with --demo.
    let health = LocalResource::new(api::health::get);
    let is_demo = move || health.get().is_some_and(|h| h.is_ok_and(|h| h.demo));
    let demo_accounts = DEMO_ACCOUNTS
        .into_iter()
        .map(|(address, who)| {
            // Fills the form (showing it, if someone is signed in already).
            let fill = move |_| {
                switching.set(true);
                email.set(address.to_owned());
                password.set(DEMO_PASSWORD.to_owned());
                sso_only.set(false);
                failure.set(None);
                discover_now();
                if let Some(input) = password_input.get_untracked() {
                    _ = input.focus();
                }
            };
            view! { class=class,
                <li>
                    <button type="button" class="link-button" on:click=fill>
                        {address}
                    </button>
                    <span>{who}</span>
                </li>
            }
        })
        .collect_view();

    let form = move || {
        // Only while switching accounts: say which account this sign-in replaces.
        let switching_from = move || switching.get().then(|| session.me()).flatten();
        view! { class=class,
            <form novalidate on:submit=on_submit.clone()>
                {move || {
                    switching_from()
                        .map(|me| {
                            view! { class=class,
                                <p class="note">
                                    "You're signed in as " {me.user.email}
                                    ". Signing in here switches to another account. "
                                    <button
                                        type="button"
                                        class="link-button"
                                        on:click=move |_| switching.set(false)
                                    >
                                        "Cancel"
                                    </button>
                                </p>
                            }
                        })
                }}
                // Inserted with its message, so screen readers announce it.
                {move || failure.get().map(|message| view! { <FormFailure message=message /> })}
                // Where a refused SSO sign-in lands: what the identity provider's answer meant.
                {move || sso_error.get().map(|message| view! { <FormFailure message=message /> })}
                <Field id="signin-email" label="Email" error=email_error>
                    <input
                        class="input"
                        type="email"
                        name="email"
                        autocomplete="username"
                        inputmode="email"
                        autocapitalize="none"
                        spellcheck="false"
                        autofocus
                        node_ref=email_input
                        prop:value=email
                        on:input=move |ev| {
                            email.set(event_target_value(&ev));
                            server_fields.update(|f| _ = f.remove("email"));
                            if sso_only.get_untracked() {
                                sso_only.set(false);
                                failure.set(None);
                            }
                            cancel_discover();
                            discover_timer.set_value(
                                set_timeout_with_handle(discover_now, DISCOVER_DEBOUNCE).ok(),
                            );
                        }
                        on:blur=move |_| discover_now()
                    />
                </Field>
                <Show when=move || !password_closed.get()>
                <Field id="signin-password" label="Password" error=password_error>
                    <input
                        class="input"
                        type="password"
                        name="password"
                        autocomplete="current-password"
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
                >
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
                </Show>
                // Said once the address's domain turns out to sign in with SSO: the button
                // appears below the field without moving focus.
                <p class="visually-hidden" role="status">
                    {move || {
                        sso.with(|found| {
                            found.as_ref().map(sso_found_message)
                        })
                    }}
                </p>
                <Show when=move || sso_offered.get()>
                    <Show when=move || !password_closed.get()>
                        <p class="or" aria-hidden="true">"or"</p>
                    </Show>
                    <SsoSignIn
                        email=email
                        team=sso_team
                        required=Signal::derive(move || {
                            !sso_only.get() && sso.with(|s| s.as_ref().is_some_and(|s| s.required))
                        })
                        primary=password_closed
                        return_to=next
                    />
                </Show>
            </form>
        }
    };

    let signed_in = move |me: Me| {
        let team = me
            .team
            .map_or_else(|| "No team".to_owned(), |team| team.name);
        view! { class=class,
            <div class="account">
                <span class="detail">"Signed in as"</span>
                <span class="name">{me.user.name}</span>
                <span class="detail">{me.user.email} " · " {team}</span>
            </div>
            <div class="actions">
                <a class="button button-primary" href=next>
                    "Continue"
                </a>
                <button type="button" class="button" on:click=move |_| switching.set(true)>
                    "Sign in as someone else"
                </button>
            </div>
        }
    };

    view! { class=class,
        <div class="signin-page">
            <section class="card" aria-labelledby="signin-title">
                <div class="intro">
                    <img class="logo" src="/favicon.svg" alt="" />
                    <h1 id="signin-title">"Sign in to Partner Workspaces"</h1>
                    <p class="lede">
                        {move || match mode.get() {
                            Mode::SignedIn(_) => "You're already signed in.",
                            _ if password_closed.get() => {
                                "Your company signs you in through its identity provider."
                            }
                            _ => "Use your work email and password.",
                        }}
                    </p>
                </div>
                {move || match mode.get() {
                    Mode::Checking => {
                        view! { class=class,
                            <p class="checking" role="status">"Checking whether you're signed in…"</p>
                        }
                            .into_any()
                    }
                    Mode::SignedIn(me) => signed_in(me).into_any(),
                    Mode::Form => form().into_any(),
                }}
                <details class="demo" hidden=move || !is_demo()>
                    <summary>"Demo accounts"</summary>
                    <p>
                        "Every demo account uses the password " <code>{DEMO_PASSWORD}</code>
                        ". Choose one to fill the form."
                    </p>
                    <ul>{demo_accounts}</ul>
                </details>
            </section>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_are_both_reported() {
        let errors = check("", "").unwrap_err();
        assert!(errors.email.is_some());
        assert_eq!(errors.password.as_deref(), Some("Enter your password."));
    }

    #[test]
    fn a_malformed_address_is_reported_and_a_good_one_is_normalised() {
        let errors = check("paul", "partner-demo").unwrap_err();
        assert!(errors.email.unwrap().contains('@'));
        assert_eq!(errors.password, None);
        let credentials = check("  Paul@Acme.test ", "partner-demo").unwrap();
        assert_eq!(credentials.email, "paul@acme.test");
    }

    #[test]
    fn a_refused_sso_sign_in_says_why_in_words() {
        assert_eq!(
            sso_failure_message("state_invalid"),
            SsoFailure::StateInvalid.label()
        );
        assert_eq!(sso_failure_message("<script>"), SSO_FAILED);
        assert_eq!(
            discoverable(" Sam@Soylent.test "),
            Some("sam@soylent.test".to_owned())
        );
        assert_eq!(discoverable("sam@"), None);
    }

    #[test]
    fn rate_limits_say_when_to_try_again() {
        let limited = ApiError::from_response(
            429,
            r#"{"error":{"code":"rate_limited","message":"Too many requests."}}"#,
        );
        assert_eq!(
            failure_message(&limited.clone().with_retry_after(Some("45"))),
            "Too many sign-in attempts. Try again in 45 seconds."
        );
        assert_eq!(
            failure_message(&limited.clone().with_retry_after(Some("300"))),
            "Too many sign-in attempts. Try again in 5 minutes."
        );
        assert!(failure_message(&limited).contains("Wait a minute"));
        assert!(failure_message(&ApiError::Network).contains("Can't reach the server"));
    }
}
