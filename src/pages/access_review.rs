//! One access review, at `/settings/team/access-reviews/:id`: its scope, due date and
//! progress, and its grants, each kept or removed by a reviewer (one by one or selected
//! together), "Only undecided" and the page in the URL, and the results as CSV.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query};
use partner_api::reviews::{
    Decide, ReviewDecision, ReviewDetail, ReviewItem, ReviewQuery, ReviewState, ReviewSummary,
};
use partner_api::{ErrorCode, ReviewId};
use stylers_macro::style;

use crate::api::{self, ApiError};
use crate::components::badge::Badge;
use crate::components::error_panel::{ErrorPanel, explain};
use crate::components::pagination::{Pagination, counted};
use crate::components::require_session::RequireSession;
use crate::components::review_grants_table::{
    Decided, ReviewGrantsTable, decidable, decided_word, grant_id, grant_key, selection_state,
};
use crate::components::review_list::{due_day, state_tone};
use crate::components::review_progress::{
    ReviewProgress, decided_line, read_only_reason, reviewers_line,
};
use crate::components::skeleton_rows::SkeletonRows;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::components::toast::{ToastKind, use_toasts};
use crate::params::access_review::ReviewParams;
use crate::routes::ACCESS_REVIEWS_PATH;
use crate::session::use_session;

/// What the live region says once a decision is saved: what changed, then the progress.
pub fn decided_message(
    items: &[ReviewItem],
    decision: ReviewDecision,
    review: &ReviewSummary,
) -> String {
    let what = match items {
        [item] => format!(
            "{} {}'s access to {}.",
            decided_word(decision),
            item.person.name,
            item.workspace.name
        ),
        _ => format!(
            "{} {}.",
            decided_word(decision),
            counted(items.len() as u64, "grant", "grants")
        ),
    };
    format!("{what} {}.", decided_line(review))
}

/// Team Settings > Access reviews > one review.
#[component]
pub fn AccessReview() -> impl IntoView {
    let data = ReviewData::load();
    // Not refetched on ReviewsChanged: the decision rows are keyed by their decision, so an
    // answer to this tab's own decision would rebuild the row that has the focus.
    view! {
        <RequireSession>
            <AccessReviewPage data=data />
        </RequireSession>
    }
}

/// An answer of the review's page, with the review and query it answers.
type Answer = ((ReviewId, ReviewQuery), Result<ReviewDetail, ApiError>);

/// The review in the URL and the page of it asked for.
#[derive(Clone, Copy)]
struct ReviewData {
    id: Memo<ReviewId>,
    params: Memo<ReviewParams>,
    api_query: Memo<ReviewQuery>,
    /// Each answer says which query it answers, so the table can tell a stale page.
    detail: LocalResource<Answer>,
}

impl ReviewData {
    fn load() -> Self {
        let map = use_params_map();
        let id = Memo::new(move |_| ReviewId::from(map.with(|m| m.get("id").unwrap_or_default())));
        let query = use_query::<ReviewParams>();
        let params = Memo::new(move |_| query.get().unwrap_or_default());
        let api_query = Memo::new(move |_| params.with(ReviewParams::api_query));
        let detail = LocalResource::new(move || {
            let (id, query) = (id.get(), api_query.get());
            async move {
                let answer = api::reviews::detail(&id, &query).await;
                ((id, query), answer)
            }
        });
        Self {
            id,
            params,
            api_query,
            detail,
        }
    }
}

