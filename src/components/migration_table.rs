use leptos::prelude::*;
use partner_api::Paginated;
use partner_api::migration::LegacyWorkspace;
use partner_api::workspaces::MigrationState;
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::pagination::Pagination;

/// The badge of a migration state: text and a colour, never colour alone.
pub fn state_badge(state: MigrationState) -> (&'static str, Tone) {
    match state {
        MigrationState::Legacy => ("Legacy", Tone::Warning),
        MigrationState::Scheduled => ("Scheduled", Tone::Accent),
        MigrationState::Migrated => ("Migrated", Tone::Success),
    }
}

/// When a workspace migrated or migrates, as the Schedule column says it.
pub fn schedule_text(workspace: &LegacyWorkspace) -> String {
    match (&workspace.migrated_at, &workspace.scheduled_for) {
        (Some(at), _) => format!("Migrated {}", at.get(..10).unwrap_or(at)),
        (None, Some(day)) => format!("Migrates {day}"),
        (None, None) => "When you migrate it".to_owned(),
    }
}

/// One page of the team's legacy partner workspaces: name, state, schedule and partners.
/// Under 640 px each row becomes two lines (name and state; schedule and partners), so
/// nothing is cut and nothing scrolls sideways. Rows are keyed by what they show, so a poll that changes one row
/// redraws that row only. Pagination links (`href_for(page)`) appear when there is more
/// than one page.
#[component]
pub fn MigrationTable(
    #[prop(into)] page: Signal<Paginated<LegacyWorkspace>>,
    /// The address of a page of this list.
    #[prop(into)]
    href_for: Callback<u32, String>,
) -> impl IntoView {
    let class = style! {
        .legacy {
            width: 100%;
            margin: 0;
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
            overflow-wrap: anywhere;
        }
        .number {
            text-align: right;
        }
        @media (max-width: 640px) {
            .legacy, .legacy tbody {
                display: block;
            }
            .legacy thead {
                position: absolute;
                width: 1px;
                height: 1px;
                overflow: hidden;
                clip-path: inset(50%);
                white-space: nowrap;
            }
            .legacy tr {
                display: grid;
                grid-template-columns: minmax(0, 1fr) auto;
                align-items: center;
                gap: var(--space-1) var(--space-3);
                padding: var(--space-3) 0;
                border-bottom: 1px solid var(--color-border);
            }
            .legacy td {
                display: block;
                height: auto;
                padding: 0;
                border: none;
            }
            .legacy td.name {
                font-weight: 600;
            }
            .legacy td.state, .legacy td.number {
                text-align: right;
            }
            .legacy td.schedule {
                color: var(--color-text-secondary);
            }
            .legacy td.number::before {
                content: attr(data-label);
                margin-right: var(--space-2);
                color: var(--color-text-secondary);
                font-size: var(--text-xs);
            }
        }
    };

    let row = move |w: LegacyWorkspace| {
        let (label, tone) = state_badge(w.state);
        let when = schedule_text(&w);
        view! { class=class,
            <tr>
                <td class="name">{w.name}</td>
                <td class="state" data-label="State">
                    <Badge text=label.to_owned() tone=tone />
                </td>
                <td class="schedule" data-label="Schedule">{when}</td>
                <td data-label="Partners" class="number">{w.partner_count}</td>
            </tr>
        }
    };
    let pages = move || {
        page.with(|page| {
            (page.page_count() > 1).then(|| {
                let current = page.page;
                let prev = (current > 1).then(|| href_for.run(current - 1));
                let next =
                    (u64::from(current) < page.page_count()).then(|| href_for.run(current + 1));
                view! {
                    <Pagination
                        range=page.range()
                        total=page.total
                        prev=prev
                        next=next
                        keep_scroll=true
                        label="Legacy workspace pages"
                    />
                }
            })
        })
    };

    view! { class=class,
        <table class="legacy">
            <thead>
                <tr>
                    <th scope="col">"Workspace"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Schedule"</th>
                    <th scope="col" class="number">"Partners"</th>
                </tr>
            </thead>
            <tbody>
                <For
                    each=move || page.with(|page| page.items.clone())
                    key=|w| (w.id.clone(), w.state, w.partner_count)
                    children=row
                />
            </tbody>
        </table>
        {pages}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refunds() -> LegacyWorkspace {
        LegacyWorkspace {
            id: "w1".into(),
            name: "Refunds API".into(),
            state: MigrationState::Scheduled,
            scheduled_for: Some("2026-12-15".into()),
            migrated_at: None,
            partner_count: 1,
        }
    }

    #[test]
    fn the_schedule_says_when() {
        assert_eq!(schedule_text(&refunds()), "Migrates 2026-12-15");
        let migrated = LegacyWorkspace {
            migrated_at: Some("2026-12-04T10:00:00Z".into()),
            scheduled_for: None,
            ..refunds()
        };
        assert_eq!(schedule_text(&migrated), "Migrated 2026-12-04");
        let free = LegacyWorkspace {
            scheduled_for: None,
            ..refunds()
        };
        assert_eq!(schedule_text(&free), "When you migrate it");
        assert_eq!(state_badge(MigrationState::Legacy).0, "Legacy");
    }
}
