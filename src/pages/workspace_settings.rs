use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use stylers_macro::style;

use crate::routes::Page;

/// One workspace's settings: general info, partner access, danger zone.
#[component]
pub fn WorkspaceSettings() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let class = style! {
        .workspace-settings {
            padding: var(--space-5) var(--space-6);
            max-width: var(--content-max);
        }
        .back {
            display: inline-block;
            margin-bottom: var(--space-2);
        }
    };
    view! { class=class,
        <div class="workspace-settings">
            <a class="back" href=move || Page::Workspace(&id()).href()>"← Back to workspace"</a>
            <h1>"Workspace settings"</h1>
        </div>
    }
}
