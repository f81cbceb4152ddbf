use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use stylers_macro::style;

use crate::api;
use crate::api::events::use_live_events;
use crate::routes::Page;
use crate::session::use_session;

/// "Switch account": signs out, then opens sign-in with the way back to `next`, so the
/// person lands on the same page as the account they choose.
#[component]
pub fn SwitchAccount(
    /// Where to come back to after signing in (a path on this site).
    #[prop(into)]
    next: String,
    /// The primary look, when switching is the main way forward.
    #[prop(optional)]
    primary: bool,
) -> impl IntoView {
    let session = use_session();
    let live = use_live_events();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let next = StoredValue::new(next);

    let switch = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failed.set(None);
        let navigate = navigate.clone();
        // This tab leaves its own way; the end of the session the live stream announces
        // would otherwise race it.
        live.pause();
        spawn_local_scoped_with_cancellation(async move {
            match api::session::sign_out().await {
                Ok(()) => {
                    // Leave first: this page needs a session and would otherwise redirect
                    // on its own as soon as the session ends.
                    let signin = Page::SignIn {
                        next: Some(&next.get_value()),
                    }
                    .href();
                    navigate(&signin, NavigateOptions::default());
                    session.signed_out();
                }
                Err(error) => {
                    live.resume();
                    failed.set(Some(format!("Not signed out. {error}")));
                    pending.set(false);
                }
            }
        });
    };

    let class = style! {
        .switch-failed {
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
    };
    view! { class=class,
        <button
            type="button"
            class=if primary { "button button-primary" } else { "button" }
            disabled=pending
            on:click=switch
        >
            {move || if pending.get() { "Signing out…" } else { "Switch account" }}
        </button>
        {move || {
            failed
                .get()
                .map(|why| {
                    view! { class=class, <span class="switch-failed" role="alert">{why}</span> }
                })
        }}
    }
}
