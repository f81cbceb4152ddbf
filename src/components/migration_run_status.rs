use leptos::prelude::*;
use partner_api::migration::{MigrationRun, RunKind, RunState};
use stylers_macro::style;

use super::icon::{Icon, IconName};
use super::pagination::{counted, thousands};
use super::relative_time::{exact_time, parse_rfc3339};

/// An RFC 3339 time as people read it ("4 Dec 2026, 04:51 UTC").
fn when(at: Option<&str>) -> Option<String> {
    at.and_then(parse_rfc3339).map(exact_time)
}

/// How far a run has got: "Migrated 120 of 400 workspaces".
pub fn progress_text(run: &MigrationRun) -> String {
    format!(
        "Migrated {} of {}",
        thousands(run.workspaces_migrated),
        counted(run.workspaces_total, "workspace", "workspaces")
    )
}

/// What a finished run did: "Migrated 401 workspaces and emailed 805 people (4 Dec 2026,
/// 04:51 UTC)."
pub fn done_text(run: &MigrationRun) -> String {
    let by = match run.kind {
        RunKind::OnDemand => "",
        RunKind::Scheduled => " on the plan's date",
    };
    let finished = when(run.finished_at.as_deref())
        .map(|at| format!(" ({at})"))
        .unwrap_or_default();
    let workspaces = counted(run.workspaces_migrated, "workspace", "workspaces");
    match run.people_emailed {
        Some(people) => format!(
            "Migrated {workspaces} and emailed {}{by}{finished}. Each person got exactly one \
             email.",
            counted(people, "person", "people"),
        ),
        None => format!("Migrated {workspaces}{by}{finished}."),
    }
}

/// What happened to a failed run, in plain words: the error, where it stopped, and that
/// nothing is half done.
pub fn failure_text(run: &MigrationRun) -> String {
    let error = run
        .error
        .as_deref()
        .unwrap_or("Something went wrong on our side.");
    if run.workspaces_migrated == 0 {
        format!("{error} No workspace has migrated yet, and nobody has been emailed.")
    } else {
        format!(
            "{error} {} before it stopped: those stay migrated, and nobody has been emailed \
             yet (everyone gets one email when the run completes).",
            progress_text(run)
        )
    }
}

/// When a failed run is tried again.
pub fn retry_text(run: &MigrationRun) -> String {
    match when(run.next_attempt_at.as_deref()) {
        Some(at) => format!("It retries automatically on {at}."),
        None => "It retries automatically within a few minutes.".to_owned(),
    }
}

/// What a person can do about a failed run.
pub fn advice_text(can_run: bool) -> &'static str {
    if can_run {
        "Retry now to try again at once. Each automatic retry waits twice as long as the \
         last, up to an hour; if it keeps failing, contact support with this message."
    } else {
        "A Team Admin of your team can retry it now."
    }
}

/// Which of its states the status is in (the markup changes only when this does; the
/// figures update in place while a run is polled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    None,
    Running,
    Failed,
    Done,
}

