//! A Team Settings page's title and the sentence under it.

use leptos::prelude::*;
use stylers_macro::style;

/// `<h1>` `title`, and `lede` under it.
#[component]
pub fn PageHead(title: &'static str, lede: &'static str) -> impl IntoView {
    let class = style! {
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-5);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
            margin: 0 0 0 0;
            overflow-wrap: break-word;
        }
    };
    view! { class=class,
        <header class="page-head">
            <h1>{title}</h1>
            <p class="lede">{lede}</p>
        </header>
    }
}
