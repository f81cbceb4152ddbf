use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;
use partner_api::external_access::GrantKey;
use partner_api::reviews::{ReviewDecision, ReviewItem};
use partner_api::session::UserRef;
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::icon::{Icon, IconName};
use super::relative_time::RelativeTime;

/// One grant's identity in the review, as text (for keys and sets).
pub fn grant_id(item: &ReviewItem) -> String {
    format!("{}\n{}", item.workspace.id, item.person.id)
}

/// The grant of an item, as the decisions endpoint names it.
pub fn grant_key(item: &ReviewItem) -> GrantKey {
    GrantKey {
        workspace_id: item.workspace.id.clone(),
        user_id: item.person.id.clone(),
    }
}

/// Decisions made on this page since it loaded: grant id → decision and who made it.
pub type Decided = BTreeMap<String, (ReviewDecision, Option<UserRef>)>;

/// What a row shows as its decision: the one made here since the page loaded, else the
/// server's.
pub fn current_decision(
    item: &ReviewItem,
    decided: &Decided,
) -> (Option<ReviewDecision>, Option<UserRef>) {
    match decided.get(&grant_id(item)) {
        Some((decision, by)) => (Some(*decision), by.clone()),
        None => (item.decision, item.decided_by.clone()),
    }
}

/// The grants that can still be decided (an ended grant has nothing left to decide).
pub fn decidable(items: &[ReviewItem]) -> Vec<&ReviewItem> {
    items.iter().filter(|item| !item.ended).collect()
}

/// Whether every decidable grant of the page is selected, some are, or none.
pub fn selection_state(items: &[ReviewItem], selected: &BTreeSet<String>) -> (bool, bool) {
    let open = decidable(items);
    let chosen = open
        .iter()
        .filter(|item| selected.contains(&grant_id(item)))
        .count();
    (
        !open.is_empty() && chosen == open.len(),
        chosen > 0 && chosen < open.len(),
    )
}

/// What a decision did, in the past tense ("Kept", "Removed").
pub fn decided_word(decision: ReviewDecision) -> &'static str {
    match decision {
        ReviewDecision::Keep => "Kept",
        ReviewDecision::Remove => "Removed",
    }
}

const COLUMNS: usize = 9;

