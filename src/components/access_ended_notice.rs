use leptos::prelude::*;
use partner_api::events::Event;
use stylers_macro::style;

use super::icon::{Icon, IconName};
use crate::api::events::use_live_events;

/// "Your access to Payments API ended.": what a person reads when their access to the
/// workspace they have open ends while they look at it.
pub fn ended_line(name: &str) -> String {
    format!("Your access to {name} ended.")
}

/// Says, as an alert, that access to the open workspace just ended (a live update), above
/// the page that then explains what to do. It shows once the page no longer shows the
/// workspace (`workspace_name` is `None` again), and goes when another workspace opens.
#[component]
pub fn AccessEndedNotice(
    /// The workspace the page is about.
    #[prop(into)]
    workspace_id: Signal<String>,
    /// Its name while the page shows it; `None` while it shows why it can't be opened.
    #[prop(into)]
    workspace_name: Signal<Option<String>>,
) -> impl IntoView {
    let class = style! {
        .access-ended {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            width: 100%;
            max-width: 600px;
            margin: var(--space-5) auto 0;
            padding: var(--space-3) var(--space-4);
            border: 1px solid var(--color-warning);
            border-radius: var(--radius-card);
            background: var(--color-warning-soft);
            font-weight: 500;
        }
        .mark {
            flex: none;
            display: flex;
            padding-top: 2px;
            color: var(--color-warning);
        }
        @media (max-width: 640px) {
            .access-ended {
                width: auto;
                margin: var(--space-4) var(--space-4) 0;
            }
        }
    };
    // The workspace whose access ended, and its name as the page last showed it.
    let ended = RwSignal::new(None::<(String, String)>);
    use_live_events().on(
        move |event| matches!(event, Event::AccessEnded { .. }),
        move |event| {
            let Event::AccessEnded { workspace } = event else {
                return;
            };
            let id = workspace_id.get_untracked();
            if workspace.as_str() != id {
                return;
            }
            if let Some(name) = workspace_name.get_untracked() {
                ended.set(Some((id, name)));
            }
        },
    );
    let line = move || {
        let id = workspace_id.get();
        let showing = workspace_name.with(Option::is_some);
        ended.with(|ended| {
            ended
                .as_ref()
                .filter(|(ended_id, _)| *ended_id == id && !showing)
                .map(|(_, name)| ended_line(name))
        })
    };
    move || {
        line().map(|line| {
            view! { class=class,
                <div class="access-ended" role="alert" data-testid="access-ended-notice">
                    <span class="mark">
                        <Icon name=IconName::Alert />
                    </span>
                    <span>{line}</span>
                </div>
            }
        })
    }
}
