use leptos::prelude::*;
use partner_api::workspaces::{Publisher, Workspace};
use stylers_macro::style;

use super::badge::Badge;
use super::icon::{Icon, IconName};
use super::sso_required_badge::SsoRequiredBadge;
use super::workspace_status::WorkspaceStatus;
use crate::routes::Page;

/// One publishing team and its workspaces shared with the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublisherGroup {
    pub publisher: Publisher,
    pub workspaces: Vec<Workspace>,
}

/// Groups workspaces by publisher, keeping the order they came in (the API sorts by
/// publisher name, then workspace name) for both the groups and the rows within them.
pub fn group_by_publisher(workspaces: Vec<Workspace>) -> Vec<PublisherGroup> {
    let mut groups: Vec<PublisherGroup> = Vec::new();
    for workspace in workspaces {
        match groups
            .iter_mut()
            .find(|group| group.publisher.id == workspace.publisher.id)
        {
            Some(group) => group.workspaces.push(workspace),
            None => groups.push(PublisherGroup {
                publisher: workspace.publisher.clone(),
                workspaces: vec![workspace],
            }),
        }
    }
    groups
}

/// "1 workspace", "3 workspaces".
fn workspace_count(n: usize) -> String {
    if n == 1 {
        "1 workspace".to_owned()
    } else {
        format!("{n} workspaces")
    }
}

/// How the table lays out its workspaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkspaceLayout {
    /// The caller's own team's workspaces: one list, with how each is shared.
    #[default]
    Team,
    /// Other teams' workspaces shared with the caller, grouped by publisher.
    ByPublisher,
}

