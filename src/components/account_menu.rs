use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use partner_api::Me;
use stylers_macro::style;

use crate::api;
use crate::routes::{Page, SIGNIN_PATH, location_path};
use crate::session::{SessionState, use_session};

/// Up to two initials of a name, for the avatar.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}

/// The signed-in account and team in the top bar, with Sign out; a Sign in link (back to
/// this page) when no one is signed in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out_failed = RwSignal::new(None::<String>);

    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        sign_out_failed.set(None);
        let navigate = navigate.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::session::sign_out().await {
                Ok(()) => {
                    // Leave first, so a page that needs a session does not send the person to
                    // sign in "and come back here".
                    navigate(SIGNIN_PATH, NavigateOptions::default());
                    session.signed_out();
                }
                Err(error) => sign_out_failed.set(Some(error.to_string())),
            }
            signing_out.set(false);
        });
    };

    let class = style! {
        .account {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-width: 0;
        }
        .avatar {
            flex: none;
            width: 28px;
            height: 28px;
            border-radius: 50%;
            display: grid;
            place-items: center;
            background: var(--color-accent-soft);
            color: var(--color-text);
            font-size: var(--text-xs);
            font-weight: 600;
        }
        .who {
            display: flex;
            flex-direction: column;
            line-height: 1.25;
            min-width: 0;
        }
        .name {
            font-weight: 600;
            white-space: nowrap;
        }
        .detail {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
            white-space: nowrap;
            overflow: hidden;
            text-overflow: ellipsis;
            max-width: 280px;
        }
        .sign-out {
            margin-left: var(--space-2);
        }
        .failed {
            font-size: var(--text-xs);
            color: var(--color-danger);
        }
        .placeholder {
            width: 160px;
            height: 28px;
            border-radius: var(--radius-control);
            background: var(--color-border);
            opacity: 0.5;
        }
        @media (max-width: 640px) {
            .email, .separator {
                display: none;
            }
        }
    };

    let signed_in = move |me: Me| {
        let team = me
            .team
            .map_or_else(|| "No team".to_owned(), |team| team.name);
        let summary = format!("{} · {}", me.user.email, team);
        view! { class=class,
            <div class="account" role="group" aria-label="Your account" data-testid="account">
                <span class="avatar" aria-hidden="true">{initials(&me.user.name)}</span>
                <span class="who" title=summary>
                    <span class="name">{me.user.name}</span>
                    <span class="detail">
                        <span class="email">{me.user.email}</span>
                        <span class="separator">" · "</span>
                        <span class="team">{team}</span>
                    </span>
                </span>
                {move || {
                    sign_out_failed
                        .get()
                        .map(|why| {
                            view! { class=class,
                                <span class="failed" role="alert" title=why>
                                    "Not signed out"
                                </span>
                            }
                        })
                }}
                <button
                    type="button"
                    class="button sign-out"
                    disabled=signing_out
                    on:click=sign_out.clone()
                >
                    {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                </button>
            </div>
        }
    };

    let sign_in_link = move || {
        let here = location.pathname.get();
        // On the sign-in page itself the form is right there.
        (here != SIGNIN_PATH).then(|| {
            let next = location_path(&here, &location.search.get(), &location.hash.get());
            view! { class=class,
                <a class="button button-primary" href=Page::SignIn { next: Some(&next) }.href()>
                    "Sign in"
                </a>
            }
        })
    };

    move || match session.state() {
        SessionState::Loading => {
            view! { class=class, <span class="placeholder" aria-hidden="true"></span> }.into_any()
        }
        SessionState::SignedIn(me) => signed_in(me).into_any(),
        SessionState::SignedOut => sign_in_link.into_any(),
        SessionState::Failed(error) => view! { class=class,
            <span class="account" data-testid="account">
                <span class="failed" title=error.to_string()>"Account unavailable"</span>
                <button type="button" class="button" on:click=move |_| session.refetch()>
                    "Retry"
                </button>
            </span>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_take_the_first_letters_of_two_words() {
        assert_eq!(initials("Paul Partner"), "PP");
        assert_eq!(initials("ed"), "E");
        assert_eq!(initials("Anna Maria Schmidt"), "AM");
        assert_eq!(initials(""), "");
    }
}
