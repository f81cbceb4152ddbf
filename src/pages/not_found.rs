use leptos::prelude::*;
use partner_api::WorkspaceTab;
use stylers_macro::style;

use crate::routes::Page;

/// Any path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    let class = style! {
        .not-found {
            margin: var(--space-7) auto;
            max-width: 480px;
            text-align: center;
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            align-items: center;
        }
        p {
            color: var(--color-text-secondary);
        }
    };
    view! { class=class,
        <section class="not-found">
            <h1>"Page not found"</h1>
            <p>"This address doesn't match a page. It may be an old link, or mistyped."</p>
            <a class="button button-primary" href=Page::Workspaces(WorkspaceTab::All).href()>
                "Go to your workspaces"
            </a>
        </section>
    }
}
