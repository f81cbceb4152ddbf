//! Team Settings > Partnerships: who from outside can get into our workspaces, and do they
//! sign in with SSO. Partner teams (searched, filtered, sorted and paged on the server, all
//! in the URL), one team's detail, SSO coverage, access requests and Partner Editor seats.

use std::time::Duration;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query};
use partner_api::access_requests::AccessRequest;
use partner_api::events::Event;
use partner_api::expiry::AccessPeriod;
use partner_api::partnerships::{
    PartnerTeamDetail, PartnerTeamSummary, PartnershipsQuery, Seats, SsoCoverage,
};
use partner_api::{ErrorCode, Paginated, TeamId};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::access_requests_panel::AccessRequestsPanel;
use crate::components::migration_panel::MigrationPanel;
use crate::components::no_permission::NoPermission;
use crate::components::pagination::thousands;
use crate::components::partner_team_drawer::PartnerTeamDrawer;
use crate::components::partner_teams_table::{PartnerTeamsTable, TeamsTableState};
use crate::components::partner_teams_toolbar::PartnerTeamsToolbar;
use crate::components::require_session::RequireSession;
use crate::components::seats_card::SeatsCard;
use crate::components::sso_coverage::SsoCoverageCard;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::params::partnerships::PartnershipsParams;
use crate::session::use_session;

/// What people who may not open Partnerships are told.
pub const NO_PERMISSION: &str = "Only Team Admins and Partner Managers can see Partnerships";

/// Team Settings > Partnerships: partner teams, SSO, access requests and seats.
#[component]
pub fn Partnerships() -> impl IntoView {
    // The page's data is asked for now, beside the session check, not after it: a cold
    // load of this page is one round trip instead of two. Someone signed out or without
    // permission gets a 401/403 that is never shown (the gate below decides what is).
    let data = PartnershipsData::load();
    // Live updates: partner teams, seats or access requests changed (another Partner Manager
    // approved a request, say): the figures, the teams, the open team and the requests are
    // read again, each showing its last answer meanwhile.
    use_live_events().refetch_on(
        |event| {
            matches!(
                event,
                Event::PartnershipsChanged | Event::AccessRequestsChanged { .. }
            )
        },
        move || {
            data.list.refetch();
            data.coverage.refetch();
            data.seats.refetch();
            data.requests.refetch();
            if data.open_team.with_untracked(Option::is_some) {
                data.detail.refetch();
            }
        },
    );
    view! {
        <RequireSession>
            <PartnershipsPage data=data />
        </RequireSession>
    }
}

