use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use partner_api::WorkspaceTab;
use stylers_macro::style;

use crate::routes::Page;

/// Workspaces > View All Workspaces, with the tab in `?tab=`.
#[component]
pub fn Workspaces() -> impl IntoView {
    let query = use_query_map();
    let tab = Memo::new(move |_| WorkspaceTab::from_query(query.read().get_str("tab")));
    let class = style! {
        .workspaces {
            padding: var(--space-5) var(--space-6);
            max-width: var(--content-max);
            width: 100%;
        }
        h1 {
            margin-bottom: var(--space-4);
        }
        .tabs {
            display: flex;
            gap: var(--space-1);
            border-bottom: 1px solid var(--color-border);
            margin-bottom: var(--space-5);
        }
        .tabs a {
            padding: var(--space-2) var(--space-3);
            color: var(--color-text-secondary);
            text-decoration: none;
            font-weight: 500;
            border-bottom: 2px solid transparent;
            margin-bottom: -1px;
        }
        .tabs a[aria-selected="true"] {
            color: var(--color-text);
            border-bottom-color: var(--color-accent);
        }
        .hint {
            color: var(--color-text-secondary);
        }
    };
    let tabs = WorkspaceTab::ALL
        .into_iter()
        .map(|t| {
            view! { class=class,
                <A href=Page::Workspaces(t).href() attr:class=class attr:role="tab" attr:aria-selected=move || (tab.get() == t).to_string()>
                    {t.label()}
                </A>
            }
        })
        .collect_view();
    let hint = move || match tab.get() {
        WorkspaceTab::SharedPartner => {
            "Workspaces other teams share with you. Invitations arrive by email; each has a \
             Go to workspace link."
        }
        WorkspaceTab::Mine => "Your team's workspaces you are a member of.",
        WorkspaceTab::All => "Every workspace of your team.",
    };
    view! { class=class,
        <div class="workspaces">
            <h1>"Workspaces"</h1>
            <div class="tabs" role="tablist" aria-label="Workspaces">{tabs}</div>
            <p class="hint" role="tabpanel">{hint}</p>
        </div>
    }
}
