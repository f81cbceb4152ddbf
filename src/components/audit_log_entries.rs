use leptos::prelude::*;
use partner_api::audit::{AuditEvent, AuditPage};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::empty_state::EmptyState;
use super::error_panel::ErrorPanel;
use super::relative_time::RelativeTime;
use crate::api::ApiError;
use crate::params::audit_log::AuditLogParams;

/// What the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditLogState {
    Loading,
    Loaded(AuditPage),
    Failed(ApiError),
}

/// Nothing at all, nothing that matches, or nothing older: the title and the sentence.
pub fn empty_text(params: &AuditLogParams) -> (&'static str, &'static str) {
    if params.is_older() {
        (
            "No older entries",
            "Every entry these filters select is on the newer pages.",
        )
    } else if params.is_filtered() {
        (
            "No entries match these filters",
            "No change recorded in the audit log matches them. Clear the filters to see every \
             entry.",
        )
    } else {
        (
            "No changes recorded yet",
            "When someone invites, changes or removes a partner, or changes your team's \
             settings, it shows here with who did it and when.",
        )
    }
}

/// The audit log's entries, newest first, each as one sentence with its time (relative,
/// the exact time on hover), then "Newest" and "Older entries" links. Skeleton lines while
/// loading, an empty state that says why, an error with Retry.
#[component]
pub fn AuditLogEntries(
    #[prop(into)] state: Signal<AuditLogState>,
    /// The view in the URL.
    #[prop(into)]
    params: Signal<AuditLogParams>,
    /// Clear the filters.
    #[prop(into)]
    on_clear: Callback<()>,
    /// Load the entries again after a failure.
    #[prop(into)]
    on_retry: Callback<()>,
    /// A newer answer is on its way: the entries shown are about to change.
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let class = style! {
        .entries {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .busy {
            opacity: 0.55;
            transition: opacity 0.2s;
        }
        .entry {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-3) var(--space-4);
        }
        .entry + .entry {
            border-top: 1px solid var(--color-border);
        }
        .sentence {
            margin: 0;
            overflow-wrap: anywhere;
        }
        .meta {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-1) var(--space-2);
            margin: 0;
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .skeleton {
            display: block;
            height: 12px;
            margin: var(--space-1) 0;
            border-radius: var(--radius-control);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .short {
            width: 30%;
        }
        .pages {
            display: flex;
            flex-wrap: wrap;
            justify-content: flex-end;
            gap: var(--space-2);
            margin-top: var(--space-3);
        }
    };

    let entry = move |event: AuditEvent| {
        let sentence = event.sentence();
        view! { class=class,
            <li class="entry" data-testid="audit-entry">
                <p class="sentence">{sentence}</p>
                <p class="meta">
                    <RelativeTime at=Some(event.at.clone()) />
                    <span aria-hidden="true">"·"</span>
                    <Badge text=event.action.label() tone=Tone::Neutral />
                </p>
            </li>
        }
    };
    let skeleton = move || {
        view! { class=class,
            <div role="status" aria-busy="true">
                <span class="visually-hidden">"Loading the audit log…"</span>
                <ul class="entries" aria-hidden="true">
                    {(0..4)
                        .map(|_| view! { class=class,
                            <li class="entry">
                                <span class="skeleton"></span>
                                <span class="skeleton short"></span>
                            </li>
                        })
                        .collect_view()}
                </ul>
            </div>
        }
    };
    let pages = move |next: Option<String>| {
        let p = params.get();
        let newest = p.is_older().then(|| p.newest().href());
        let older = next.map(|next| p.older(&next).href());
        (newest.is_some() || older.is_some()).then(|| {
            view! { class=class,
                <nav class="pages" aria-label="Audit log pages">
                    {newest.map(|href| view! { <a class="button" href=href>"Newest"</a> })}
                    {older.map(|href| view! { <a class="button" href=href>"Older entries"</a> })}
                </nav>
            }
        })
    };

    move || match state.get() {
        AuditLogState::Loading => skeleton().into_any(),
        AuditLogState::Failed(error) => {
            view! { <ErrorPanel error=error on_retry=on_retry /> }.into_any()
        }
        AuditLogState::Loaded(page) if page.entries.is_empty() => {
            let p = params.get();
            let (title, text) = empty_text(&p);
            let action = if p.is_older() {
                Some(
                    view! { <a class="button" href=p.newest().href()>"Newest entries"</a> }
                        .into_any(),
                )
            } else if p.is_filtered() {
                Some(
                    view! {
                        <button type="button" class="button" on:click=move |_| on_clear.run(())>
                            "Clear filters"
                        </button>
                    }
                    .into_any(),
                )
            } else {
                None
            };
            view! {
                <EmptyState title=title text=text>
                    {action}
                </EmptyState>
            }
            .into_any()
        }
        AuditLogState::Loaded(AuditPage { entries, next }) => view! { class=class,
            <ol
                class="entries"
                class:busy=busy
                aria-labelledby="audit-log-title"
                aria-busy=move || busy.get().to_string()
            >
                {entries.into_iter().map(entry).collect_view()}
            </ol>
            {pages(next)}
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use partner_api::audit::AuditAction;

    use super::*;

    #[test]
    fn the_empty_state_says_why_nothing_shows() {
        let all = AuditLogParams::default();
        assert_eq!(empty_text(&all).0, "No changes recorded yet");
        let filtered = all.with_action(Some(AuditAction::MultiPartnerOn));
        assert_eq!(empty_text(&filtered).0, "No entries match these filters");
        assert_eq!(empty_text(&filtered.older("c1")).0, "No older entries");
    }
}
