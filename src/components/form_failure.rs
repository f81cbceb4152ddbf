use leptos::prelude::*;
use stylers_macro::style;

use super::icon::{Icon, IconName};

/// Why a whole form or setting could not be saved (not one field's error): an alert with its
/// mark. Render it together with its message (`failure.get().map(…)`), so that screen readers
/// announce it as it appears.
#[component]
pub fn FormFailure(#[prop(into)] message: String) -> impl IntoView {
    let class = style! {
        .failure {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--color-danger);
            border-radius: var(--radius-control);
            background: var(--color-danger-soft);
        }
        .mark {
            flex: none;
            display: flex;
            padding-top: 2px;
            color: var(--color-danger);
        }
    };
    view! { class=class,
        <div class="failure" role="alert">
            <span class="mark">
                <Icon name=IconName::Alert />
            </span>
            <span>{message}</span>
        </div>
    }
}
