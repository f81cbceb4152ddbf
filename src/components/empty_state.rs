use leptos::prelude::*;
use stylers_macro::style;

/// An empty list: one sentence of what belongs here, and what fills it (children).
#[component]
pub fn EmptyState(
    #[prop(into)] title: String,
    #[prop(into)] text: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let class = style! {
        .empty-state {
            display: flex;
            flex-direction: column;
            align-items: center;
            text-align: center;
            gap: var(--space-2);
            padding: var(--space-7) var(--space-4);
            border: 1px dashed var(--color-border);
            border-radius: var(--radius-card);
        }
        .text {
            color: var(--color-text-secondary);
            max-width: 52ch;
        }
    };
    view! { class=class,
        <div class="empty-state">
            <h3>{title}</h3>
            <p class="text">{text}</p>
            {children.map(|c| c())}
        </div>
    }
}
