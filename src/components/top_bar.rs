use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::WorkspaceTab;
use stylers_macro::style;

use super::server_status::ServerStatus;
use crate::routes::Page;

/// The 48 px bar at the top of every page: product, main navigation, server state.
#[component]
pub fn TopBar() -> impl IntoView {
    let class = style! {
        .top-bar {
            height: var(--topbar-height);
            display: flex;
            align-items: center;
            gap: var(--space-5);
            padding: 0 var(--space-4);
            border-bottom: 1px solid var(--color-border);
            background: var(--color-surface);
        }
        .product {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 600;
            font-size: var(--text-md);
            color: var(--color-text);
            text-decoration: none;
        }
        .logo {
            width: 20px;
            height: 20px;
        }
        nav {
            display: flex;
            gap: var(--space-1);
            height: 100%;
        }
        nav a {
            display: flex;
            align-items: center;
            padding: 0 var(--space-3);
            color: var(--color-text-secondary);
            text-decoration: none;
            font-weight: 500;
            border-bottom: 2px solid transparent;
        }
        nav a:hover {
            color: var(--color-text);
        }
        nav a[aria-current] {
            color: var(--color-text);
            border-bottom-color: var(--color-accent);
        }
        .end {
            margin-left: auto;
            display: flex;
            align-items: center;
            gap: var(--space-4);
        }
    };
    view! { class=class,
        <header class="top-bar">
            <a class="product" href="/workspaces">
                <img class="logo" src="/favicon.svg" alt="" />
                "Partner Workspaces"
            </a>
            <nav aria-label="Main">
                <A href=Page::Workspaces(WorkspaceTab::All).href() attr:class=class>
                    "Workspaces"
                </A>
                <A href="/settings/team" attr:class=class>
                    "Team Settings"
                </A>
            </nav>
            <div class="end">
                <ServerStatus />
            </div>
        </header>
    }
}
