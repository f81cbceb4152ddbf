use leptos::prelude::*;
use partner_api::{Me, WorkspaceTab};
use stylers_macro::style;

use super::icon::{Icon, IconName};
use crate::routes::Page;

/// In place of a page someone may not open: who may, who they are signed in as, and where
/// to go instead. Not an error: nothing went wrong.
#[component]
pub fn NoPermission(
    /// "Only Team Admins and Partner Managers can see Partnerships".
    #[prop(into)]
    title: String,
    /// What to do about it.
    #[prop(into)]
    advice: String,
    /// The signed-in account, when known.
    me: Option<Me>,
) -> impl IntoView {
    let class = style! {
        .no-permission {
            display: flex;
            gap: var(--space-4);
            align-items: flex-start;
            max-width: 640px;
            padding: var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-surface);
        }
        .mark {
            flex: none;
            display: grid;
            place-items: center;
            width: 40px;
            height: 40px;
            border-radius: 50%;
            background: var(--color-accent-soft);
            color: var(--color-accent);
        }
        .body {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            align-items: flex-start;
        }
        .secondary {
            color: var(--color-text-secondary);
        }
        .actions {
            margin-top: var(--space-2);
        }
    };
    let who = me.map(|me| {
        let team = me
            .team
            .map_or_else(|| "no team".to_owned(), |team| team.name);
        format!(
            "You're signed in as {} ({}), of {team}.",
            me.user.name, me.user.email
        )
    });
    view! { class=class,
        <section class="no-permission" aria-labelledby="no-permission-title">
            <span class="mark">
                <Icon name=IconName::Shield size=20 />
            </span>
            <div class="body">
                <h2 id="no-permission-title">{title}</h2>
                <p>{advice}</p>
                {who.map(|who| view! { class=class, <p class="secondary">{who}</p> })}
                <p class="actions">
                    <a class="button" href=Page::Workspaces(WorkspaceTab::All).href()>
                        "Go to your workspaces"
                    </a>
                </p>
            </div>
        </section>
    }
}
