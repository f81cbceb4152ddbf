use leptos::prelude::*;
use partner_api::migration::{LegacyWorkspace, MigrationOverview, MigrationPlan, PlannedEmail};
use partner_api::workspaces::MigrationState;
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::dialog::Dialog;
use super::error_panel::ErrorPanel;
use crate::api::{self, ApiError};

/// The badge of a migration state: text and a colour, never colour alone.
pub fn state_badge(state: MigrationState) -> (&'static str, Tone) {
    match state {
        MigrationState::Legacy => ("Legacy", Tone::Warning),
        MigrationState::Scheduled => ("Scheduled", Tone::Accent),
        MigrationState::Migrated => ("Migrated", Tone::Success),
    }
}

/// The sentence that says when the team's workspaces migrate.
pub fn schedule_sentence(overview: &MigrationOverview) -> String {
    let left = overview
        .workspaces
        .iter()
        .filter(|w| w.state != MigrationState::Migrated)
        .count();
    match (left, overview.scheduled_for.as_deref()) {
        (0, _) => "Every legacy partner workspace of your team has migrated.".to_owned(),
        (_, Some(day)) => format!(
            "On the {} plan, your remaining legacy workspaces migrate automatically on {day}. \
             Partners and admins get an email when they do.",
            overview.plan.label()
        ),
        (_, None) => "Your plan has no scheduled date: migrate when you are ready.".to_owned(),
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// What Migrate now did, in one sentence.
pub fn done_sentence(plan: &MigrationPlan) -> String {
    if plan.workspaces.is_empty() {
        return "Nothing was left to migrate; nobody was emailed.".to_owned();
    }
    format!(
        "Migrated {}. {} an email.",
        count(plan.workspaces.len(), "workspace", "workspaces"),
        count(plan.emails.len(), "person gets", "people get"),
    )
}

/// One planned email as a line a person reads.
pub fn email_line(email: &PlannedEmail) -> String {
    let roles: Vec<&str> = email.roles.iter().map(|r| r.label()).collect();
    let workspaces: Vec<&str> = email.workspaces.iter().map(|w| w.name.as_str()).collect();
    format!(
        "{} ({}), {}: \u{201c}{}\u{201d} listing {}",
        email.to.name,
        email.to.email,
        roles.join(", "),
        email.subject,
        workspaces.join(", ")
    )
}

/// Team Settings > Partnerships > Migration: the team's legacy partner workspaces, their
/// state and schedule, a dry run that lists who gets which email, and Migrate now behind
/// a confirmation. Only Team Admins see the actions (the server decides; this mirrors it).
#[component]
pub fn MigrationPanel() -> impl IntoView {
    let overview = LocalResource::new(api::migration::overview);
    let dry_run = Action::new_local(|(): &()| api::migration::dry_run());
    let migrate = Action::new_local(|(): &()| api::migration::migrate_now());
    let confirming = RwSignal::new(false);

    // A finished migration closes the dialog and reloads the states.
    Effect::new(move |_| {
        if let Some(Ok(_)) = migrate.value().get() {
            confirming.set(false);
            // The dry run described the state before: it no longer applies.
            dry_run.value().set(None);
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
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        table {
            width: 100%;
            border-collapse: collapse;
            font-variant-numeric: tabular-nums;
        }
        th {
            text-align: left;
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
            font-weight: 600;
            padding: var(--space-2) var(--space-3);
            border-bottom: 1px solid var(--color-border);
        }
        td {
            padding: var(--space-2) var(--space-3);
            height: 40px;
            border-bottom: 1px solid var(--color-border);
        }
        .number {
            text-align: right;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            flex-wrap: wrap;
        }
        .plan {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding: var(--space-4);
            background: var(--color-surface);
            border-radius: var(--radius-control);
        }
        .plan ul {
            margin: 0;
            padding-left: var(--space-5);
        }
        .done {
            color: var(--color-success);
            font-weight: 600;
        }
        .skeleton {
            height: 120px;
            background: var(--color-surface);
            border-radius: var(--radius-control);
        }
    };

    let row = move |w: LegacyWorkspace| {
        let (label, tone) = state_badge(w.state);
        let when = match (&w.migrated_at, &w.scheduled_for) {
            (Some(at), _) => format!("Migrated {}", at.get(..10).unwrap_or(at)),
            (None, Some(day)) => format!("Migrates {day}"),
            (None, None) => "When you migrate it".to_owned(),
        };
        view! { class=class,
            <tr>
                <td>{w.name}</td>
                <td>
                    <Badge text=label.to_owned() tone=tone />
                </td>
                <td>{when}</td>
                <td class="number">{w.partner_count}</td>
            </tr>
        }
    };

    let plan_view = move |plan: MigrationPlan, heading: &'static str| {
        let names: Vec<String> = plan.workspaces.iter().map(|w| w.name.clone()).collect();
        let emails = plan
            .emails
            .iter()
            .map(|e| view! { <li>{email_line(e)}</li> })
            .collect_view();
        view! { class=class,
            <section class="plan" aria-label=heading>
                <h3>{heading}</h3>
                {if names.is_empty() {
                    view! { <p>"Nothing left to migrate, so nobody gets an email."</p> }.into_any()
                } else {
                    view! { class=class,
                        <p>
                            {format!(
                                "{}: {}",
                                count(names.len(), "workspace", "workspaces"),
                                names.join(", "),
                            )}
                        </p>
                        <p>
                            {format!(
                                "{} exactly one email:",
                                count(plan.emails.len(), "person gets", "people each get"),
                            )}
                        </p>
                        <ul>{emails}</ul>
                    }
                    .into_any()
                }}
            </section>
        }
    };

    let content = move || {
        Suspend::new(async move {
            let overview = match overview.await {
                Ok(overview) => overview,
                Err(error) => {
                    return view! {
                        <ErrorPanel error=error on_retry=Callback::new(move |()| overview.refetch()) />
                    }
                    .into_any();
                }
            };
            let left = overview
                .workspaces
                .iter()
                .filter(|w| w.state != MigrationState::Migrated)
                .count();
            let sentence = schedule_sentence(&overview);
            let can_run = overview.can_run;
            let workspaces = overview.workspaces.clone();
            let table = (!overview.workspaces.is_empty()).then(|| {
                view! { class=class,
                    <table>
                        <thead>
                            <tr>
                                <th scope="col">"Workspace"</th>
                                <th scope="col">"State"</th>
                                <th scope="col">"Schedule"</th>
                                <th scope="col" class="number">"Partners"</th>
                            </tr>
                        </thead>
                        <tbody>
                            // Keyed by state too: a row whose state changes is drawn anew.
                            <For
                                each=move || workspaces.clone()
                                key=|w| (w.id.clone(), w.state)
                                children=row
                            />
                        </tbody>
                    </table>
                }
            });
            view! { class=class,
                <p class="lede">{sentence}</p>
                {table}
                {(can_run && left > 0)
                    .then(|| {
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
                                <button
                                    class="button button-primary"
                                    on:click=move |_| confirming.set(true)
                                >
                                    "Migrate now"
                                </button>
                            </div>
                        }
                    })}
            }
            .into_any()
        })
    };

    let dry_run_result = move || {
        dry_run.value().get().map(|answer| match answer {
            Ok(plan) => plan_view(plan, "Dry run: what Migrate now would do").into_any(),
            Err(error) => view! { <ErrorPanel error=error /> }.into_any(),
        })
    };
    let migrate_result = move || {
        migrate.value().get().and_then(|answer| match answer {
            Ok(plan) => Some(
                view! { class=class,
                    <p class="done" role="status">
                        {done_sentence(&plan)}
                    </p>
                }
                .into_any(),
            ),
            Err(_) => None,
        })
    };
    let migrate_error = move || -> Option<ApiError> { migrate.value().get().and_then(Result::err) };

    view! { class=class,
        <section class="migration" aria-labelledby="migration-title">
            <h2 id="migration-title">"Legacy partner workspaces"</h2>
            <Transition fallback=move || {
                view! { class=class, <div class="skeleton" aria-busy="true"></div> }
            }>{content}</Transition>
            {dry_run_result}
            {migrate_result}
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
                        {move || if migrate.pending().get() { "Migrating…" } else { "Migrate now" }}
                    </button>
                    <button class="button" on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            </Dialog>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::Plan;
    use partner_api::migration::RecipientRole;
    use partner_api::partnerships::WorkspaceRef;
    use partner_api::session::UserRef;

    use super::*;

    fn refunds(state: MigrationState) -> LegacyWorkspace {
        LegacyWorkspace {
            id: "w1".into(),
            name: "Refunds API".into(),
            state,
            scheduled_for: Some("2026-12-15".into()),
            migrated_at: None,
            partner_count: 1,
        }
    }

    #[test]
    fn the_schedule_reads_as_a_sentence() {
        let mut overview = MigrationOverview {
            plan: Plan::Professional,
            scheduled_for: Some("2026-12-15".into()),
            workspaces: vec![refunds(MigrationState::Scheduled)],
            can_run: true,
        };
        assert!(schedule_sentence(&overview).contains("Professional plan"));
        assert!(schedule_sentence(&overview).contains("2026-12-15"));
        overview.workspaces = vec![refunds(MigrationState::Migrated)];
        assert!(schedule_sentence(&overview).starts_with("Every legacy"));
        assert_eq!(state_badge(MigrationState::Legacy).0, "Legacy");
    }

    #[test]
    fn a_plan_says_who_gets_what() {
        let email = PlannedEmail {
            to: UserRef {
                id: "u".into(),
                name: "Ivan Ito".into(),
                email: "ivan@initech.test".into(),
            },
            roles: vec![RecipientRole::Partner],
            subject: "Your Partner Workspace with Acme Payments has been upgraded".into(),
            workspaces: vec![WorkspaceRef {
                id: "w1".into(),
                name: "Refunds API".into(),
            }],
        };
        assert_eq!(
            email_line(&email),
            "Ivan Ito (ivan@initech.test), Partner: \u{201c}Your Partner Workspace with Acme \
             Payments has been upgraded\u{201d} listing Refunds API"
        );
        let plan = MigrationPlan {
            dry_run: false,
            workspaces: email.workspaces.clone(),
            emails: vec![email],
        };
        assert_eq!(
            done_sentence(&plan),
            "Migrated 1 workspace. 1 person gets an email."
        );
    }
}