#[component]
fn AccessReviewPage(data: ReviewData) -> impl IntoView {
    let class = style! {
        .back {
            display: inline-block;
            margin-bottom: var(--space-3);
        }
        .loading {
            width: 100%;
            border-collapse: collapse;
        }
    };
    let detail = data.detail;
    // The first answer decides between the review and an error; later ones (another page,
    // the filter) keep the review on screen.
    let shown = Memo::new(
        move |previous: Option<&Option<Result<ReviewSummary, ApiError>>>| {
            detail.with(|answer| match answer {
                Some((_, Ok(detail))) => Some(Ok(detail.review.clone())),
                Some((_, Err(error))) => Some(Err(error.clone())),
                None => previous.cloned().flatten(),
            })
        },
    );
    let failed =
        Memo::new(move |_| shown.with(|s| s.as_ref().and_then(|r| r.as_ref().err().cloned())));
    let loaded = Memo::new(move |_| shown.with(|s| matches!(s, Some(Ok(_)))));
    view! { class=class,
        <TeamSettingsFrame selected=TeamSection::AccessReviews>
            <a class="back" href=ACCESS_REVIEWS_PATH>"← Access reviews"</a>
            {move || {
                if let Some(error) = failed.get() {
                    return not_loaded(error, detail).into_any();
                }
                if loaded.get() {
                    return view! { <ReviewContent data=data /> }.into_any();
                }
                view! { class=class,
                    <h1 id="review-title">"Access review"</h1>
                    <table class="loading" aria-label="Grants loading" aria-busy="true">
                        <tbody>
                            <SkeletonRows rows=4 columns=6 />
                        </tbody>
                    </table>
                }
                .into_any()
            }}
        </TeamSettingsFrame>
    }
}

/// The review didn't load: a 404 says it may not be theirs, anything else offers Retry.
fn not_loaded(error: ApiError, detail: LocalResource<Answer>) -> impl IntoView {
    if error.code() == Some(ErrorCode::NotFound) {
        return view! {
            <h1 id="review-title">"Review not found"</h1>
            <p>
                "This review doesn't exist, or it isn't one of yours: reviews show to their \
                 reviewers and to the team's Team Admins. "
                <a href=ACCESS_REVIEWS_PATH>"See your access reviews"</a>
                "."
            </p>
        }
        .into_any();
    }
    view! {
        <h1 id="review-title">"Access review"</h1>
        <ErrorPanel error=error on_retry=move |()| detail.refetch() />
    }
    .into_any()
}

