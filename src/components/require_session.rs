use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use partner_api::UserId;
use stylers_macro::style;

use super::error_panel::ErrorPanel;
use crate::api::ApiError;
use crate::routes::{Page, SIGNIN_PATH, location_path};
use crate::session::{SessionState, use_session};

/// What the guard lets through. Only a change of account re-creates the page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Gate {
    Checking,
    Open(UserId),
    Closed,
    Failed(ApiError),
}

/// Shows its children only to someone signed in; anyone else goes to sign in and comes back
/// here afterwards.
#[component]
pub fn RequireSession(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let gate = Memo::new(move |_| match session.state() {
        SessionState::Loading => Gate::Checking,
        SessionState::SignedIn(me) => Gate::Open(me.user.id),
        SessionState::SignedOut => Gate::Closed,
        SessionState::Failed(error) => Gate::Failed(error),
    });
    let class = style! {
        .gate {
            padding: var(--space-5) var(--space-6);
            max-width: 640px;
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            align-items: flex-start;
        }
        .bar {
            height: 16px;
            border-radius: var(--radius-control);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .title {
            width: 240px;
            height: 28px;
        }
        .line {
            width: 100%;
        }
        .short {
            width: 60%;
        }
    };

    move || match gate.get() {
        Gate::Open(_) => children().into_any(),
        Gate::Checking => view! { class=class,
            <div class="gate" role="status" aria-busy="true">
                <span class="visually-hidden">"Checking your sign-in…"</span>
                <span class="bar title" aria-hidden="true"></span>
                <span class="bar line" aria-hidden="true"></span>
                <span class="bar short" aria-hidden="true"></span>
            </div>
        }
        .into_any(),
        Gate::Closed => {
            let here = location.pathname.get_untracked();
            // Signing out already goes to the sign-in page: no `next` back to this one.
            (here != SIGNIN_PATH)
                .then(|| {
                    let next = location_path(
                        &here,
                        &location.search.get_untracked(),
                        &location.hash.get_untracked(),
                    );
                    view! { class=class,
                        <p class="gate" role="status">"Taking you to sign in…"</p>
                        <Redirect
                            path=Page::SignIn { next: Some(&next) }.href()
                            options=NavigateOptions {
                                replace: true,
                                ..Default::default()
                            }
                        />
                    }
                })
                .into_any()
        }
        Gate::Failed(error) => view! { class=class,
            <div class="gate">
                <h1>"We couldn't check your sign-in"</h1>
                <ErrorPanel error=error on_retry=move |()| session.refetch() />
            </div>
        }
        .into_any(),
    }
}
