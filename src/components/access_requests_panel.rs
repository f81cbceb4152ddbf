use std::collections::{HashMap, HashSet};

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::access_requests::AccessRequest;
use partner_api::expiry::AccessPeriod;
use partner_api::{AccessRequestId, ErrorCode, Paginated};
use stylers_macro::style;

use super::access_end_select::{AccessEndSelect, EndState};
use super::badge::{Badge, Tone};
use super::error_panel::{ErrorPanel, advice};
use super::relative_time::RelativeTime;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};
use crate::routes::Page;

/// Approve or deny.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
}

impl Decision {
    fn pending_label(self) -> &'static str {
        match self {
            Self::Approve => "Approving…",
            Self::Deny => "Denying…",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Self::Approve => "approve",
            Self::Deny => "deny",
        }
    }
}

/// What to do when a decision fails, in plain words.
pub fn decision_advice(error: &ApiError) -> &'static str {
    match error.code() {
        Some(ErrorCode::NoEditorSeat) => {
            "Remove a Partner Editor to free a seat and approve again, or deny the request and \
             invite them as a Viewer."
        }
        Some(ErrorCode::EditorNotAllowed) => {
            "Deny the request and invite them as a Viewer from the workspace's settings."
        }
        Some(ErrorCode::Conflict | ErrorCode::NotFound) => {
            "Someone may have decided it already: the list shows where it stands now."
        }
        _ => advice(error),
    }
}

/// The signals the rows share: which requests are selected, being decided, decided, failed.
#[derive(Clone, Copy)]
struct RowsState {
    selected: RwSignal<HashSet<AccessRequestId>>,
    pending: RwSignal<HashMap<AccessRequestId, Decision>>,
    decided: RwSignal<HashSet<AccessRequestId>>,
    errors: RwSignal<HashMap<AccessRequestId, String>>,
}

