use std::time::Duration;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_query_map};
use partner_api::migration::{MigrationCounts, MigrationOverview, RunState};
use partner_api::{Paginated, Plan};
use stylers_macro::style;

use super::dialog::Dialog;
use super::error_panel::ErrorPanel;
use super::migration_plan::MigrationPlanView;
use super::migration_run_status::MigrationRunStatus;
use super::migration_table::MigrationTable;
use super::pagination::counted;
use crate::api::{self, ApiError};

/// The query parameter that holds the page of legacy workspaces.
pub const PAGE_PARAM: &str = "migration_page";

/// Legacy workspaces per page: the panel sits below the partner teams, and on a phone each
/// is a card.
pub const PER_PAGE: u32 = 20;

/// How often a running migration is looked at again.
const POLL_EVERY: Duration = Duration::from_secs(1);

/// The sentence that says where the team's legacy workspaces stand and when the rest
/// migrate (from the counts of all of them, not the page shown). While a run is unfinished
/// (`in_progress`), the run's own status says the rest.
pub fn schedule_sentence(
    plan: Plan,
    scheduled_for: Option<&str>,
    counts: MigrationCounts,
    in_progress: bool,
) -> String {
    let left = counts.left();
    let left_text = counted(left, "legacy workspace", "legacy workspaces");
    match (left, scheduled_for) {
        (0, _) if counts.migrated == 0 => {
            "Your team has no legacy partner workspaces: there is nothing to migrate.".to_owned()
        }
        (0, _) => "Every legacy partner workspace of your team has migrated.".to_owned(),
        _ if in_progress => format!("{left_text} left to migrate."),
        (_, Some(day)) => format!(
            "{left_text} left. On the {} plan, your remaining legacy workspaces migrate \
             automatically on {day}. Partners and admins get an email when they do.",
            plan.label()
        ),
        (_, None) => {
            format!(
                "{left_text} left. Your plan has no scheduled date: migrate when you are ready."
            )
        }
    }
}

/// The address of a page of the legacy workspaces: this page's path and query (`search`,
/// as the router gives it: encoded, without its `?`) with the migration's page replaced;
/// page 1 is the address without it.
pub fn page_href(path: &str, search: &str, page: u32) -> String {
    let mut pairs: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some(PAGE_PARAM))
        .map(str::to_owned)
        .collect();
    if page > 1 {
        pairs.push(format!("{PAGE_PARAM}={page}"));
    }
    if pairs.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", pairs.join("&"))
    }
}