/// Workspaces as a table: name and summary, status, the caller's role, and Open.
/// Under 640 px each row becomes a stacked block.
#[component]
pub fn WorkspaceTable(
    workspaces: Vec<Workspace>,
    #[prop(optional)] layout: WorkspaceLayout,
) -> impl IntoView {
    let class = style! {
        .workspace-table {
            width: 100%;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            overflow: hidden;
        }
        th, td {
            text-align: left;
            vertical-align: top;
            padding: 10px var(--space-4);
            border-bottom: 1px solid var(--color-border);
        }
        tbody tr:last-child td {
            border-bottom: none;
        }
        tbody + tbody .group th {
            border-top: 1px solid var(--color-border);
        }
        thead th {
            position: sticky;
            top: 0;
            background: var(--color-surface);
            font-size: var(--text-xs);
            font-weight: 600;
            color: var(--color-text-secondary);
            padding-top: var(--space-2);
            padding-bottom: var(--space-2);
        }
        .group th {
            background: var(--color-bg);
            padding-top: var(--space-4);
            padding-bottom: var(--space-2);
        }
        .publisher {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .publisher-mark {
            display: grid;
            place-items: center;
            width: 28px;
            height: 28px;
            border-radius: var(--radius-control);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
            color: var(--color-text-secondary);
        }
        .publisher-name {
            font-size: var(--text-md);
            font-weight: 600;
        }
        .count {
            color: var(--color-text-secondary);
            font-weight: 400;
            font-variant-numeric: tabular-nums;
        }
        .row:hover td {
            background: var(--color-surface);
        }
        .name-line {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
        .name {
            font-weight: 600;
            color: var(--color-text);
            text-decoration: none;
        }
        .name:hover {
            color: var(--color-accent);
            text-decoration: underline;
        }
        .summary {
            margin-top: 2px;
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        .role-cell {
            white-space: nowrap;
            width: 1%;
        }
        .sharing-cell {
            width: 1%;
            min-width: 280px;
        }
        .open-cell {
            text-align: right;
            width: 1%;
            white-space: nowrap;
        }
        .open {
            height: 28px;
        }
        @media (max-width: 640px) {
            .workspace-table, .workspace-table tbody, .workspace-table tr {
                display: block;
            }
            .workspace-table thead {
                display: none;
            }
            .row {
                display: grid;
                grid-template-columns: 1fr auto;
                gap: var(--space-2) var(--space-3);
                padding: var(--space-3) var(--space-4);
                border-bottom: 1px solid var(--color-border);
            }
            tbody tr.row:last-child {
                border-bottom: none;
            }
            .row td {
                display: block;
                padding: 0;
                border: none;
                width: auto;
                min-width: 0;
            }
            .name-cell {
                grid-column: 1 / -1;
            }
            .open-cell {
                grid-column: 2;
                grid-row: 2;
                align-self: center;
            }
            .group th {
                display: block;
            }
        }
    };

    let row = move |workspace: Workspace| {
        let href = Page::Workspace(workspace.id.as_str()).href();
        let open_label = format!("Open {}", workspace.name);
        let summary = (!workspace.summary.is_empty()).then(|| {
            view! { class=class, <p class="summary">{workspace.summary.clone()}</p> }
        });
        let role = workspace.your_role.label();
        let status = match layout {
            WorkspaceLayout::Team => view! { class=class,
                <td class="sharing-cell">
                    <WorkspaceStatus workspace=workspace.clone() sharing=true />
                </td>
            }
            .into_any(),
            WorkspaceLayout::ByPublisher => ().into_any(),
        };
        let inline_status = (layout == WorkspaceLayout::ByPublisher)
            .then(|| view! { <WorkspaceStatus workspace=workspace.clone() /> });
        view! { class=class,
            <tr class="row" data-workspace=workspace.id.to_string()>
                <td class="name-cell">
                    <div class="name-line">
                        <a class="name" href=href.clone()>{workspace.name.clone()}</a>
                        {inline_status}
                        {workspace.sso_required.then(|| view! { <SsoRequiredBadge /> })}
                    </div>
                    {summary}
                </td>
                {status}
                <td class="role-cell">
                    <span class="visually-hidden">"Your role: "</span>
                    <Badge text=role />
                </td>
                <td class="open-cell">
                    <a class="button open" href=href aria-label=open_label>
                        "Open"
                    </a>
                </td>
            </tr>
        }
    };

    let columns = match layout {
        WorkspaceLayout::Team => 4,
        WorkspaceLayout::ByPublisher => 3,
    };
    let body = match layout {
        WorkspaceLayout::Team => view! { class=class,
            <tbody>{workspaces.into_iter().map(row).collect_view()}</tbody>
        }
        .into_any(),
        WorkspaceLayout::ByPublisher => group_by_publisher(workspaces)
            .into_iter()
            .map(|group| {
                let count = workspace_count(group.workspaces.len());
                let publisher = group.publisher.name.clone();
                view! { class=class,
                    <tbody data-publisher=publisher>
                        <tr class="group">
                            <th scope="colgroup" colspan=columns>
                                <span class="publisher">
                                    <span class="publisher-mark">
                                        <Icon name=IconName::Building />
                                    </span>
                                    <span class="publisher-name">{group.publisher.name}</span>
                                    <span class="count">{count}</span>
                                </span>
                            </th>
                        </tr>
                        {group.workspaces.into_iter().map(row).collect_view()}
                    </tbody>
                }
            })
            .collect_view()
            .into_any(),
    };

    view! { class=class,
        <table class="workspace-table">
            <thead>
                <tr>
                    <th scope="col">"Workspace"</th>
                    {(layout == WorkspaceLayout::Team)
                        .then(|| view! { class=class, <th scope="col">"Sharing"</th> })}
                    <th scope="col">"Your role"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            {body}
        </table>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::YourRole;
    use partner_api::workspaces::{Visibility, WorkspacePermissions};

    use super::*;

    fn workspace(id: &str, name: &str, publisher: &str) -> Workspace {
        Workspace {
            id: id.into(),
            name: name.to_owned(),
            summary: String::new(),
            publisher: Publisher {
                id: format!("t_{publisher}").into(),
                name: publisher.to_owned(),
            },
            visibility: Visibility::Partner,
            multi_partner_mode: false,
            legacy: false,
            migration_state: None,
            sso_required: false,
            your_role: YourRole::PartnerViewer,
            permissions: WorkspacePermissions::default(),
        }
    }

    #[test]
    fn workspaces_group_by_publisher_in_the_order_given() {
        let groups = group_by_publisher(vec![
            workspace("w1", "Fraud Signals", "Acme"),
            workspace("w2", "Payments API", "Acme"),
            workspace("w3", "Search API", "Hooli"),
            workspace("w4", "Refunds API", "Acme"),
        ]);
        let summary: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|g| {
                (
                    g.publisher.name.as_str(),
                    g.workspaces.iter().map(|w| w.id.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [("Acme", vec!["w1", "w2", "w4"]), ("Hooli", vec!["w3"])]
        );
        assert!(group_by_publisher(Vec::new()).is_empty());
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(workspace_count(1), "1 workspace");
        assert_eq!(workspace_count(3), "3 workspaces");
    }
}
