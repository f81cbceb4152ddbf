//! What a Team Settings page shows while its settings load: a line and two blocks, and a
//! sentence for screen readers.

use leptos::prelude::*;
use stylers_macro::style;

/// The loading state; `label` says what is loading ("Loading your team's settings…").
#[component]
pub fn SettingsSkeleton(label: &'static str) -> impl IntoView {
    let class = style! {
        .loading {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .bar {
            height: 16px;
            border-radius: var(--radius-control);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .bar-short {
            width: 320px;
            max-width: 100%;
        }
        .bar-block {
            height: 120px;
            border-radius: var(--radius-card);
        }
    };
    view! { class=class,
        <div class="loading" role="status" aria-busy="true">
            <span class="visually-hidden">{label}</span>
            <span class="bar bar-short" aria-hidden="true"></span>
            <span class="bar bar-block" aria-hidden="true"></span>
            <span class="bar bar-block" aria-hidden="true"></span>
        </div>
    }
}
