use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use stylers_macro::style;

/// One workspace: the page "Go to workspace" links in emails open.
#[component]
pub fn Workspace() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let class = style! {
        .workspace {
            padding: var(--space-5) var(--space-6);
            max-width: var(--content-max);
        }
        .id {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
    };
    view! { class=class,
        <div class="workspace">
            <h1>"Workspace"</h1>
            <p class="id">"Workspace id " {id}</p>
        </div>
    }
}
