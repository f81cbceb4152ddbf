use leptos::prelude::*;
use stylers_macro::style;

use super::icon::{Icon, IconName};

/// The colour family of a badge; every badge also has text, never colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Neutral,
    Success,
    Warning,
    Danger,
    Accent,
}

/// A small pill with an optional icon and its text ("SSO enforced", "Editor", "Legacy").
#[component]
pub fn Badge(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] tone: Tone,
    #[prop(optional)] icon: Option<IconName>,
) -> impl IntoView {
    let class = style! {
        .badge {
            display: inline-flex;
            align-items: center;
            gap: 4px;
            height: 22px;
            padding: 0 8px;
            border-radius: 11px;
            border: 1px solid transparent;
            font-size: var(--text-xs);
            font-weight: 500;
            white-space: nowrap;
            line-height: 1;
        }
        .neutral {
            background: var(--color-surface);
            border-color: var(--color-border);
            color: var(--color-text-secondary);
        }
        .success {
            background: var(--color-success-soft);
            color: var(--color-success);
        }
        .warning {
            background: var(--color-warning-soft);
            color: var(--color-warning);
        }
        .danger {
            background: var(--color-danger-soft);
            color: var(--color-danger);
        }
        .accent {
            background: var(--color-accent-soft);
            color: var(--color-accent);
        }
    };
    view! { class=class,
        // The tone is a class toggle, not part of a `class` string: when a badge is reused
        // for another tone, rewriting the string would drop the scoped style class.
        <span
            class="badge"
            class:neutral=tone == Tone::Neutral
            class:success=tone == Tone::Success
            class:warning=tone == Tone::Warning
            class:danger=tone == Tone::Danger
            class:accent=tone == Tone::Accent
        >
            {icon.map(|name| view! { <Icon name=name size=12 /> })}
            {text}
        </span>
    }
}
