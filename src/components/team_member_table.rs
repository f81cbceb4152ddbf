use leptos::prelude::*;
use partner_api::team::TeamMember;
use partner_api::{Paginated, UserId};
use stylers_macro::style;

use super::account_menu::initials;
use super::empty_state::EmptyState;
use super::member_row_controls::{MemberEntry, MemberRowControls};
use super::relative_time::RelativeTime;

/// The team's members as a table: name and email, team role, Partner Manager, last sign-in,
/// and for Team Admins the controls to change them and Remove. Under 640 px each row becomes
/// a stacked block.
#[component]
pub fn TeamMemberTable(
    /// One page of members, as the API answered.
    page: Paginated<TeamMember>,
    #[prop(into)] can_manage: Signal<bool>,
    /// The signed-in person, marked "(you)".
    me: Option<UserId>,
    /// The search in force, for the empty state.
    #[prop(into)]
    q: String,
    /// Remove was pressed on a member's row.
    #[prop(into)]
    on_remove: Callback<TeamMember>,
) -> impl IntoView {
    let class = style! {
        .member-table {
            width: 100%;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        th, td {
            text-align: left;
            vertical-align: middle;
            padding: var(--space-2) var(--space-4);
            border-bottom: 1px solid var(--color-border);
            height: 44px;
        }
        tbody tr:last-child td {
            border-bottom: none;
        }
        thead th {
            position: sticky;
            top: 0;
            z-index: 1;
            background: var(--color-surface);
            font-size: var(--text-xs);
            font-weight: 600;
            color: var(--color-text-secondary);
            height: auto;
        }
        thead th:first-child {
            border-top-left-radius: var(--radius-card);
        }
        thead th:last-child {
            border-top-right-radius: var(--radius-card);
        }
        .row:hover td {
            background: var(--color-surface);
        }
        .who {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            min-width: 0;
        }
        .avatar {
            flex: none;
            width: 28px;
            height: 28px;
            border-radius: 50%;
            display: grid;
            place-items: center;
            background: var(--color-accent-soft);
            font-size: var(--text-xs);
            font-weight: 600;
        }
        .names {
            display: flex;
            flex-direction: column;
            min-width: 0;
            line-height: 1.3;
        }
        .person-name {
            font-weight: 600;
            overflow-wrap: anywhere;
        }
        .you {
            color: var(--color-text-secondary);
            font-weight: 400;
        }
        .email {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow-wrap: anywhere;
        }
        .refused {
            margin-top: var(--space-1);
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
        .saving {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .seen-cell {
            white-space: nowrap;
            color: var(--color-text-secondary);
        }
        .actions-cell {
            text-align: right;
            white-space: nowrap;
            width: 1%;
        }
        .cell-label {
            display: none;
        }
        @media (max-width: 640px) {
            .member-table, .member-table tbody, .member-table tr {
                display: block;
            }
            .member-table thead {
                display: none;
            }
            .member-table tr.row {
                display: grid;
                grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
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
                height: auto;
                width: auto;
            }
            .name-cell {
                grid-column: 1 / -1;
            }
            .actions-cell {
                align-self: end;
                text-align: right;
            }
            .cell-label {
                display: block;
                font-size: var(--text-xs);
                color: var(--color-text-secondary);
            }
        }
    };

    if page.items.is_empty() {
        let text = if q.trim().is_empty() {
            "People your Team Admins invite appear here once they join.".to_owned()
        } else {
            format!(
                "No one in your team has a name or email with “{}”.",
                q.trim()
            )
        };
        return view! { <EmptyState title="No members found" text=text /> }.into_any();
    }

    let row = move |entry: MemberEntry| {
        let member_id = entry.user.id.to_string();
        let is_me = me.as_ref() == Some(&entry.user.id);
        let you = is_me.then(|| view! { class=class, <span class="you">" (you)"</span> });
        let refused = entry.refused;
        let pending = entry.pending;
        let refused_id = format!("member-refused-{member_id}");
        let remove = {
            let entry = entry.clone();
            move || {
                let entry = entry.clone();
                can_manage.get().then(|| {
                    view! { class=class,
                        <button
                            type="button"
                            class="button button-danger"
                            disabled=move || pending.get()
                            aria-label=format!("Remove {}", entry.user.name)
                            on:click=move |_| on_remove.run(entry.member())
                        >
                            "Remove"
                        </button>
                    }
                })
            }
        };
        view! { class=class,
            <tr class="row" data-member=entry.user.email.clone()>
                <td class="name-cell">
                    <div class="who">
                        <span class="avatar" aria-hidden="true">{initials(&entry.user.name)}</span>
                        <span class="names">
                            <span class="person-name">{entry.user.name.clone()} {you}</span>
                            <span class="email">{entry.user.email.clone()}</span>
                            {move || {
                                pending
                                    .get()
                                    .then(|| view! { class=class, <span class="saving">"Saving…"</span> })
                            }}
                        </span>
                    </div>
                    {
                        let refused_id = refused_id.clone();
                        move || {
                            refused
                                .get()
                                .map(|why| {
                                    view! { class=class,
                                        <p class="refused" id=refused_id.clone() role="alert">
                                            {why}
                                        </p>
                                    }
                                })
                        }
                    }
                </td>
                <MemberRowControls
                    entry=entry.clone()
                    can_manage=can_manage
                    cell_class=class.to_string()
                />
                <td class="seen-cell">
                    <span class="cell-label" aria-hidden="true">"Last sign-in"</span>
                    <RelativeTime at=entry.last_sign_in_at.clone() never="Never signed in" />
                </td>
                <td class="actions-cell">{remove}</td>
            </tr>
        }
    };

    let rows = page
        .items
        .into_iter()
        .map(MemberEntry::new)
        .map(row)
        .collect_view();
    view! { class=class,
        <table class="member-table">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Team role"</th>
                    <th scope="col">"Partner Manager"</th>
                    <th scope="col">"Last sign-in"</th>
                    <th scope="col">
                        <span class="visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
