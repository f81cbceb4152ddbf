use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};
use partner_api::Me;
use stylers_macro::style;
use wasm_bindgen::JsCast;

use super::change_password_form::ChangePasswordForm;
use super::dialog::Dialog;
use crate::api;
use crate::api::events::use_live_events;
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

/// The signed-in account and team in the top bar (always in view: an email link may open
/// in another account), opening a menu with Change password and Sign out; a Sign in link
/// (back to this page) when no one is signed in.
#[component]
pub fn AccountMenu() -> impl IntoView {
    let session = use_session();
    let live = use_live_events();
    let location = use_location();
    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out_failed = RwSignal::new(None::<String>);
    let open = RwSignal::new(false);
    let changing_password = RwSignal::new(false);
    let password_pending = RwSignal::new(false);
    let trigger = NodeRef::<html::Button>::new();
    let wrapper = NodeRef::<html::Div>::new();

    let close = move |focus_trigger: bool| {
        open.set(false);
        if focus_trigger && let Some(trigger) = trigger.get_untracked() {
            _ = trigger.focus();
        }
    };
    // A click anywhere else closes the menu.
    let outside_click = window_event_listener(ev::click, move |ev| {
        let inside = wrapper.get_untracked().is_some_and(|wrapper| {
            ev.target()
                .and_then(|target| target.dyn_into::<web_sys::Node>().ok())
                .is_some_and(|target| wrapper.contains(Some(&target)))
        });
        if !inside && open.get_untracked() {
            open.set(false);
        }
    });
    on_cleanup(move || outside_click.remove());

    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        sign_out_failed.set(None);
        let navigate = navigate.clone();
        // The server announces the session's end on the live stream: this tab leaves its
        // own way (to sign in, without a way back here).
        live.pause();
        spawn_local_scoped_with_cancellation(async move {
            match api::session::sign_out().await {
                Ok(()) => {
                    // Leave first, so a page that needs a session does not send the person to
                    // sign in "and come back here".
                    navigate(SIGNIN_PATH, NavigateOptions::default());
                    session.signed_out();
                }
                Err(error) => {
                    live.resume();
                    sign_out_failed.set(Some(error.to_string()));
                }
            }
            signing_out.set(false);
        });
    };
    let change_password = move |_| {
        // The dialog gives focus back to what had it when it opened: the menu's button,
        // not the item about to be hidden.
        close(true);
        changing_password.set(true);
    };
    let close_dialog = move || {
        if !password_pending.get_untracked() {
            changing_password.set(false);
        }
    };

    let class = style! {
        .account {
            position: relative;
            min-width: 0;
        }
        .trigger {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            min-width: 0;
            max-width: 100%;
            padding: var(--space-1) var(--space-2);
            border: 1px solid transparent;
            border-radius: var(--radius-control);
            background: none;
            text-align: left;
            cursor: pointer;
        }
        .trigger:hover, .trigger[aria-expanded="true"] {
            border-color: var(--color-border);
            background: var(--color-bg);
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
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .detail {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
            white-space: nowrap;
            overflow: hidden;
            text-overflow: ellipsis;
            max-width: 280px;
        }
        .chevron {
            flex: none;
            color: var(--color-text-secondary);
        }
        .menu {
            position: absolute;
            right: 0;
            top: calc(100% + var(--space-1));
            z-index: 20;
            min-width: 200px;
            display: flex;
            flex-direction: column;
            padding: var(--space-1);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
            box-shadow: var(--shadow-dialog);
        }
        .menu[hidden] {
            display: none;
        }
        .item {
            height: 32px;
            padding: 0 var(--space-3);
            border: none;
            border-radius: var(--radius-control);
            background: none;
            text-align: left;
            white-space: nowrap;
            cursor: pointer;
        }
        .item:hover {
            background: var(--color-surface);
        }
        .item[disabled] {
            cursor: not-allowed;
            color: var(--color-text-secondary);
        }
        .failed {
            font-size: var(--text-xs);
            color: var(--color-danger);
        }
        .menu .failed {
            max-width: 240px;
            padding: var(--space-1) var(--space-3);
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
        let email = me.user.email.clone();
        view! { class=class,
            <div
                class="account"
                role="group"
                aria-label="Your account"
                data-testid="account"
                node_ref=wrapper
                on:keydown=move |ev: web_sys::KeyboardEvent| {
                    if ev.key() == "Escape" && open.get_untracked() {
                        ev.prevent_default();
                        close(true);
                    }
                }
            >
                <button
                    type="button"
                    class="trigger"
                    title=summary
                    aria-expanded=move || open.get().to_string()
                    id="account-menu-button"
                    aria-controls="account-menu"
                    node_ref=trigger
                    on:click=move |_| open.update(|open| *open = !*open)
                >
                    <span class="avatar" aria-hidden="true">{initials(&me.user.name)}</span>
                    <span class="who">
                        <span class="name">{me.user.name}</span>
                        <span class="detail">
                            <span class="email">{me.user.email}</span>
                            <span class="separator">" · "</span>
                            <span class="team">{team}</span>
                        </span>
                    </span>
                    <svg class="chevron" width="12" height="12" viewBox="0 0 16 16" fill="none"
                        stroke="currentColor" stroke-width="1.5" stroke-linecap="round"
                        stroke-linejoin="round" aria-hidden="true" focusable="false">
                        <path d="m4 6 4 4 4-4" />
                    </svg>
                </button>
                <div class="menu" id="account-menu" hidden=move || !open.get()>
                    <button type="button" class="item" on:click=change_password>
                        "Change password"
                    </button>
                    <button
                        type="button"
                        class="item"
                        disabled=signing_out
                        on:click=sign_out.clone()
                    >
                        {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                    {move || {
                        sign_out_failed
                            .get()
                            .map(|why| {
                                view! { class=class,
                                    <span class="failed" role="alert" title=why>
                                        "Not signed out. Try again."
                                    </span>
                                }
                            })
                    }}
                </div>
                <Dialog
                    open=changing_password
                    on_close=move |()| close_dialog()
                    title="Change your password"
                >
                    <ChangePasswordForm
                        email=email.clone()
                        pending=password_pending
                        on_done=move |()| close_dialog()
                    />
                </Dialog>
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
