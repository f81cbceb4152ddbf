use leptos::prelude::*;
use partner_api::{Me, WorkspaceTab};
use stylers_macro::style;

use super::badge::Tone;
use super::icon::IconName;
use super::no_access::account_line;
use super::notice_page::NoticePage;
use super::switch_account::SwitchAccount;
use crate::routes::Page;

/// The page for a workspace address that leads nowhere this account can see: the link may be
/// wrong or old, or meant for another account.
#[component]
pub fn WorkspaceNotFound(#[prop(into)] workspace_id: String, me: Me) -> impl IntoView {
    let class = style! {
        .lede {
            font-size: var(--text-md);
        }
        .secondary {
            color: var(--color-text-secondary);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            align-items: center;
            margin-top: var(--space-2);
        }
    };
    let here = Page::Workspace(&workspace_id).href();
    view! { class=class,
        <NoticePage icon=IconName::Alert tone=Tone::Neutral title="Workspace not found">
            <p class="lede">
                "There's no workspace at this address. The link may be incomplete or old, or \
                 the workspace may have been deleted."
            </p>
            <p class="secondary">
                "You're signed in as " <strong>{account_line(&me)}</strong>
                ". If the link came in an email to another address, switch to that account."
            </p>
            <div class="actions">
                <a class="button button-primary" href=Page::Workspaces(WorkspaceTab::All).href()>
                    "Go to your workspaces"
                </a>
                <a class="button" href=Page::Workspaces(WorkspaceTab::SharedPartner).href()>
                    "External Workspaces"
                </a>
                <SwitchAccount next=here />
            </div>
        </NoticePage>
    }
}
