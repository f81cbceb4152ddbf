use leptos::prelude::*;
use leptos_router::components::A;
use partner_api::WorkspaceTab;
use stylers_macro::style;

use super::account_menu::AccountMenu;
use super::server_status::ServerStatus;
use crate::routes::Page;
use crate::session::use_session;

/// The 48 px bar at the top of every page: product, main navigation, server state, and
/// the signed-in account (always visible: an email link may open in another account).
#[component]
pub fn TopBar() -> impl IntoView {
    let class = style! {
        .top-bar {
            min-height: var(--topbar-height);
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            column-gap: var(--space-5);
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
            white-space: nowrap;
        }
        .logo {
            width: 20px;
            height: 20px;
        }
        nav {
            display: flex;
            gap: var(--space-1);
            height: var(--topbar-height);
        }
        nav a {
            display: flex;
            align-items: center;
            padding: 0 var(--space-3);
            color: var(--color-text-secondary);
            text-decoration: none;
            font-weight: 500;
            white-space: nowrap;
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
        @media (max-width: 640px) {
            .top-bar {
                column-gap: var(--space-3);
            }
            .product-name {
                position: absolute;
                width: 1px;
                height: 1px;
                overflow: hidden;
                clip: rect(0 0 0 0);
            }
            .end {
                width: 100%;
                margin-left: 0;
                flex-wrap: wrap;
                justify-content: flex-end;
                gap: var(--space-2);
            }
            // A row of its own once it holds something (the account, a server problem).
            .end:has(>:not(div:empty)) {
                padding: var(--space-2) 0;
                border-top: 1px solid var(--color-border);
            }
        }
    };
    let session = use_session();
    view! { class=class,
        <header class="top-bar">
            <a class="product" href="/workspaces">
                <img class="logo" src="/favicon.svg" alt="" />
                <span class="product-name">"Partner Workspaces"</span>
            </a>
            <nav aria-label="Main">
                <A href=Page::Workspaces(WorkspaceTab::All).href() attr:class=class>
                    "Workspaces"
                </A>
                // A view as partner shows the publisher's workspaces only: the partner's own
                // team's settings are not part of it.
                <Show when=move || session.view_as().is_none()>
                    <A href="/settings/team" attr:class=class>
                        "Team Settings"
                    </A>
                </Show>
            </nav>
            <div class="end">
                <ServerStatus />
                <AccountMenu />
            </div>
        </header>
    }
}