/// The page around its content, for someone signed in.
#[component]
fn PartnershipsPage(data: PartnershipsData) -> impl IntoView {
    let class = style! {
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-5);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
    };
    let session = use_session();
    // `RequireSession` shows this page only to someone signed in; the server has the last
    // word (a 403 shows the same explanation).
    let allowed = Memo::new(move |_| session.me().map(|me| me.can_manage_partnerships()));
    view! {
        <TeamSettingsFrame selected=TeamSection::Partnerships>
            <header class=format!("{class} page-head")>
                <h1>"Partnerships"</h1>
                <p class=format!("{class} lede")>
                    "Partner teams from other companies who can open your partner workspaces, \
                     and whether they sign in with SSO."
                </p>
            </header>
            {move || match allowed.get() {
                Some(true) => view! { <PartnershipsContent data=data /> }.into_any(),
                Some(false) => no_permission().into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

fn no_permission() -> impl IntoView {
    let me = use_session().me();
    view! {
        <NoPermission
            title=NO_PERMISSION
            advice="Partnerships shows which other companies can open your workspaces. Ask a \
                    Team Admin of your team if you need to see it or to become a Partner Manager."
            me=me
        />
    }
}

/// The view in the URL and every answer the page shows. All of it is created in one place and
/// read by the sections, so a change in one (an approval) can reload the others.
#[derive(Clone, Copy)]
struct PartnershipsData {
    params: Memo<PartnershipsParams>,
    api_query: Memo<PartnershipsQuery>,
    open_team: Memo<Option<TeamId>>,
    /// Each answer says which query it answers, so the table can tell a stale page.
    list: LocalResource<(
        PartnershipsQuery,
        Result<Paginated<PartnerTeamSummary>, ApiError>,
    )>,
    coverage: LocalResource<Result<SsoCoverage, ApiError>>,
    seats: LocalResource<Result<Seats, ApiError>>,
    requests: LocalResource<Result<Paginated<AccessRequest>, ApiError>>,
    /// How long the team's new partner access lasts ("Team default" when unknown).
    team_default: LocalResource<Option<AccessPeriod>>,
    detail: LocalResource<Option<Result<PartnerTeamDetail, ApiError>>>,
    /// The drawer's search of the open team's partners (a new team starts without one).
    detail_search: RwSignal<String>,
}

impl PartnershipsData {
    /// Starts every request the page needs for the view in the URL.
    fn load() -> Self {
        let query = use_query::<PartnershipsParams>();
        let params = Memo::new(move |_| query.get().unwrap_or_default());
        let api_query = Memo::new(move |_| params.with(PartnershipsParams::api_query));
        let open_team = Memo::new(move |_| params.with(|p| p.team.clone()));
        let list = LocalResource::new(move || {
            let query = api_query.get();
            async move {
                let answer = api::partnerships::list(&query).await;
                (query, answer)
            }
        });
        let detail_search = RwSignal::new(String::new());
        // Another team's drawer starts without the last one's search. Setting the signal
        // refetches the detail even when the search was already empty (every drawer was
        // asked for twice, its title back at "Partner team" meanwhile), so only a search
        // that is there is cleared.
        Effect::new(move |previous: Option<Option<TeamId>>| {
            let team = open_team.get();
            if previous.is_some_and(|previous| previous != team)
                && !detail_search.with_untracked(String::is_empty)
            {
                detail_search.set(String::new());
            }
            team
        });
        let detail = LocalResource::new(move || {
            let team = open_team.get();
            let q = detail_search.get();
            async move {
                match team {
                    Some(team) => Some(api::partnerships::detail(&team, Some(&q)).await),
                    None => None,
                }
            }
        });
        Self {
            params,
            api_query,
            open_team,
            list,
            coverage: LocalResource::new(api::partnerships::sso_coverage),
            seats: LocalResource::new(api::seats::get),
            requests: LocalResource::new(api::access_requests::pending),
            team_default: LocalResource::new(|| async {
                api::team::get().await.ok().map(|team| team.default_access)
            }),
            detail,
            detail_search,
        }
    }
}

/// The page for Team Admins and Partner Managers.
#[component]
fn PartnershipsContent(data: PartnershipsData) -> impl IntoView {
    let class = style! {
        .overview {
            display: grid;
            grid-template-columns: minmax(0, 2fr) minmax(0, 1fr) minmax(0, 1fr);
            gap: var(--space-4);
            margin-bottom: var(--space-6);
        }
        .pending {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .pending.waiting {
            border-color: var(--color-accent);
            background: var(--color-accent-soft);
        }
        .section {
            margin-bottom: var(--space-6);
        }
        .section-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-3);
        }
        .lede {
            color: var(--color-text-secondary);
        }
        @media (max-width: 1000px) {
            .overview {
                grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
            }
            .overview > :first-child {
                grid-column: 1 / -1;
            }
        }
        @media (max-width: 640px) {
            .overview {
                grid-template-columns: minmax(0, 1fr);
            }
        }
    };

    let PartnershipsData {
        params,
        api_query,
        open_team,
        list,
        coverage,
        seats,
        requests,
        team_default,
        detail,
        detail_search,
    } = data;

    // Access requests, migration and the drawer are drawn in the task after the first paint
    // of the figures and partner teams: on a cold load their components are new code for
    // the browser to compile, and the table need not wait for it (cold-load bench: first
    // row ~10 ms sooner). `try_set`: the page may be gone by then.
    let below_ready = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(move || _ = below_ready.try_set(true), Duration::ZERO);
    });

    let navigate = use_navigate();
    // Filters and sorting are steps back/forward can retrace; each keystroke of a search
    // replaces the last. The page stays where it is scrolled.
    let go = Callback::new(move |(next, replace): (PartnershipsParams, bool)| {
        navigate(
            &next.href(),
            NavigateOptions {
                replace,
                scroll: false,
                ..Default::default()
            },
        );
    });
    let refresh = Callback::new(move |()| {
        list.refetch();
        coverage.refetch();
        seats.refetch();
        detail.refetch();
    });

    let forbidden = Memo::new(move |_| {
        list.with(|answer| {
            matches!(answer, Some((_, Err(error))) if error.code() == Some(ErrorCode::Forbidden))
        })
    });
    // The table stays mounted and follows the resource: the last answer stays on screen
    // (dimmed) while the next loads, and sort buttons keep focus.
    let table_state = Memo::new(move |_| {
        list.with(|answer| match answer {
            None => TeamsTableState::Loading,
            Some((_, Ok(page))) => TeamsTableState::Loaded(page.clone()),
            Some((_, Err(error))) => TeamsTableState::Failed(error.clone()),
        })
    });
    let table_busy = Memo::new(move |_| {
        let wanted = api_query.get();
        list.with(|answer| answer.as_ref().is_some_and(|(query, _)| *query != wanted))
    });

    // Arriving at a section (`#access-requests` is the link of the access-request digest
    // email): the browser looked for it before the app drew it, so scroll there once, when
    // everything above it has loaded and its place is final.
    let location = use_location();
    let arrived = StoredValue::new(false);
    Effect::new(move |_| {
        let settled = below_ready.get()
            && table_state.with(|state| !matches!(state, TeamsTableState::Loading))
            && coverage.with(Option::is_some)
            && seats.with(Option::is_some)
            && requests.with(Option::is_some);
        if !settled || arrived.get_value() {
            return;
        }
        arrived.set_value(true);
        let hash = location.hash.get_untracked();
        let id = hash.trim_start_matches('#').to_owned();
        if id.is_empty() {
            return;
        }
        request_animation_frame(move || {
            if let Some(section) = document().get_element_by_id(&id) {
                section.scroll_into_view();
            }
        });
    });

    // How many requests wait, beside the other figures: the list itself is further down.
    let waiting = Memo::new(move |_| {
        requests.with(|answer| match answer {
            Some(Ok(page)) => Some(page.total),
            _ => None,
        })
    });
    let pending_card = move || {
        let waiting = waiting.get();
        let note = match waiting {
            None => view! { class=class, <span class="stat-note">"Loading…"</span> }.into_any(),
            Some(0) => view! { class=class,
                <span class="stat-note">"Nothing is waiting for a decision."</span>
            }
            .into_any(),
            Some(_) => view! { class=class,
                <a class="stat-note" href="#access-requests">"Review requests"</a>
            }
            .into_any(),
        };
        view! { class=class,
            <section
                class="pending"
                class:waiting=waiting.is_some_and(|n| n > 0)
                aria-labelledby="pending-label"
            >
                <span class="stat-label" id="pending-label">"Access requests"</span>
                <span class="stat-figure">
                    {waiting.map_or_else(|| "–".to_owned(), thousands)}
                    <span class="stat-of">" pending"</span>
                </span>
                {note}
            </section>
        }
    };

    view! { class=class,
        <Show when=move || !forbidden.get() fallback=no_permission>
            <div class="overview">
                <SsoCoverageCard coverage=coverage />
                <SeatsCard seats=seats />
                {pending_card}
            </div>
            <section class="section" aria-labelledby="partner-teams-title">
                <div class="section-head">
                    <h2 id="partner-teams-title">"Partner teams"</h2>
                    <p class="lede">
                        "Open a team to see its people, their role in each workspace, and remove \
                         access."
                    </p>
                </div>
                <PartnerTeamsToolbar
                    q=Signal::derive(move || params.with(|p| p.q.clone()))
                    sso=Signal::derive(move || params.with(|p| p.sso))
                    on_search=move |q: String| go.run((params.get_untracked().with_search(&q), true))
                    on_sso=move |sso| go.run((params.get_untracked().with_sso(sso), false))
                />
                <PartnerTeamsTable
                    state=table_state
                    params=params
                    on_sort=move |key| go.run((params.get_untracked().with_sort(key), false))
                    on_clear=move |()| go.run((params.get_untracked().cleared(), false))
                    on_retry=move |()| list.refetch()
                    busy=table_busy
                />
            </section>
            <Show when=move || below_ready.get()>
                <div class="section" id="access-requests">
                    <AccessRequestsPanel
                        requests=requests
                        on_decided=refresh
                        team_default=Signal::derive(move || team_default.get().flatten())
                    />
                </div>
                // Migration: legacy partner workspaces (`MigrationPanel`, its own component and
                // resources).
                <div class="section" id="migration">
                    <MigrationPanel />
                </div>
                <PartnerTeamDrawer
                    team=open_team
                    detail=detail
                    search=detail_search
                    on_close=move |()| go.run((params.get_untracked().with_team(None), false))
                    on_changed=refresh
                />
            </Show>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use crate::api;
    use crate::params::partnerships::PartnershipsParams;
    use crate::routes::PARTNERSHIPS_PATH;

    #[test]
    fn index_html_starts_the_default_list_early() {
        let reads = api::early::index_html_reads();
        let list = api::partnerships::list_path(&PartnershipsParams::default().api_query());
        assert_eq!(reads.get(PARTNERSHIPS_PATH), Some(&list), "{reads:#?}");
        let pages: Vec<_> = reads
            .keys()
            .filter(|page| page.starts_with("/settings"))
            .collect();
        assert_eq!(pages, [PARTNERSHIPS_PATH]);
    }
}