/// Pending access requests to the team's workspaces, each with Approve and Deny, and bulk
/// select to decide several at once. A decided request leaves the list; one that fails
/// stays, and says why and what to do.
#[component]
pub fn AccessRequestsPanel(
    /// `GET /api/access-requests?status=pending`, created by the page.
    requests: LocalResource<Result<Paginated<AccessRequest>, ApiError>>,
    /// Requests were approved or denied: partner lists and seats may have changed.
    #[prop(into)]
    on_decided: Callback<()>,
    /// How long the team's new partner access lasts, when known.
    #[prop(optional, into)]
    team_default: Signal<Option<AccessPeriod>>,
) -> impl IntoView {
    let class = style! {
        .requests {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .head {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .lede {
            color: var(--color-text-secondary);
        }
        .list-wrap {
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            overflow: hidden;
        }
        .list {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        .bulk {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-3);
            min-height: 48px;
            padding: var(--space-2) var(--space-3);
            background: var(--color-surface);
            border-bottom: 1px solid var(--color-border);
        }
        .bulk label {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 500;
        }
        .bulk-actions {
            margin-left: auto;
        }
        .request {
            display: grid;
            grid-template-columns: auto minmax(0, 1fr) auto;
            gap: var(--space-3);
            align-items: start;
            padding: var(--space-3);
            border-bottom: 1px solid var(--color-border);
        }
        .request:last-child {
            border-bottom: none;
        }
        .request input, .bulk input {
            width: 16px;
            height: 16px;
            margin: 2px 0 0;
            accent-color: var(--color-accent);
        }
        .what {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
        }
        .who {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-1) var(--space-2);
        }
        .name {
            font-weight: 600;
        }
        .secondary {
            color: var(--color-text-secondary);
        }
        .message {
            margin: 0;
            padding: var(--space-1) var(--space-3);
            border-left: 3px solid var(--color-border);
            color: var(--color-text);
            white-space: pre-line;
            overflow-wrap: anywhere;
        }
        .failure {
            color: var(--color-danger);
            font-weight: 500;
        }
        .actions, .bulk-actions {
            display: flex;
            gap: var(--space-2);
        }
        .actions button, .bulk-actions button {
            white-space: nowrap;
        }
        .ends {
            display: flex;
        }
        .more {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .none {
            padding: var(--space-4);
            border: 1px dashed var(--color-border);
            border-radius: var(--radius-card);
            color: var(--color-text-secondary);
        }
        .placeholder {
            display: block;
            height: 64px;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-surface);
        }
        @media (max-width: 640px) {
            .request {
                grid-template-columns: auto minmax(0, 1fr);
            }
            .actions {
                grid-column: 2;
            }
            .bulk-actions {
                margin-left: 0;
            }
        }
    };

    let toasts = use_toasts();
    let rows = RowsState {
        selected: RwSignal::new(HashSet::new()),
        pending: RwSignal::new(HashMap::new()),
        decided: RwSignal::new(HashSet::new()),
        errors: RwSignal::new(HashMap::new()),
    };

    // Requests still waiting, as last loaded, minus those decided since.
    let waiting = move |page: &Paginated<AccessRequest>| -> Vec<AccessRequest> {
        let decided = rows.decided.get();
        page.items
            .iter()
            .filter(|r| !decided.contains(&r.id))
            .cloned()
            .collect()
    };

    // A decided request's row leaves the list, and the focused button with it: focus then
    // goes to the next request, or to the panel's title when none is left.
    let section = NodeRef::<html::Section>::new();
    let title = NodeRef::<html::H2>::new();
    let keep_focus_in_panel = move || {
        let (Some(section), Some(title)) = (section.get_untracked(), title.get_untracked()) else {
            return;
        };
        let lost = document()
            .active_element()
            .is_none_or(|active| !section.contains(Some(&active)));
        if !lost {
            return;
        }
        let next = section
            .query_selector(".request button:not([disabled])")
            .ok()
            .flatten()
            .and_then(|el| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el).ok());
        let _ = match next {
            Some(next) => next.focus(),
            None => title.focus(),
        };
    };

    // When the access of the requests approved here ends (the team's default unless chosen).
    let end = EndState::new();
    let decide = Callback::new(move |(batch, decision): (Vec<AccessRequest>, Decision)| {
        let ends = match decision {
            Decision::Approve => match end.end() {
                Some(ends) => Some(ends),
                // The select says why (a day not after today…).
                None => return,
            },
            Decision::Deny => None,
        };
        let batch: Vec<AccessRequest> = batch
            .into_iter()
            .filter(|r| !rows.pending.with_untracked(|p| p.contains_key(&r.id)))
            .collect();
        if batch.is_empty() {
            return;
        }
        rows.pending.update(|p| {
            for r in &batch {
                p.insert(r.id.clone(), decision);
            }
        });
        rows.errors.update(|e| {
            for r in &batch {
                e.remove(&r.id);
            }
        });
        let had_focus = section.get_untracked().is_some_and(|section| {
            document()
                .active_element()
                .is_some_and(|active| section.contains(Some(&active)))
        });
        spawn_local_scoped_with_cancellation(async move {
            let total = batch.len();
            let mut done = Vec::new();
            let mut failed = Vec::new();
            for request in batch {
                let answer = match decision {
                    Decision::Approve => {
                        api::access_requests::approve(&request.id, ends.clone()).await
                    }
                    Decision::Deny => api::access_requests::deny(&request.id).await,
                };
                rows.pending.update(|p| {
                    p.remove(&request.id);
                });
                match answer {
                    Ok(_) => {
                        rows.decided.update(|d| {
                            d.insert(request.id.clone());
                        });
                        rows.selected.update(|s| {
                            s.remove(&request.id);
                        });
                        done.push(request);
                    }
                    Err(error) => {
                        let why = format!(
                            "Couldn't {} this request: {error} {}",
                            decision.verb(),
                            decision_advice(&error)
                        );
                        rows.errors.update(|e| {
                            e.insert(request.id.clone(), why);
                        });
                        failed.push((request, error));
                    }
                }
            }
            match (done.as_slice(), failed.as_slice()) {
                ([one], []) => toasts.show(ToastKind::Success, decided_message(one, decision)),
                (_, []) => toasts.show(
                    ToastKind::Success,
                    format!("{} {total} requests.", past(decision)),
                ),
                ([], [(request, error)]) => toasts.show(
                    ToastKind::Error,
                    format!(
                        "Couldn't {} {}'s request: {error} {}",
                        decision.verb(),
                        request.user.name,
                        decision_advice(error)
                    ),
                ),
                ([], _) => toasts.show(
                    ToastKind::Error,
                    format!(
                        "Couldn't {} {total} requests. Each one says what went wrong.",
                        decision.verb()
                    ),
                ),
                _ => toasts.show(
                    ToastKind::Error,
                    format!(
                        "{} {} of {total} requests. The others say what went wrong.",
                        past(decision),
                        done.len()
                    ),
                ),
            }
            if !done.is_empty() {
                on_decided.run(());
            }
            if had_focus {
                // After the list has re-rendered without the decided rows.
                request_animation_frame(keep_focus_in_panel);
            }
            requests.refetch();
        });
    });

    // The panel stays mounted and follows the resource; the last answer stays on screen
    // while a newer one loads.
    let answer = Memo::new(move |_| requests.get());
    let failure = Memo::new(move |_| {
        answer.with(|a| match a {
            Some(Err(error)) => Some(error.clone()),
            _ => None,
        })
    });
    let loading = Memo::new(move |_| answer.with(Option::is_none));
    let page = Memo::new(move |_| {
        answer.with(|a| match a {
            Some(Ok(page)) => Some(page.clone()),
            _ => None,
        })
    });
    let shown = Memo::new(move |_| page.with(|p| p.as_ref().map(&waiting).unwrap_or_default()));
    let count = Memo::new(move |_| {
        page.with(|p| {
            p.as_ref().map(|p| {
                let decided_here = rows
                    .decided
                    .with(|d| p.items.iter().filter(|r| d.contains(&r.id)).count());
                p.total.saturating_sub(decided_here as u64)
            })
        })
    });
    let more = move || {
        page.with(|p| {
            p.as_ref()
                .filter(|p| p.total > p.items.len() as u64)
                .map(|p| {
                    format!(
                        "Showing the first {} of {} requests; decide these to see the rest.",
                        p.items.len(),
                        p.total,
                    )
                })
        })
    };
    let shown_ids = move || -> HashSet<AccessRequestId> {
        shown.with(|s| s.iter().map(|r| r.id.clone()).collect())
    };
    let all_selected = move || {
        let ids = shown_ids();
        !ids.is_empty() && rows.selected.with(|s| ids.iter().all(|id| s.contains(id)))
    };
    let selected_requests = move || -> Vec<AccessRequest> {
        shown.with(|s| {
            s.iter()
                .filter(|r| rows.selected.with(|sel| sel.contains(&r.id)))
                .cloned()
                .collect()
        })
    };
    let selected_count = move || selected_requests().len();
    let busy = move || rows.pending.with(|p| !p.is_empty());
    let none_waiting = Memo::new(move |_| shown.with(Vec::is_empty));

    let list = move || {
        if none_waiting.get() {
            return view! { class=class,
                <p class="none">
                    "No pending requests. When someone from another team asks to join one of \
                     your workspaces, it appears here."
                </p>
            }
            .into_any();
        }
        view! { class=class,
            <div class="ends">
                <AccessEndSelect
                    id="approve-ends"
                    state=end
                    team_default=team_default
                    disabled=Signal::derive(busy)
                    label="Approved access ends"
                />
            </div>
            <div class="list-wrap">
                <div class="bulk">
                    <label>
                        <input
                            type="checkbox"
                            prop:checked=all_selected
                            on:change=move |ev| {
                                let ids = shown_ids();
                                if event_target_checked(&ev) {
                                    rows.selected.update(|s| s.extend(ids));
                                } else {
                                    rows.selected.update(|s| s.retain(|id| !ids.contains(id)));
                                }
                            }
                        />
                        {move || match selected_count() {
                            0 => "Select all".to_owned(),
                            n => format!("{n} selected"),
                        }}
                    </label>
                    <div class="bulk-actions">
                        <button
                            type="button"
                            class="button button-primary"
                            disabled=move || selected_count() == 0 || busy()
                            on:click=move |_| decide.run((selected_requests(), Decision::Approve))
                        >
                            "Approve selected"
                        </button>
                        <button
                            type="button"
                            class="button"
                            disabled=move || selected_count() == 0 || busy()
                            on:click=move |_| decide.run((selected_requests(), Decision::Deny))
                        >
                            "Deny selected"
                        </button>
                    </div>
                </div>
                <ul class="list" aria-labelledby="access-requests-title">
                    <For each=move || shown.get() key=|r| r.id.clone() let:request>
                        <RequestRow request=request rows=rows decide=decide class=class />
                    </For>
                </ul>
            </div>
        }
        .into_any()
    };

    let content = move || {
        if loading.get() {
            view! { class=class, <span class="placeholder" aria-hidden="true"></span> }.into_any()
        } else if let Some(error) = failure.get() {
            view! { <ErrorPanel error=error on_retry=move |()| requests.refetch() /> }.into_any()
        } else {
            view! { class=class,
                {list}
                {move || more().map(|more| view! { class=class, <p class="more">{more}</p> })}
            }
            .into_any()
        }
    };

    view! { class=class,
        <section class="requests" aria-labelledby="access-requests-title" node_ref=section>
            <div class="head">
                <h2 id="access-requests-title" tabindex="-1" node_ref=title>
                    "Access requests"
                </h2>
                {move || {
                    count
                        .get()
                        .map(|count| {
                            let tone = if count > 0 { Tone::Accent } else { Tone::Neutral };
                            view! {
                                <Badge text=count.to_string() tone=tone />
                                <span class="visually-hidden">" pending"</span>
                            }
                        })
                }}
            </div>
            <p class="lede">
                "People from other teams asking to join your workspaces. Approving grants the role \
                 they asked for and emails them a link."
            </p>
            {content}
        </section>
    }
}

