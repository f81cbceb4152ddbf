use leptos::prelude::*;
use stylers_macro::style;

use super::badge::Tone;
use super::icon::{Icon, IconName};

/// A page that explains a situation instead of showing content (no access, access ended,
/// not found): an icon, a title that says what happened, and below it what to do.
#[component]
pub fn NoticePage(
    icon: IconName,
    #[prop(optional)] tone: Tone,
    #[prop(into)] title: String,
    /// Room for side-by-side options.
    #[prop(optional)]
    wide: bool,
    children: Children,
) -> impl IntoView {
    let class = style! {
        .notice-page {
            width: 100%;
            max-width: 600px;
            margin: var(--space-7) auto;
            padding: 0 var(--space-4);
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .notice-page.wide {
            max-width: 760px;
        }
        .mark {
            display: grid;
            place-items: center;
            width: 40px;
            height: 40px;
            border-radius: 50%;
            background: var(--color-accent-soft);
            color: var(--color-accent);
        }
        .mark.warning {
            background: var(--color-warning-soft);
            color: var(--color-warning);
        }
        .mark.danger {
            background: var(--color-danger-soft);
            color: var(--color-danger);
        }
        .mark.neutral {
            background: var(--color-surface);
            color: var(--color-text-secondary);
            border: 1px solid var(--color-border);
        }
        @media (max-width: 640px) {
            .notice-page {
                margin-top: var(--space-5);
            }
        }
    };
    let mark = match tone {
        Tone::Warning => "mark warning",
        Tone::Danger => "mark danger",
        Tone::Neutral => "mark neutral",
        Tone::Accent | Tone::Success => "mark",
    };
    view! { class=class,
        <section
            class=if wide { "notice-page wide" } else { "notice-page" }
            aria-labelledby="notice-title"
        >
            <span class=mark>
                <Icon name=icon size=20 />
            </span>
            <h1 id="notice-title">{title}</h1>
            {children()}
        </section>
    }
}
