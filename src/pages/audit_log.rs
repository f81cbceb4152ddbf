//! Team Settings > Audit log: every change to partner access and to the team, who made it
//! and when, newest first, filtered in the URL, with a CSV of the same filters — for the
//! team's Team Admins and Partner Managers.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query};
use partner_api::ErrorCode;
use partner_api::audit::{AuditFilterChoices, AuditPage, AuditQuery};
use partner_api::team::TeamSettings;
use stylers_macro::style;

use crate::api::{self, ApiError};
use crate::components::audit_log_entries::{AuditLogEntries, AuditLogState};
use crate::components::audit_log_filters::AuditLogFilters;
use crate::components::error_panel::explain;
use crate::components::no_permission::NoPermission;
use crate::components::no_team::NoTeam;
use crate::components::require_session::RequireSession;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::params::audit_log::AuditLogParams;
use crate::session::use_session;

/// What people who may not open the audit log are told.
pub const NO_PERMISSION: &str = "Only Team Admins and Partner Managers can see the audit log";

/// Team Settings > Audit log.
#[component]
pub fn AuditLog() -> impl IntoView {
    // Asked for now, beside the session check, not after it (one round trip less on a cold
    // load); someone signed out or without permission gets a 401/403 that is never shown.
    let data = AuditLogData::load();
    view! {
        <RequireSession>
            <AuditLogPage data=data />
        </RequireSession>
    }
}

/// The view in the URL and what it asks for.
#[derive(Clone, Copy)]
struct AuditLogData {
    params: Memo<AuditLogParams>,
    api_query: Memo<AuditQuery>,
    /// Each answer says which query it answers, so the list can tell a stale page.
    list: LocalResource<(AuditQuery, Result<AuditPage, ApiError>)>,
    choices: LocalResource<Result<AuditFilterChoices, ApiError>>,
    /// The caller's team, for `permissions.read_audit_log`.
    team: LocalResource<Result<TeamSettings, ApiError>>,
}

impl AuditLogData {
    fn load() -> Self {
        let query = use_query::<AuditLogParams>();
        let params = Memo::new(move |_| query.get().unwrap_or_default());
        let api_query = Memo::new(move |_| params.with(AuditLogParams::api_query));
        let list = LocalResource::new(move || {
            let query = api_query.get();
            async move {
                let answer = api::audit::list(&query).await;
                (query, answer)
            }
        });
        Self {
            params,
            api_query,
            list,
            choices: LocalResource::new(api::audit::filters),
            team: LocalResource::new(api::team::get),
        }
    }
}

/// The page around its content, for someone signed in.
#[component]
fn AuditLogPage(data: AuditLogData) -> impl IntoView {
    let class = style! {
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-5);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 72ch;
            margin: 0;
        }
    };
    let session = use_session();
    let in_team = Memo::new(move |_| session.me().map(|me| me.team.is_some()));
    // What the team's settings say; until they answer (or if they can't), the session's
    // mirror of the same rule. The server has the last word: a 403 shows the same panel.
    let allowed = Memo::new(move |_| match data.team.get() {
        Some(Ok(team)) => Some(team.permissions.read_audit_log),
        _ => session.me().map(|me| me.can_manage_partnerships()),
    });
    view! { class=class,
        <TeamSettingsFrame selected=TeamSection::AuditLog>
            <header class="page-head">
                <h1 id="audit-log-title">"Audit log"</h1>
                <p class="lede">
                    "Every change to partner access and to your team: who made it, and when. \
                     Newest first."
                </p>
            </header>
            {move || match (in_team.get(), allowed.get()) {
                (Some(false), _) => view! { <NoTeam /> }.into_any(),
                (_, Some(true)) => view! { <AuditLogContent data=data /> }.into_any(),
                (_, Some(false)) => no_permission().into_any(),
                _ => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

fn no_permission() -> impl IntoView {
    let me = use_session().me();
    view! {
        <NoPermission
            title=NO_PERMISSION
            advice="The audit log shows every change to partner access and to your team. Ask a \
                    Team Admin of your team if you need it, or to make you a Partner Manager."
            me=me
        />
    }
}

/// The filters, the CSV link and the entries, for people who may read the log.
#[component]
fn AuditLogContent(data: AuditLogData) -> impl IntoView {
    let class = style! {
        .toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-3);
            margin-bottom: var(--space-4);
        }
        .filters {
            flex: 1 1 560px;
            min-width: 0;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            margin-left: auto;
        }
        .choices-failed {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin: 0 0 var(--space-3);
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        @media (max-width: 640px) {
            .actions {
                width: 100%;
                margin-left: 0;
            }
        }
    };
    let AuditLogData {
        params,
        api_query,
        list,
        choices,
        ..
    } = data;
    let navigate = use_navigate();
    // Each filter is a step back/forward can retrace; the page stays where it is scrolled.
    let go = Callback::new(move |next: AuditLogParams| {
        navigate(
            &next.href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });
    let forbidden = Memo::new(move |_| {
        list.with(|answer| {
            matches!(answer, Some((_, Err(error))) if error.code() == Some(ErrorCode::Forbidden))
        })
    });
    // The list follows the resource: the last answer stays on screen (dimmed) while the
    // next loads.
    let state = Memo::new(move |_| {
        list.with(|answer| match answer {
            None => AuditLogState::Loading,
            Some((_, Ok(page))) => AuditLogState::Loaded(page.clone()),
            Some((_, Err(error))) => AuditLogState::Failed(error.clone()),
        })
    });
    let busy = Memo::new(move |_| {
        let wanted = api_query.get();
        list.with(|answer| answer.as_ref().is_some_and(|(query, _)| *query != wanted))
    });
    let loaded_choices =
        Memo::new(
            move |previous: Option<&Option<AuditFilterChoices>>| match choices.get() {
                Some(Ok(choices)) => Some(choices),
                _ => previous.cloned().flatten(),
            },
        );
    let choices_failed = move || {
        choices.get().and_then(Result::err).map(|error| {
            view! { class=class,
                <p class="choices-failed" role="status">
                    {format!(
                        "The lists of people, workspaces and teams to filter by didn't load. {}",
                        explain(&error),
                    )}
                    <button type="button" class="button" on:click=move |_| choices.refetch()>
                        "Retry"
                    </button>
                </p>
            }
        })
    };
    let csv = Memo::new(move |_| params.with(|p| api::audit::csv_url(&p.filter())));

    view! { class=class,
        <Show when=move || !forbidden.get() fallback=no_permission>
            <div class="toolbar">
                <div class="filters">
                    <AuditLogFilters params=params choices=loaded_choices on_change=go />
                </div>
                <div class="actions">
                    // A plain link: the browser downloads the server's CSV of the same filters.
                    <a class="button" href=csv download="">
                        "Download CSV"
                    </a>
                </div>
            </div>
            {choices_failed}
            <AuditLogEntries
                state=state
                params=params
                busy=busy
                on_clear=move |()| go.run(params.get_untracked().cleared())
                on_retry=move |()| list.refetch()
            />
        </Show>
    }
}