/// Team Settings > Partnerships > Migration: the team's legacy partner workspaces (a page
/// at a time; the page is in the URL), their state and schedule, the current or latest run
/// with its progress (polled about once a second while it runs, also after a reload), a
/// dry run that lists who gets which email, and Migrate now behind a confirmation. Only
/// Team Admins see the actions (the server decides; this mirrors it).
#[component]
pub fn MigrationPanel() -> impl IntoView {
    let query = use_query_map();
    let location = use_location();
    let page = Memo::new(move |_| {
        query.with(|q| {
            q.get(PAGE_PARAM)
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1)
                .max(1)
        })
    });
    let overview = LocalResource::new(move || api::migration::overview(page.get(), PER_PAGE));
    // The last overview that arrived: it stays on screen while the next one loads or when
    // one poll fails, so the table and the progress bar update in place.
    let latest =
        Memo::new(
            move |previous: Option<&Option<MigrationOverview>>| match overview.get() {
                Some(Ok(answer)) => Some(answer),
                _ => previous.cloned().flatten(),
            },
        );
    let failure = Memo::new(move |_| {
        overview.with(|answer| match answer {
            Some(Err(error)) => Some(error.clone()),
            _ => None,
        })
    });
    let run = Memo::new(move |_| latest.with(|o| o.as_ref().and_then(|o| o.run.clone())));
    let can_run = Memo::new(move |_| latest.with(|o| o.as_ref().is_some_and(|o| o.can_run)));
    let left = Memo::new(move |_| latest.with(|o| o.as_ref().map_or(0, |o| o.counts.left())));

    // Each answer that says the run is still going asks again a second later. Leaving the
    // panel cancels the timer (and `api` aborts a request in flight); a failed poll stops
    // until Retry.
    Effect::new(move |_| {
        let still_running = overview.with(|answer| {
            matches!(answer, Some(Ok(o)) if o.run.as_ref().is_some_and(|r| r.state == RunState::Running))
        });
        if still_running
            && let Ok(timer) = set_timeout_with_handle(move || overview.refetch(), POLL_EVERY)
        {
            on_cleanup(move || timer.clear());
        }
    });

    let dry_run = Action::new_local(|(): &()| api::migration::dry_run());
    let migrate = Action::new_local(|(): &()| api::migration::migrate_now());
    let confirming = RwSignal::new(false);

    // A started (or resumed) run closes the dialog and shows its progress; a refusal (the
    // run was finished by someone else meanwhile) shows the latest state too.
    Effect::new(move |_| {
        if let Some(answer) = migrate.value().get() {
            if answer.is_ok() {
                confirming.set(false);
                // The dry run described the state before: it no longer applies.
                dry_run.value().set(None);
            }
            overview.refetch();
        }
    });

    let class = style! {
        .migration {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            padding: var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            min-width: 0;
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            flex-wrap: wrap;
        }
        .skeleton {
            height: 120px;
            background: var(--color-surface);
            border-radius: var(--radius-control);
        }
        @media (max-width: 640px) {
            .migration {
                padding: var(--space-4) var(--space-3);
            }
        }
    };

    let href_for = Callback::new(move |page: u32| {
        page_href(
            &location.pathname.get_untracked(),
            &location.search.get_untracked(),
            page,
        )
    });
    let workspaces = Signal::derive(move || {
        latest.with(|o| {
            o.as_ref()
                .map(|o| o.workspaces.clone())
                .unwrap_or_else(empty_page)
        })
    });
    let sentence = move || {
        latest.with(|o| {
            o.as_ref()
                .map(|o| {
                    let in_progress = o.run.as_ref().is_some_and(|r| r.state != RunState::Done);
                    schedule_sentence(o.plan, o.scheduled_for.as_deref(), o.counts, in_progress)
                })
                .unwrap_or_default()
        })
    };
    let has_workspaces =
        move || latest.with(|o| o.as_ref().is_some_and(|o| o.workspaces.total > 0));
    let retry = Callback::new(move |()| {
        migrate.dispatch(());
    });
    // Memos, so the polls that change figures redraw only the figures.
    let show_actions = Memo::new(move |_| {
        // A running or failed run has its own controls (progress, Retry now).
        let idle = run.with(|run| run.as_ref().is_none_or(|r| r.state == RunState::Done));
        can_run.get() && left.get() > 0 && idle
    });
    let loaded = Memo::new(move |_| latest.with(Option::is_some));
    let failed = Memo::new(move |_| failure.with(Option::is_some));
    let actions = move || {
        show_actions.get().then(|| {
            view! { class=class,
                <div class="actions">
                    <button
                        class="button"
                        disabled=move || dry_run.pending().get()
                        on:click=move |_| {
                            dry_run.dispatch(());
                        }
                    >
                        {move || if dry_run.pending().get() { "Planning…" } else { "Dry run" }}
                    </button>
                    <button class="button button-primary" on:click=move |_| confirming.set(true)>
                        "Migrate now"
                    </button>
                </div>
            }
        })
    };
    let failure_view = move || {
        failure.get().map(|error| {
            view! { <ErrorPanel error=error on_retry=Callback::new(move |()| overview.refetch()) /> }
        })
    };
    let dry_run_result = move || {
        dry_run.value().get().map(|answer| match answer {
            Ok(plan) => view! {
                <MigrationPlanView plan=plan heading="Dry run: what Migrate now would do" />
            }
            .into_any(),
            Err(error) => view! { <ErrorPanel error=error /> }.into_any(),
        })
    };
    let migrate_error = move || -> Option<ApiError> { migrate.value().get().and_then(Result::err) };
    // Retry now has no dialog: its refusal shows under the run.
    let retry_error = move || {
        (!confirming.get())
            .then(migrate_error)
            .flatten()
            .map(|error| view! { <ErrorPanel error=error /> })
    };

    let content = move || {
        if loaded.get() {
            view! { class=class,
                <p class="lede">{sentence}</p>
                <MigrationRunStatus
                    run=run
                    can_run=can_run
                    on_retry=retry
                    retrying=migrate.pending()
                />
                {actions}
                {retry_error}
                {dry_run_result}
                <Show when=has_workspaces>
                    <MigrationTable page=workspaces href_for=href_for />
                </Show>
            }
            .into_any()
        } else if !failed.get() {
            view! { class=class, <div class="skeleton" aria-busy="true"></div> }.into_any()
        } else {
            ().into_any()
        }
    };
    view! { class=class,
        <section class="migration" aria-labelledby="migration-title">
            <h2 id="migration-title">"Legacy partner workspaces"</h2>
            {failure_view}
            {content}
            <Dialog
                open=confirming
                on_close=Callback::new(move |()| confirming.set(false))
                title="Migrate your legacy partner workspaces now?".to_owned()
            >
                <p>
                    "Each legacy partner workspace moves to the team-to-team model: partners \
                     open it from their own team, with their team's SSO. Their access and roles \
                     stay the same."
                </p>
                <p>
                    "Partner Managers, Team Admins and Workspace Admins get \u{201c}Your Partner \
                     Workspaces have been migrated\u{201d}; each partner gets one email with a \
                     link to their workspaces. This can't be undone."
                </p>
                {move || migrate_error().map(|error| view! { <ErrorPanel error=error /> })}
                <div class=format!("{class} actions")>
                    <button
                        class="button button-primary"
                        disabled=move || migrate.pending().get()
                        on:click=move |_| {
                            migrate.dispatch(());
                        }
                    >
                        {move || if migrate.pending().get() { "Starting…" } else { "Migrate now" }}
                    </button>
                    <button class="button" on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            </Dialog>
        </section>
    }
}

