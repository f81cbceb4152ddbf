use leptos::prelude::*;
use partner_api::partnerships::{PartnerTeamSummary, PartnershipSortKey, SsoFilter};
use partner_api::{Paginated, TeamId};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::empty_state::EmptyState;
use super::icon::IconName;
use super::pagination::{Pagination, thousands};
use super::relative_time::RelativeTime;
use super::sort_header::SortHeader;
use super::sso_required_badge::SsoRequiredBadge;
use super::table_state::{Shape, StatusRows, TableState};
use crate::params::partnerships::PartnershipsParams;
use crate::routes::Page;

/// What the table shows.
pub type TeamsTableState = TableState<PartnerTeamSummary>;

const COLUMNS: usize = 5;

/// The SSO badge of a partner team: text and icon, never colour alone.
#[component]
pub fn SsoBadge(enforced: bool) -> impl IntoView {
    if enforced {
        view! {
            <Badge
                text=SsoFilter::Enforced.label().to_owned()
                tone=Tone::Success
                icon=IconName::Shield
            />
        }
    } else {
        view! {
            <Badge
                text=SsoFilter::NotEnforced.label().to_owned()
                tone=Tone::Warning
                icon=IconName::ShieldOff
            />
        }
    }
}

/// Partner teams: name and domain, SSO, partners, workspaces shared, last activity; sortable
/// headers, skeleton rows while loading, an empty state, "No results for 'x'" with Clear, and
/// server-side pagination. Every view is a link: sort, page and the open team live in the URL
/// (`params`), and a team's name opens its detail. The table stays mounted while pages
/// change, so a sort button keeps focus and rows are updated by key.
#[component]
pub fn PartnerTeamsTable(
    #[prop(into)] state: Signal<TeamsTableState>,
    /// The view in the URL.
    #[prop(into)]
    params: Signal<PartnershipsParams>,
    /// A sortable header was pressed.
    #[prop(into)]
    on_sort: Callback<PartnershipSortKey>,
    /// Clear the search and filter.
    #[prop(into)]
    on_clear: Callback<()>,
    /// Load the list again after a failure.
    #[prop(into)]
    on_retry: Callback<()>,
    /// A newer page is on its way: the rows shown are about to change.
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let class = style! {
        .sso-badges {
            display: inline-flex;
            flex-wrap: wrap;
            gap: var(--space-1);
        }
        .teams {
            width: 100%;
            table-layout: fixed;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        th, td {
            height: 44px;
            padding: 0 var(--space-3);
            text-align: left;
            border-bottom: 1px solid var(--color-border);
            white-space: nowrap;
        }
        thead th {
            position: sticky;
            top: 0;
            z-index: 1;
            height: 40px;
            background: var(--color-surface);
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            font-weight: 600;
        }
        thead th:first-child {
            width: 36%;
            border-top-left-radius: var(--radius-card);
        }
        thead th:nth-child(2) {
            width: 20%;
        }
        thead th:nth-child(3), thead th:nth-child(4) {
            width: 13%;
        }
        thead th:last-child {
            border-top-right-radius: var(--radius-card);
        }
        tbody tr:last-child > * {
            border-bottom: none;
        }
        tbody tr.row:hover > * {
            background: var(--color-surface);
        }
        .numeric {
            text-align: right;
            font-variant-numeric: tabular-nums;
        }
        .sort {
            display: inline-flex;
            align-items: center;
            gap: var(--space-1);
            padding: 2px 4px;
            margin: 0 -4px;
            border: none;
            border-radius: 4px;
            background: none;
            color: inherit;
            font: inherit;
            cursor: pointer;
        }
        .sort:hover {
            color: var(--color-text);
        }
        th[aria-sort="ascending"] .sort, th[aria-sort="descending"] .sort {
            color: var(--color-text);
        }
        .arrow {
            width: 12px;
            opacity: 0.7;
        }
        .team {
            font-weight: 400;
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .team-name {
            font-weight: 600;
            color: var(--color-text);
            text-decoration: none;
        }
        .team-name:hover {
            color: var(--color-accent);
            text-decoration: underline;
        }
        .domain {
            margin-left: var(--space-2);
            color: var(--color-text-secondary);
        }
        .when {
            color: var(--color-text-secondary);
        }
        .message {
            padding: var(--space-4);
            white-space: normal;
            height: auto;
        }
        .busy tbody {
            opacity: 0.55;
            transition: opacity 0.2s;
        }
        @media (max-width: 640px) {
            .teams, .teams tbody, .teams tr, .teams td, .teams th {
                display: block;
                width: auto;
                max-width: none;
                height: auto;
            }
            .teams {
                border: none;
            }
            .teams thead tr {
                display: flex;
                flex-wrap: wrap;
                gap: var(--space-1) var(--space-3);
                padding: var(--space-2) 0;
            }
            .teams thead th {
                position: static;
                display: block;
                height: auto;
                padding: 0;
                border: none;
                background: none;
            }
            .teams thead th.not-sortable {
                display: none;
            }
            .teams thead th:nth-child(n) {
                width: auto;
            }
            .teams tr.row {
                border: 1px solid var(--color-border);
                border-radius: var(--radius-card);
                margin-bottom: var(--space-2);
                padding: var(--space-2) var(--space-3);
            }
            .teams tr.row > * {
                display: flex;
                justify-content: space-between;
                align-items: center;
                gap: var(--space-3);
                padding: var(--space-1) 0;
                border: none;
                text-align: right;
                white-space: normal;
            }
            .teams tr.row > *::before {
                content: attr(data-label);
                color: var(--color-text-secondary);
                font-size: var(--text-xs);
                text-align: left;
            }
            .teams tr.row > .team {
                display: block;
                text-align: left;
                padding-bottom: var(--space-2);
            }
            .teams tr.row > .team::before {
                content: none;
            }
            .domain {
                display: block;
                margin-left: 0;
            }
            .teams tbody tr:not(.row) {
                border: none;
            }
        }
    };
    let header = move |key: PartnershipSortKey, label: &'static str, numeric: bool| {
        view! {
            <SortHeader
                label=label
                numeric=numeric
                class=class.to_owned()
                state=Signal::derive(move || params.with(|p| p.sort_state(key)))
                on_sort=move |()| on_sort.run(key)
            />
        }
    };

    let shape = Memo::new(move |_| state.with(TableState::shape));
    let status = StatusRows {
        columns: COLUMNS,
        skeleton: 6,
        class,
        on_retry,
    };
    let body = move || {
        status.view(shape.get(), state, move || {
            empty(&params.get_untracked(), on_clear, class)
        })
    };
    let rows = move || state.with(TableState::rows);
    let footer = move || {
        state.with(|state| {
            state
                .page_with_rows()
                .map(|page| params.with(|p| pagination(page, p)))
        })
    };

    view! { class=class,
        <table
            class="teams"
            class:busy=busy
            aria-labelledby="partner-teams-title"
            aria-busy=move || (busy.get() || shape.get() == Shape::Loading).to_string()
        >
            <thead>
                <tr>
                    {header(PartnershipSortKey::Name, "Partner team", false)}
                    <th scope="col" class="not-sortable">"SSO"</th>
                    {header(PartnershipSortKey::Partners, "Partners", true)}
                    {header(PartnershipSortKey::Workspaces, "Workspaces", true)}
                    {header(PartnershipSortKey::LastActive, "Last activity", false)}
                </tr>
            </thead>
            <tbody>
                {body}
                // Keyed by everything shown, so a row whose counts changed is drawn again.
                <For each=rows key=row_key let:row>
                    <TeamRow row=row params=params class=class />
                </For>
            </tbody>
        </table>
        {footer}
    }
}

/// What makes a row look different.
fn row_key(row: &PartnerTeamSummary) -> (TeamId, (bool, bool), u32, u32, Option<String>, String) {
    (
        row.team.id.clone(),
        (row.sso_enforced, row.sso_required),
        row.partner_count,
        row.workspace_count,
        row.last_active_at.clone(),
        format!("{}\n{}", row.team.name, row.team.domain),
    )
}

/// One partner team's row; its name links to its detail (same list, `?team=` added).
#[component]
fn TeamRow(
    row: PartnerTeamSummary,
    params: Signal<PartnershipsParams>,
    class: &'static str,
) -> impl IntoView {
    let id = row.team.id.clone();
    let href = move || params.with(|p| p.with_team(Some(id.clone())).href());
    view! { class=class,
        <tr class="row">
            <th scope="row" class="team" data-label="Partner team">
                <a class="team-name" href=href data-noscroll="">
                    {row.team.name}
                </a>
                <span class="domain">{row.team.domain}</span>
            </th>
            <td data-label="SSO">
                <span class="sso-badges">
                    <SsoBadge enforced=row.sso_enforced />
                    {row.sso_required.then(|| view! { <SsoRequiredBadge /> })}
                </span>
            </td>
            <td class="numeric" data-label="Partners">
                {thousands(row.partner_count.into())}
            </td>
            <td class="numeric" data-label="Workspaces">
                {thousands(row.workspace_count.into())}
            </td>
            <td class="when" data-label="Last activity">
                <RelativeTime at=row.last_active_at never="No sign-in yet" />
            </td>
        </tr>
    }
}

/// No partner teams at all, or none that match: say which, and how to get some.
fn empty(params: &PartnershipsParams, on_clear: Callback<()>, class: &'static str) -> AnyView {
    if !params.is_filtered() {
        return view! { class=class,
            <tr>
                <td class="message" colspan=COLUMNS>
                    <EmptyState
                        title="No partners yet"
                        text="Invite one from a partner workspace's settings. Their team appears \
                              here, with whether it signs in with SSO."
                    >
                        <a
                            class="button"
                            href=Page::Workspaces(partner_api::WorkspaceTab::All).href()
                        >
                            "Go to your workspaces"
                        </a>
                    </EmptyState>
                </td>
            </tr>
        }
        .into_any();
    }
    let q = params.q.trim();
    let title = if q.is_empty() {
        "No partner teams match this filter".to_owned()
    } else {
        format!("No results for '{q}'")
    };
    let text = match (q.is_empty(), params.sso) {
        (false, Some(sso)) => format!(
            "No partner team with {} has a name or domain that matches '{q}'.",
            sso.label()
        ),
        (false, None) => format!("No partner team's name or domain matches '{q}'."),
        (true, Some(sso)) => format!("None of your partner teams has {}.", sso.label()),
        (true, None) => String::new(),
    };
    let clear = match (q.is_empty(), params.sso.is_some()) {
        (false, false) => "Clear search",
        (true, _) => "Clear filter",
        (false, true) => "Clear search and filter",
    };
    view! { class=class,
        <tr>
            <td class="message" colspan=COLUMNS>
                <EmptyState title=title text=text>
                    <button type="button" class="button" on:click=move |_| on_clear.run(())>
                        {clear}
                    </button>
                </EmptyState>
            </td>
        </tr>
    }
    .into_any()
}

/// "1–50 of 10,000" with Previous / Next links to the neighbouring pages.
fn pagination(page: &Paginated<PartnerTeamSummary>, params: &PartnershipsParams) -> AnyView {
    let current = page.page.max(1);
    let prev = (current > 1).then(|| params.with_page(current - 1).href());
    let next =
        (u64::from(current) < page.page_count()).then(|| params.with_page(current + 1).href());
    view! { <Pagination range=page.range() total=page.total prev=prev next=next keep_scroll=true /> }
        .into_any()
}