/// The header, the progress, the filter and the grants of a loaded review.
#[component]
fn ReviewContent(data: ReviewData) -> impl IntoView {
    let class = style! {
        .review-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            margin-bottom: var(--space-5);
        }
        h1 {
            overflow-wrap: anywhere;
        }
        .facts {
            display: grid;
            grid-template-columns: repeat(auto-fit, minmax(130px, 1fr));
            gap: var(--space-3) var(--space-4);
            margin: 0;
        }
        .fact {
            display: flex;
            flex-direction: column;
            gap: 2px;
            min-width: 0;
        }
        dt {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        dd {
            margin: 0;
            overflow-wrap: anywhere;
        }
        .read-only {
            margin: 0;
            padding: var(--space-3);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-surface);
        }
        .toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-3);
            margin-bottom: var(--space-3);
        }
        h2 {
            margin: 0;
        }
        .tools {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2) var(--space-4);
        }
        .toggle {
            display: inline-flex;
            align-items: center;
            gap: var(--space-2);
        }
        .bulk {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin-bottom: var(--space-3);
        }
        .count {
            color: var(--color-text-secondary);
            font-variant-numeric: tabular-nums;
            margin-right: var(--space-2);
        }
        .status {
            min-height: 24px;
            margin: 0 0 var(--space-2);
            color: var(--color-text-secondary);
        }
    };
    let ReviewData {
        id,
        params,
        api_query,
        detail,
    } = data;
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let go = Callback::new(move |next: ReviewParams| {
        navigate(
            &next.href(id.get_untracked().as_str()),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });

    // The review as last answered, by the page's load or by a decision's answer.
    let review = RwSignal::new(None::<ReviewSummary>);
    let items = RwSignal::new(Vec::<ReviewItem>::new());
    // The page's (first, last, total, page count).
    let page = RwSignal::new(None::<(u64, u64, u64, u32)>);
    let decided = RwSignal::new(Decided::new());
    let pending = RwSignal::new(BTreeSet::<String>::new());
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let status = RwSignal::new(String::new());
    // Each answer replaces the page (what was decided here is in it now).
    let apply = move |answer: &Option<Answer>| {
        if let Some((_, Ok(detail))) = answer {
            review.set(Some(detail.review.clone()));
            items.set(detail.items.items.clone());
            let range = detail.items.range();
            let count = u32::try_from(detail.items.page_count()).unwrap_or(u32::MAX);
            page.set(Some((range.0, range.1, detail.items.total, count)));
            decided.set(Decided::new());
            selected.set(BTreeSet::new());
        }
    };
    detail.with_untracked(apply);
    Effect::new(move |_| detail.with(apply));
    let busy = Memo::new(move |_| {
        let wanted = (id.get(), api_query.get());
        detail.with(|answer| answer.as_ref().is_some_and(|(query, _)| *query != wanted))
    });
    let editable = Memo::new(move |_| {
        review.with(|r| r.as_ref().is_some_and(|r| read_only_reason(r).is_none()))
    });

    let decide = Callback::new(
        move |(chosen, decision): (Vec<ReviewItem>, ReviewDecision)| {
            let ids: Vec<String> = chosen.iter().map(grant_id).collect();
            if chosen.is_empty() || pending.with_untracked(|p| ids.iter().any(|id| p.contains(id)))
            {
                return;
            }
            pending.update(|p| p.extend(ids.iter().cloned()));
            let body = Decide {
                grants: chosen.iter().map(grant_key).collect(),
                decision,
            };
            let me = session.me().map(|me| me.user);
            spawn_local_scoped_with_cancellation(async move {
                let answer = api::reviews::decide(&id.get_untracked(), &body).await;
                pending.update(|p| {
                    for id in &ids {
                        p.remove(id);
                    }
                });
                match answer {
                    Ok(progress) => {
                        decided.update(|d| {
                            for id in &ids {
                                d.insert(id.clone(), (decision, me.clone()));
                            }
                        });
                        status.set(decided_message(&chosen, decision, &progress));
                        review.set(Some(progress));
                    }
                    Err(error) => {
                        let message = format!("Not saved. {}", explain(&error));
                        status.set(message.clone());
                        toasts.show(ToastKind::Error, message);
                        // Applied meanwhile, or no longer theirs: the page says so once reloaded.
                        if matches!(
                            error.code(),
                            Some(ErrorCode::Conflict | ErrorCode::Forbidden | ErrorCode::NotFound)
                        ) {
                            detail.refetch();
                        }
                    }
                }
            });
        },
    );
    let bulk = move |decision: ReviewDecision| {
        let chosen: Vec<ReviewItem> = selected.with_untracked(|s| {
            items.with_untracked(|items| {
                decidable(items)
                    .into_iter()
                    .filter(|item| s.contains(&grant_id(item)))
                    .cloned()
                    .collect()
            })
        });
        if chosen.is_empty() {
            status.set(
                "Select one or more grants first, with the checkboxes in the table.".to_owned(),
            );
            return;
        }
        selected.set(BTreeSet::new());
        decide.run((chosen, decision));
    };
    let select_state =
        Memo::new(move |_| selected.with(|s| items.with(|items| selection_state(items, s))));
    let selected_count = Memo::new(move |_| {
        selected.with(|s| {
            items.with(|items| {
                decidable(items)
                    .iter()
                    .filter(|i| s.contains(&grant_id(i)))
                    .count()
            })
        })
    });
    let toggle_all = move |ev| {
        let on = event_target_checked(&ev);
        selected.set(if on {
            items.with_untracked(|items| decidable(items).into_iter().map(grant_id).collect())
        } else {
            BTreeSet::new()
        });
    };

    let facts = move || {
        review.get().map(|r| {
            let undecided = match r.undecided {
                ReviewDecision::Keep => "Kept",
                ReviewDecision::Remove => "Removed",
            };
            let started = r
                .created_by
                .as_ref()
                .map_or_else(|| "—".to_owned(), |by| by.name.clone());
            view! { class=class,
                <dl class="facts">
                    <div class="fact">
                        <dt>"State"</dt>
                        <dd><Badge text=r.state.label() tone=state_tone(r.state) /></dd>
                    </div>
                    <div class="fact">
                        <dt>{if r.state == ReviewState::Applied { "Applied on" } else { "Due" }}</dt>
                        <dd data-testid="review-due">{due_day(&r)}</dd>
                    </div>
                    <div class="fact">
                        <dt>"If undecided at the due date"</dt>
                        <dd>{undecided}</dd>
                    </div>
                    <div class="fact">
                        <dt>"Reviewers"</dt>
                        <dd>{reviewers_line(&r)}</dd>
                    </div>
                    <div class="fact">
                        <dt>"Started by"</dt>
                        <dd>{started}</dd>
                    </div>
                </dl>
            }
        })
    };
    let read_only = move || {
        review
            .with(|r| r.as_ref().and_then(read_only_reason))
            .map(|why| view! { class=class, <p class="read-only" data-testid="review-read-only">{why}</p> })
    };
    let title = move || {
        review.with(|r| {
            r.as_ref()
                .map(|r| format!("Access review: {}", r.scope_label))
        })
    };
    let csv = move || api::reviews::csv_url(&id.get());
    let bulk_bar = move || {
        editable.get().then(|| {
            view! { class=class,
                <div class="bulk" role="group" aria-label="Decide for the selected grants">
                    <label class="toggle">
                        <input
                            type="checkbox"
                            prop:checked=move || select_state.get().0
                            prop:indeterminate=move || select_state.get().1
                            on:change=toggle_all
                        />
                        "Select all on this page"
                    </label>
                    <span class="count">
                        {move || format!("{} selected", selected_count.get())}
                    </span>
                    <button type="button" class="button" on:click=move |_| bulk(ReviewDecision::Keep)>
                        "Keep selected"
                    </button>
                    <button
                        type="button"
                        class="button button-danger"
                        on:click=move |_| bulk(ReviewDecision::Remove)
                    >
                        "Remove selected"
                    </button>
                </div>
            }
        })
    };
    let footer = move || {
        page.get().filter(|(_, _, total, _)| *total > 0).map(|(first, last, total, count)| {
            let current = params.with(|p| p.page);
            let reviewing = id.get();
            let prev = (current > 1).then(|| params.with(|p| p.with_page(current - 1).href(reviewing.as_str())));
            let next = (current < count).then(|| params.with(|p| p.with_page(current + 1).href(reviewing.as_str())));
            view! { <Pagination range=(first, last) total=total prev=prev next=next keep_scroll=true label="Pages of grants" /> }
        })
    };
    let nothing_left = move || {
        let empty = items.with(Vec::is_empty) && page.with(|p| p.is_some());
        (empty && params.with(|p| p.undecided)).then(|| {
            view! { class=class,
                <p class="read-only">
                    "Every grant of this review has a decision. "
                    <a href=move || params.with(|p| p.with_undecided(false).href(id.get().as_str()))>
                        "Show all grants"
                    </a>
                </p>
            }
        })
    };

    view! { class=class,
        <header class="review-head">
            <h1 id="review-title">{title}</h1>
            {facts}
            <ReviewProgress review=review />
            {read_only}
        </header>
        <div class="toolbar">
            <h2 id="review-grants-title">"Grants"</h2>
            <div class="tools">
                <label class="toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || params.with(|p| p.undecided)
                        on:change=move |ev| {
                            go.run(params.get_untracked().with_undecided(event_target_checked(&ev)))
                        }
                    />
                    "Only undecided"
                </label>
                // A plain link: the browser downloads the server's CSV of every grant.
                <a class="button" href=csv download="">
                    "Download results (CSV)"
                </a>
            </div>
        </div>
        {bulk_bar}
        <p class="status" role="status" aria-live="polite" data-testid="review-status">
            {move || status.get()}
        </p>
        {nothing_left}
        <Show when=move || !(params.with(|p| p.undecided) && items.with(Vec::is_empty))>
            <ReviewGrantsTable
                items=items
                decided=decided
                pending=pending
                selected=selected
                editable=editable
                on_decide=decide
                busy=busy
            />
        </Show>
        {footer}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::review_grants_table::tests::item;
    use crate::components::review_progress::tests::review;

    #[test]
    fn a_saved_decision_is_announced_with_the_progress() {
        let progress = ReviewSummary {
            decided: 2,
            total: 2,
            ..review()
        };
        assert_eq!(
            decided_message(
                &[item("Gina Gold", "Payments API")],
                ReviewDecision::Keep,
                &progress
            ),
            "Kept Gina Gold's access to Payments API. 2 of 2 decided."
        );
        assert_eq!(
            decided_message(
                &[item("a", "x"), item("b", "x")],
                ReviewDecision::Remove,
                &progress
            ),
            "Removed 2 grants. 2 of 2 decided."
        );
    }
}