fn past(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "Approved",
        Decision::Deny => "Denied",
    }
}

/// The toast after one decision: who can now do what.
fn decided_message(request: &AccessRequest, decision: Decision) -> String {
    match decision {
        Decision::Approve => format!(
            "{} can now open {} as {}. We've emailed them a link.",
            request.user.name,
            request.workspace.name,
            request.role.label()
        ),
        Decision::Deny => format!(
            "Denied {}'s request to join {}.",
            request.user.name, request.workspace.name
        ),
    }
}

/// One pending request: who asks for what, their message, when; Approve and Deny.
#[component]
fn RequestRow(
    request: AccessRequest,
    rows: RowsState,
    decide: Callback<(Vec<AccessRequest>, Decision)>,
    class: &'static str,
) -> impl IntoView {
    let id = request.id.clone();
    let checkbox_id = format!("request-{}", request.id);
    let label_id = format!("request-{}-who", request.id);
    let pending = {
        let id = id.clone();
        Memo::new(move |_| rows.pending.with(|p| p.get(&id).copied()))
    };
    let error = {
        let id = id.clone();
        move || rows.errors.with(|e| e.get(&id).cloned())
    };
    let checked = {
        let id = id.clone();
        move || rows.selected.with(|s| s.contains(&id))
    };
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        let id = id.clone();
        rows.selected.update(|s| {
            if on {
                s.insert(id);
            } else {
                s.remove(&id);
            }
        });
    };
    let team = request
        .team
        .as_ref()
        .map_or_else(|| "no team".to_owned(), |t| t.name.clone());
    let workspace_href = Page::WorkspaceSettings(request.workspace.id.as_str()).href();
    let message = (!request.message.trim().is_empty()).then(|| request.message.clone());
    let approve = {
        let request = request.clone();
        move |_| decide.run((vec![request.clone()], Decision::Approve))
    };
    let deny = {
        let request = request.clone();
        move |_| decide.run((vec![request.clone()], Decision::Deny))
    };
    let label = move |decision: Decision, idle: &'static str| {
        move || match pending.get() {
            Some(d) if d == decision => d.pending_label(),
            _ => idle,
        }
    };
    view! { class=class,
        <li class="request" aria-busy=move || pending.get().is_some().to_string()>
            <input
                type="checkbox"
                id=checkbox_id
                aria-labelledby=label_id.clone()
                prop:checked=checked
                disabled=move || pending.get().is_some()
                on:change=toggle
            />
            <div class="what">
                <div class="who" id=label_id.clone()>
                    <span class="name">{request.user.name.clone()}</span>
                    <span class="secondary">
                        {format!("{} · {team}", request.user.email)}
                    </span>
                </div>
                <div class="who">
                    <span>"asks for"</span>
                    <Badge text=request.role.label().to_owned() tone=Tone::Neutral />
                    <span>"access to"</span>
                    <a href=workspace_href>{request.workspace.name.clone()}</a>
                    <span class="secondary">
                        "· "<RelativeTime at=Some(request.created_at.clone()) />
                    </span>
                </div>
                {message.map(|m| view! { class=class, <blockquote class="message">{m}</blockquote> })}
                {move || error().map(|e| view! { class=class, <p class="failure" role="alert">{e}</p> })}
            </div>
            <div class="actions">
                <button
                    type="button"
                    class="button button-primary"
                    aria-describedby=label_id.clone()
                    disabled=move || pending.get().is_some()
                    on:click=approve
                >
                    {label(Decision::Approve, "Approve")}
                </button>
                <button
                    type="button"
                    class="button"
                    aria-describedby=label_id.clone()
                    disabled=move || pending.get().is_some()
                    on:click=deny
                >
                    {label(Decision::Deny, "Deny")}
                </button>
            </div>
        </li>
    }
}