/// The grants of one page of a review: checkbox, person, partner team, workspace, role,
/// since, last opened, the decision (Keep / Remove, the current one pressed) and who
/// decided. Read-only (no checkbox, the decision as a badge) when `editable` is false.
/// Rows stack under 640 px.
#[component]
pub fn ReviewGrantsTable(
    #[prop(into)] items: Signal<Vec<ReviewItem>>,
    /// Decisions made since the page loaded.
    #[prop(into)]
    decided: Signal<Decided>,
    /// Grants whose decision is on its way to the server.
    #[prop(into)]
    pending: Signal<BTreeSet<String>>,
    selected: RwSignal<BTreeSet<String>>,
    #[prop(into)] editable: Signal<bool>,
    /// A decision on some grants.
    #[prop(into)]
    on_decide: Callback<(Vec<ReviewItem>, ReviewDecision)>,
    /// A newer page is on its way.
    #[prop(optional, into)]
    busy: Signal<bool>,
) -> impl IntoView {
    let class = style! {
        .grants {
            width: 100%;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        th, td {
            height: 44px;
            padding: var(--space-1) var(--space-2);
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
            border-top-left-radius: var(--radius-card);
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
        .check {
            width: 36px;
            text-align: center;
        }
        .check input {
            width: 18px;
            height: 18px;
            margin: 0;
        }
        .person {
            font-weight: 400;
            min-width: 150px;
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
        .email, .small {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow-wrap: anywhere;
        }
        .when {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .decision {
            white-space: nowrap;
        }
        .choices {
            display: inline-flex;
            gap: var(--space-1);
        }
        .choice {
            height: 30px;
            padding: 0 var(--space-2);
        }
        .choice[aria-pressed="true"] {
            font-weight: 600;
        }
        .keep[aria-pressed="true"] {
            background: var(--color-success-soft);
            border-color: var(--color-success);
            color: var(--color-text);
        }
        .remove[aria-pressed="true"] {
            background: var(--color-danger-soft);
            border-color: var(--color-danger);
            color: var(--color-text);
        }
        .choice[aria-busy="true"] {
            opacity: 0.6;
        }
        .ended {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .message {
            padding: var(--space-4);
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
                position: relative;
            }
            .grants tr.row > * {
                display: flex;
                justify-content: space-between;
                align-items: center;
                gap: var(--space-3);
                padding: var(--space-1) 0;
                border: none;
                text-align: right;
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
                padding: 0 0 var(--space-2) 32px;
            }
            .grants tr.row > .person::before, .grants tr.row > .check::before {
                content: none;
            }
            .grants tr.row > .check {
                position: absolute;
                top: var(--space-2);
                left: var(--space-3);
                padding: 0;
            }
            .grants tr.row > .decision {
                padding-top: var(--space-2);
            }
            .grants tr.row.read-only > .person {
                padding-left: 0;
            }
            .grants tbody tr.row:hover > * {
                background: transparent;
            }
        }
    };

    let rows = move || items.get();
    let key = move |item: &ReviewItem| {
        format!(
            "{}\n{}\n{}\n{}",
            grant_id(item),
            item.decision.map_or("undecided", ReviewDecision::as_str),
            item.decided_by
                .as_ref()
                .map_or_else(String::new, |by| by.id.to_string()),
            item.ended
        )
    };
    let head = move || {
        editable.get().then(|| {
            view! { class=class,
                <th scope="col" class="check">
                    <span class="visually-hidden">"Selected"</span>
                </th>
            }
        })
    };
    let empty = move || {
        items.with(Vec::is_empty).then(|| {
            view! { class=class,
                <tr>
                    <td class="message" colspan=COLUMNS>
                        "No grants on this page."
                    </td>
                </tr>
            }
        })
    };

    view! { class=class,
        <table
            class="grants"
            class:busy=busy
            aria-labelledby="review-grants-title"
            aria-busy=move || busy.get().to_string()
        >
            <thead>
                <tr>
                    {head}
                    <th scope="col">"Person"</th>
                    <th scope="col">"Partner team"</th>
                    <th scope="col">"Workspace"</th>
                    <th scope="col">"Role"</th>
                    <th scope="col">"Since"</th>
                    <th scope="col">"Last opened"</th>
                    <th scope="col">"Decision"</th>
                    <th scope="col">"Decided by"</th>
                </tr>
            </thead>
            <tbody>
                {empty}
                <For each=rows key=key let:item>
                    <GrantRow
                        item=item
                        decided=decided
                        pending=pending
                        selected=selected
                        editable=editable
                        on_decide=on_decide
                        class=class
                    />
                </For>
            </tbody>
        </table>
    }
}

/// One person's access to one workspace, and its decision.
#[component]
fn GrantRow(
    item: ReviewItem,
    decided: Signal<Decided>,
    pending: Signal<BTreeSet<String>>,
    selected: RwSignal<BTreeSet<String>>,
    editable: Signal<bool>,
    on_decide: Callback<(Vec<ReviewItem>, ReviewDecision)>,
    class: &'static str,
) -> impl IntoView {
    let id = grant_id(&item);
    let who = format!("{} in {}", item.person.name, item.workspace.name);
    let current = {
        let item = item.clone();
        Memo::new(move |_| decided.with(|d| current_decision(&item, d)))
    };
    let busy = {
        let id = id.clone();
        Memo::new(move |_| pending.with(|p| p.contains(&id)))
    };
    let check = {
        let (id, item, who) = (id.clone(), item.clone(), who.clone());
        move || {
            editable.get().then(|| {
                let label = format!("Select {who}");
                let id = id.clone();
                let toggle_id = id.clone();
                let control = (!item.ended).then(|| {
                    view! {
                        <input
                            type="checkbox"
                            aria-label=label
                            prop:checked=move || selected.with(|s| s.contains(&id))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                selected
                                    .update(|s| {
                                        if on {
                                            s.insert(toggle_id.clone());
                                        } else {
                                            s.remove(&toggle_id);
                                        }
                                    });
                            }
                        />
                    }
                });
                view! { class=class, <td class="check">{control}</td> }
            })
        }
    };
    let decision = {
        let (item, who) = (item.clone(), who.clone());
        move || {
            if item.ended {
                return view! { class=class, <span class="ended">"Access ended"</span> }.into_any();
            }
            if !editable.get() {
                return match current.get().0 {
                    Some(ReviewDecision::Keep) => {
                        view! { <Badge text="Keep" tone=Tone::Success icon=IconName::Check /> }
                            .into_any()
                    }
                    Some(ReviewDecision::Remove) => {
                        view! { <Badge text="Remove" tone=Tone::Danger icon=IconName::X /> }
                            .into_any()
                    }
                    None => view! { <Badge text="Undecided" /> }.into_any(),
                };
            }
            let button = |decision: ReviewDecision| {
                let item = item.clone();
                let (word, icon, tone) = match decision {
                    ReviewDecision::Keep => ("Keep", IconName::Check, "button choice keep"),
                    ReviewDecision::Remove => ("Remove", IconName::X, "button choice remove"),
                };
                let pressed = move || current.get().0 == Some(decision);
                view! { class=class,
                    <button
                        type="button"
                        class=tone
                        aria-pressed=move || pressed().to_string()
                        aria-busy=move || busy.get().then_some("true")
                        on:click=move |_| {
                            // Pressing the decision already made changes nothing.
                            if !busy.get_untracked() && !pressed() {
                                on_decide.run((vec![item.clone()], decision));
                            }
                        }
                    >
                        {move || pressed().then(|| view! { <Icon name=icon /> })}
                        {word}
                    </button>
                }
            };
            view! { class=class,
                <span class="choices" role="group" aria-label=format!("Decision for {who}")>
                    {button(ReviewDecision::Keep)}
                    {button(ReviewDecision::Remove)}
                </span>
            }
            .into_any()
        }
    };
    let decided_by = move || {
        current
            .get()
            .1
            .map(|by| by.name)
            .unwrap_or_else(|| "—".to_owned())
    };
    view! { class=class,
        <tr class="row" class:read-only=move || !editable.get() data-testid="review-grant">
            {check}
            <th scope="row" class="person" data-label="Person">
                <span class="who">
                    <span class="name">{item.person.name.clone()}</span>
                    <span class="email">{item.person.email.clone()}</span>
                </span>
            </th>
            <td data-label="Partner team">{item.partner_team.name.clone()}</td>
            <td data-label="Workspace">{item.workspace.name.clone()}</td>
            <td data-label="Role">
                <Badge text=item.role.label() />
            </td>
            <td class="when" data-label="Since">
                <RelativeTime at=Some(item.since.clone()) />
            </td>
            <td class="when" data-label="Last opened">
                <RelativeTime at=item.last_opened_at.clone() never="Not opened yet" />
            </td>
            <td class="decision" data-label="Decision">{decision}</td>
            <td class="small" data-label="Decided by">{decided_by}</td>
        </tr>
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use partner_api::PartnerRole;
    use partner_api::partnerships::{TeamRef, WorkspaceRef};

    use super::*;

    pub(crate) fn item(person: &str, workspace: &str) -> ReviewItem {
        ReviewItem {
            person: UserRef {
                id: format!("u_{person}").into(),
                name: person.to_owned(),
                email: format!("{person}@globex.test"),
            },
            partner_team: TeamRef {
                id: "t_globex".into(),
                name: "Globex".to_owned(),
                domain: "globex.test".to_owned(),
            },
            workspace: WorkspaceRef {
                id: format!("w_{workspace}").into(),
                name: workspace.to_owned(),
            },
            role: PartnerRole::Viewer,
            since: "2026-01-01T00:00:00Z".to_owned(),
            last_opened_at: None,
            decision: None,
            decided_by: None,
            ended: false,
        }
    }

    #[test]
    fn a_decision_made_here_wins_over_the_loaded_one() {
        let gina = item("gina", "pay");
        assert_eq!(current_decision(&gina, &Decided::new()), (None, None));
        let me = UserRef {
            id: "u_paul".into(),
            name: "Paul".to_owned(),
            email: "paul@acme.test".to_owned(),
        };
        let decided: Decided =
            [(grant_id(&gina), (ReviewDecision::Remove, Some(me.clone())))].into();
        assert_eq!(
            current_decision(&gina, &decided),
            (Some(ReviewDecision::Remove), Some(me))
        );
        assert_eq!(
            grant_key(&gina),
            GrantKey {
                workspace_id: "w_pay".into(),
                user_id: "u_gina".into()
            }
        );
    }

    #[test]
    fn select_all_counts_only_grants_that_can_be_decided() {
        let ended = ReviewItem {
            ended: true,
            ..item("ed", "pay")
        };
        let items = vec![item("gina", "pay"), item("gary", "pay"), ended];
        let none = BTreeSet::new();
        assert_eq!(selection_state(&items, &none), (false, false));
        let one: BTreeSet<String> = [grant_id(&items[0])].into();
        assert_eq!(selection_state(&items, &one), (false, true));
        let both: BTreeSet<String> = [grant_id(&items[0]), grant_id(&items[1])].into();
        assert_eq!(selection_state(&items, &both), (true, false));
        assert_eq!(selection_state(&[], &none), (false, false));
        assert_eq!(decided_word(ReviewDecision::Keep), "Kept");
    }
}
