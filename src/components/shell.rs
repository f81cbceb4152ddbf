use leptos::prelude::*;
use leptos_router::hooks::use_location;
use stylers_macro::style;

use super::toast::ToastRegion;
use super::top_bar::TopBar;
use super::view_as_banner::ViewAsBanner;
use crate::api;
use crate::session::use_session;

/// The frame around every page: top bar and the page below it.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let class = style! {
        .shell {
            min-height: 100vh;
            display: flex;
            flex-direction: column;
        }
        .skip-link {
            position: absolute;
            left: -9999px;
        }
        .skip-link:focus {
            left: 8px;
            top: 8px;
            z-index: 10;
            padding: 8px 12px;
            background: var(--color-bg);
        }
        .page {
            flex: 1;
            display: flex;
            flex-direction: column;
        }
    };
    let session = use_session();
    // What index.html asked for early belongs to the page the app was loaded on.
    let location = use_location();
    Effect::new(move |loaded: Option<()>| {
        location.pathname.track();
        location.search.track();
        if loaded.is_some() {
            api::early::forget();
        }
    });
    // Above the top bar, on every page, for as long as the view lasts.
    let banner = move || {
        session
            .view_as()
            .map(|view| view! { <ViewAsBanner view=view /> })
    };
    view! { class=class,
        <ToastRegion>
            <div class="shell">
                <a class="skip-link" href="#main">"Skip to content"</a>
                {banner}
                <TopBar />
                <main id="main" class="page">
                    {children()}
                </main>
            </div>
        </ToastRegion>
    }
}