/// The team's current or latest migration run: while running, "Migrated 120 of 400
/// workspaces" over a progress bar; failed, what happened, when it retries and what to do
/// (Retry now, for Team Admins); done, what it did.
#[component]
pub fn MigrationRunStatus(
    #[prop(into)] run: Signal<Option<MigrationRun>>,
    /// Whether the person may retry it (Team Admins).
    #[prop(into)]
    can_run: Signal<bool>,
    /// Retry now was pressed.
    #[prop(into)]
    on_retry: Callback<()>,
    /// A retry is on its way.
    #[prop(optional, into)]
    retrying: Signal<bool>,
) -> impl IntoView {
    let class = style! {
        .run {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding: var(--space-4);
            border-radius: var(--radius-control);
            background: var(--color-surface);
        }
        .run.failed {
            border: 1px solid var(--color-danger);
            background: var(--color-danger-soft);
        }
        .run.done {
            border: 1px solid var(--color-success);
            background: var(--color-success-soft);
        }
        .head {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 600;
        }
        .failed .head {
            color: var(--color-danger);
        }
        .done .head {
            color: var(--color-success);
        }
        .head span {
            color: var(--color-text);
        }
        progress {
            width: 100%;
            height: 8px;
            accent-color: var(--color-accent);
        }
        .note {
            color: var(--color-text-secondary);
        }
        .retry {
            align-self: flex-start;
        }
    };
    let shape = Memo::new(move |_| {
        run.with(|run| match run.as_ref().map(|r| r.state) {
            None => Shape::None,
            Some(RunState::Running) => Shape::Running,
            Some(RunState::Failed) => Shape::Failed,
            Some(RunState::Done) => Shape::Done,
        })
    });
    let text = move |f: fn(&MigrationRun) -> String| {
        move || run.with(|run| run.as_ref().map(f).unwrap_or_default())
    };
    let figure =
        move |f: fn(&MigrationRun) -> u64| move || run.with(|run| run.as_ref().map_or(0, f));

    // Announced once per change of state, not at every step of the progress.
    let announcement = move || match shape.get() {
        Shape::None => String::new(),
        Shape::Running => "The migration is running.".to_owned(),
        Shape::Failed => "The migration stopped.".to_owned(),
        Shape::Done => run.with_untracked(|run| run.as_ref().map(done_text).unwrap_or_default()),
    };
    let block = move || match shape.get() {
        Shape::None => ().into_any(),
        Shape::Running => view! { class=class,
            <div class="run">
                <p class="head">
                    <span id="migration-progress">{text(progress_text)}</span>
                </p>
                <progress
                    aria-labelledby="migration-progress"
                    max=figure(|r| r.workspaces_total.max(1))
                    value=figure(|r| r.workspaces_migrated)
                ></progress>
                <p class="note">
                    "You can leave this page: the migration goes on, and everyone is emailed \
                     once when it is done."
                </p>
            </div>
        }
        .into_any(),
        Shape::Failed => view! { class=class,
            <div class="run failed">
                <p class="head">
                    <Icon name=IconName::Alert />
                    <span>"The migration stopped"</span>
                </p>
                <p>{text(failure_text)}</p>
                <p>{text(retry_text)}</p>
                <p>{move || advice_text(can_run.get())}</p>
                <Show when=move || can_run.get()>
                    <button
                        class=format!("{class} button button-primary retry")
                        disabled=move || retrying.get()
                        on:click=move |_| on_retry.run(())
                    >
                        {move || if retrying.get() { "Retrying…" } else { "Retry now" }}
                    </button>
                </Show>
            </div>
        }
        .into_any(),
        Shape::Done => view! { class=class,
            <div class="run done">
                <p class="head">
                    <Icon name=IconName::Check />
                    <span>"Migration done"</span>
                </p>
                <p>{text(done_text)}</p>
            </div>
        }
        .into_any(),
    };
    view! {
        <p class="visually-hidden" role="status">
            {announcement}
        </p>
        {block}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: RunState) -> MigrationRun {
        MigrationRun {
            id: "r1".into(),
            state,
            kind: RunKind::OnDemand,
            started_at: "2026-12-04T10:00:00Z".into(),
            finished_at: None,
            workspaces_total: 400,
            workspaces_migrated: 120,
            people_emailed: None,
            failed_attempts: 0,
            error: None,
            next_attempt_at: None,
        }
    }

    #[test]
    fn progress_reads_as_a_sentence() {
        assert_eq!(
            progress_text(&run(RunState::Running)),
            "Migrated 120 of 400 workspaces"
        );
        let one = MigrationRun {
            workspaces_total: 1,
            workspaces_migrated: 0,
            ..run(RunState::Running)
        };
        assert_eq!(progress_text(&one), "Migrated 0 of 1 workspace");
    }

    #[test]
    fn a_finished_run_says_what_it_did() {
        let done = MigrationRun {
            finished_at: Some("2026-12-04T10:05:00Z".into()),
            workspaces_migrated: 1_401,
            people_emailed: Some(1),
            ..run(RunState::Done)
        };
        assert_eq!(
            done_text(&done),
            "Migrated 1,401 workspaces and emailed 1 person (4 Dec 2026, 10:05 UTC). Each \
             person got exactly one email."
        );
        // A run finished before runs counted whom they emailed says only what it migrated.
        let older = MigrationRun {
            people_emailed: None,
            kind: RunKind::Scheduled,
            ..done
        };
        assert_eq!(
            done_text(&older),
            "Migrated 1,401 workspaces on the plan's date (4 Dec 2026, 10:05 UTC)."
        );
    }

    #[test]
    fn a_failed_run_says_what_happened_when_it_retries_and_what_to_do() {
        let failed = MigrationRun {
            error: Some("The database refused a change.".into()),
            next_attempt_at: Some("2026-12-04T10:06:00Z".into()),
            failed_attempts: 1,
            ..run(RunState::Failed)
        };
        assert!(failure_text(&failed).starts_with(
            "The database refused a change. Migrated 120 of 400 workspaces before it stopped: \
             those stay migrated, and nobody has been emailed yet"
        ));
        let at_once = MigrationRun {
            workspaces_migrated: 0,
            ..failed.clone()
        };
        assert_eq!(
            failure_text(&at_once),
            "The database refused a change. No workspace has migrated yet, and nobody has been \
             emailed."
        );
        assert_eq!(
            retry_text(&failed),
            "It retries automatically on 4 Dec 2026, 10:06 UTC."
        );
        assert!(advice_text(true).starts_with("Retry now"));
        assert!(advice_text(false).contains("Team Admin"));
    }
}
