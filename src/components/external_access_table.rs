use leptos::prelude::*;
use partner_api::Paginated;
use partner_api::external_access::ExternalGrant;
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::empty_state::EmptyState;
use super::pagination::Pagination;
use super::relative_time::RelativeTime;
use super::table_state::{Shape, StatusRows, TableState};
use crate::params::external_access::ExternalAccessParams;

/// What the table shows.
pub type GrantsTableState = TableState<ExternalGrant>;

const COLUMNS: usize = 7;

/// What makes a row look different.
fn row_key(grant: &ExternalGrant) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}\n{}",
        grant.workspace.id,
        grant.person.id,
        grant.role,
        grant.lead,
        grant.last_opened_at.as_deref().unwrap_or("never"),
        grant.since,
        grant.person.name,
    )
}

/// Who in the team can open what in other companies' workspaces: publisher, workspace,
/// person (name and email), role (and Partner Lead), since when, last opened, and End
/// access. Skeleton rows while loading, an empty state that says what belongs here (or
/// that nothing matches, with Clear), pages as links. Rows stack under 640 px.
#[component]
pub fn ExternalAccessTable(
    #[prop(into)] state: Signal<GrantsTableState>,
    /// The view in the URL.
    #[prop(into)]
    params: Signal<ExternalAccessParams>,
    /// "End access" was pressed on a row.
    #[prop(into)]
    on_end: Callback<ExternalGrant>,
    /// Clear the search and filters.
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
        .grants {
            width: 100%;
            table-layout: fixed;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        th, td {
            height: 44px;
            padding: var(--space-1) var(--space-3);
            text-align: left;
            vertical-align: middle;
            border-bottom: 1px solid var(--color-border);
            overflow-wrap: break-word;
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
            width: 15%;
            border-top-left-radius: var(--radius-card);
        }
        thead th:nth-child(2) {
            width: 14%;
        }
        thead th:nth-child(3) {
            width: 19%;
        }
        thead th:nth-child(4) {
            width: 14%;
        }
        thead th:nth-child(5) {
            width: 10%;
        }
        thead th:last-child {
            width: 132px;
            border-top-right-radius: var(--radius-card);
        }
        tbody tr:last-child > * {
            border-bottom: none;
        }
        tbody tr.row:hover > * {
            background: var(--color-surface);
        }
        .person {
            font-weight: 400;
        }
        .who {
            display: flex;
            flex-direction: column;
            line-height: 1.3;
            min-width: 0;
        }
        .name {
            font-weight: 600;
        }
        .email {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow-wrap: anywhere;
        }
        .roles {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-1);
        }
        .when {
            color: var(--color-text-secondary);
        }
        .actions {
            text-align: right;
            white-space: nowrap;
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
            .grants, .grants tbody, .grants tr, .grants td, .grants th {
                display: block;
                width: auto;
                max-width: none;
                height: auto;
            }
            .grants {
                border: none;
            }
            .grants thead {
                display: none;
            }
            .grants tr.row {
                display: flex;
                flex-direction: column;
                border: 1px solid var(--color-border);
                border-radius: var(--radius-card);
                margin-bottom: var(--space-2);
                padding: var(--space-2) var(--space-3);
            }
            .grants tr.row > * {
                display: flex;
                justify-content: space-between;
                align-items: center;
                gap: var(--space-3);
                padding: var(--space-1) 0;
                border: none;
                text-align: right;
                white-space: normal;
                overflow-wrap: anywhere;
            }
            .grants tr.row > *::before {
                content: attr(data-label);
                flex: none;
                color: var(--color-text-secondary);
                font-size: var(--text-xs);
                text-align: left;
            }
            .grants tr.row > .person {
                order: -1;
                display: block;
                text-align: left;
                padding-bottom: var(--space-2);
            }
            .grants tr.row > .person::before, .grants tr.row > .actions::before {
                content: none;
            }
            .grants tr.row > .actions {
                justify-content: flex-end;
                padding-top: var(--space-2);
            }
            .roles {
                justify-content: flex-end;
            }
            .grants tbody tr:not(.row) {
                border: none;
            }
        }
    };

    let shape = Memo::new(move |_| state.with(TableState::shape));
    let status = StatusRows {
        columns: COLUMNS,
        skeleton: 4,
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
            class="grants"
            class:busy=busy
            aria-labelledby="external-access-title"
            aria-busy=move || (busy.get() || shape.get() == Shape::Loading).to_string()
        >
            <thead>
                <tr>
                    <th scope="col">"Publisher"</th>
                    <th scope="col">"Workspace"</th>
                    <th scope="col">"Person"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Last opened"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {body}
                <For each=rows key=row_key let:grant>
                    <GrantRow grant=grant on_end=on_end class=class />
                </For>
            </tbody>
        </table>
        {footer}
    }
}

