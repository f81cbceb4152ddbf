use leptos::prelude::*;
use stylers_macro::style;

use crate::api;

/// "Continue with Soylent SSO" (or "Continue with SSO" when the team's name isn't known).
pub fn continue_label(team: Option<&str>) -> String {
    match team {
        Some(team) => format!("Continue with {team} SSO"),
        None => "Continue with SSO".to_owned(),
    }
}

/// Why the password form is closed to an address whose team requires SSO.
pub fn required_sentence(team: Option<&str>) -> String {
    match team {
        Some(team) => format!(
            "{team} requires single sign-on: sign in through your company's identity provider, \
             not with a password."
        ),
        None => "Your company requires single sign-on: sign in through its identity provider, \
                 not with a password."
            .to_owned(),
    }
}

/// The way in through a team's identity provider: a link that leaves the app for
/// `/api/sso/start` (the provider signs the person in, and the server brings them back to
/// `return_to`). When the team requires SSO, a sentence says why it is the only way.
#[component]
pub fn SsoSignIn(
    /// The address to sign in with (the provider is found by its domain).
    #[prop(into)]
    email: Signal<String>,
    /// The team's name, when known ("Soylent").
    #[prop(into)]
    team: Signal<Option<String>>,
    /// The team requires SSO: a sentence says why the password form is closed.
    #[prop(into)]
    required: Signal<bool>,
    /// The only way left (the primary look).
    #[prop(into)]
    primary: Signal<bool>,
    /// The page to come back to (a path of this site).
    #[prop(into)]
    return_to: Signal<String>,
) -> impl IntoView {
    let class = style! {
        .sso-sign-in {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .why {
            margin: 0;
            color: var(--color-text-secondary);
        }
        .continue {
            justify-content: center;
            height: 36px;
        }
    };
    let href = move || api::sso::start_url(&email.get(), Some(&return_to.get()));
    let label = move || team.with(|team| continue_label(team.as_deref()));
    view! { class=class,
        <div class="sso-sign-in" data-testid="sso-sign-in">
            {move || {
                required
                    .get()
                    .then(|| {
                        view! { class=class,
                            <p class="why" id="sso-required-why">
                                {team.with(|team| required_sentence(team.as_deref()))}
                            </p>
                        }
                    })
            }}
            // A plain link out of the app (`rel="external"`: the router leaves it alone).
            <a
                class="button continue"
                class:button-primary=move || primary.get()
                href=href
                rel="external"
                aria-describedby=move || required.get().then_some("sso-required-why")
            >
                {label}
            </a>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_button_and_the_reason_name_the_team_when_known() {
        assert_eq!(continue_label(Some("Soylent")), "Continue with Soylent SSO");
        assert_eq!(continue_label(None), "Continue with SSO");
        assert!(required_sentence(Some("Soylent")).starts_with("Soylent requires single sign-on"));
        assert!(required_sentence(None).starts_with("Your company requires"));
    }
}