fn empty_page() -> Paginated<partner_api::migration::LegacyWorkspace> {
    partner_api::PageRequest::default().wrap(Vec::new(), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_reads_as_a_sentence() {
        let counts = MigrationCounts {
            legacy: 0,
            scheduled: 1,
            migrated: 0,
        };
        let sentence = schedule_sentence(Plan::Professional, Some("2026-12-15"), counts, false);
        assert!(sentence.starts_with("1 legacy workspace left. On the Professional plan"));
        assert!(sentence.contains("2026-12-15"));
        let done = MigrationCounts {
            scheduled: 0,
            migrated: 401,
            ..counts
        };
        assert!(
            schedule_sentence(Plan::Professional, Some("2026-12-15"), done, false)
                .starts_with("Every legacy")
        );
        assert!(
            schedule_sentence(Plan::Enterprise, None, MigrationCounts::default(), false)
                .contains("no legacy")
        );
        let free = MigrationCounts {
            legacy: 1_200,
            ..MigrationCounts::default()
        };
        assert!(
            schedule_sentence(Plan::Free, None, free, false)
                .starts_with("1,200 legacy workspaces left.")
        );
    }

    #[test]
    fn while_a_run_is_unfinished_the_sentence_leaves_the_rest_to_it() {
        let counts = MigrationCounts {
            legacy: 0,
            scheduled: 299,
            migrated: 2,
        };
        assert_eq!(
            schedule_sentence(Plan::Professional, Some("2026-12-15"), counts, true),
            "299 legacy workspaces left to migrate."
        );
    }

    #[test]
    fn page_links_keep_the_rest_of_the_address() {
        let path = "/settings/team/partnerships/external-partners";
        let search = "q=gl%C3%B6&migration_page=3&sort=-partners";
        assert_eq!(
            page_href(path, search, 4),
            format!("{path}?q=gl%C3%B6&sort=-partners&migration_page=4")
        );
        assert_eq!(
            page_href(path, search, 1),
            format!("{path}?q=gl%C3%B6&sort=-partners")
        );
        assert_eq!(page_href(path, "", 1), path);
        assert_eq!(
            page_href(path, "?migration_page=2", 3),
            format!("{path}?migration_page=3")
        );
    }
}