/// One person's access to one workspace.
#[component]
fn GrantRow(
    grant: ExternalGrant,
    on_end: Callback<ExternalGrant>,
    class: &'static str,
) -> impl IntoView {
    let label = format!(
        "End access for {} to {}",
        grant.person.name, grant.workspace.name
    );
    let lead = grant.lead.then(|| {
        view! { <Badge text="Partner Lead" tone=Tone::Accent /> }
    });
    let ended = grant.clone();
    view! { class=class,
        <tr class="row" data-testid="grant">
            <td data-label="Publisher" title=grant.publisher.name.clone()>
                {grant.publisher.name.clone()}
            </td>
            <td data-label="Workspace" title=grant.workspace.name.clone()>
                {grant.workspace.name.clone()}
            </td>
            <th scope="row" class="person" data-label="Person">
                <span class="who">
                    <span class="name">{grant.person.name.clone()}</span>
                    <span class="email">{grant.person.email.clone()}</span>
                </span>
            </th>
            <td data-label="Role">
                <span class="roles">
                    <Badge text=grant.role.label() />
                    {lead}
                </span>
            </td>
            <td class="when" data-label="Since">
                <RelativeTime at=Some(grant.since.clone()) />
            </td>
            <td class="when" data-label="Last opened">
                <RelativeTime at=grant.last_opened_at.clone() never="Not opened yet" />
            </td>
            <td class="actions">
                <button
                    type="button"
                    class="button button-danger"
                    aria-label=label
                    on:click=move |_| on_end.run(ended.clone())
                >
                    "End access"
                </button>
            </td>
        </tr>
    }
}

/// Nothing at all, or nothing that matches: say which, and how to get back to everything.
fn empty(params: &ExternalAccessParams, on_clear: Callback<()>, class: &'static str) -> AnyView {
    if !params.is_filtered() {
        return view! { class=class,
            <tr>
                <td class="message" colspan=COLUMNS>
                    <EmptyState
                        title="No access to other companies' workspaces"
                        text="No one in your team can open a workspace of another company. When \
                              another company invites one of your people to a partner workspace, \
                              it shows here."
                    />
                </td>
            </tr>
        }
        .into_any();
    }
    let q = params.q.trim();
    let (title, text) = if q.is_empty() {
        (
            "Nothing matches these filters".to_owned(),
            "No one in your team has access of this kind. Clear the filters to see everything."
                .to_owned(),
        )
    } else {
        (
            format!("No results for '{q}'"),
            format!(
                "No person, email or workspace matches '{q}'{}.",
                if params.publisher.is_some() || params.role.is_some() {
                    " with these filters"
                } else {
                    ""
                }
            ),
        )
    };
    view! { class=class,
        <tr>
            <td class="message" colspan=COLUMNS>
                <EmptyState title=title text=text>
                    <button type="button" class="button" on:click=move |_| on_clear.run(())>
                        "Clear search and filters"
                    </button>
                </EmptyState>
            </td>
        </tr>
    }
    .into_any()
}

/// "1–50 of 1,234" with Previous / Next links to the neighbouring pages.
fn pagination(page: &Paginated<ExternalGrant>, params: &ExternalAccessParams) -> AnyView {
    let current = page.page.max(1);
    let prev = (current > 1).then(|| params.with_page(current - 1).href());
    let next =
        (u64::from(current) < page.page_count()).then(|| params.with_page(current + 1).href());
    view! { <Pagination range=page.range() total=page.total prev=prev next=next keep_scroll=true /> }
        .into_any()
}
