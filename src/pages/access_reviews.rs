//! Team Settings > Access reviews: the reviews a person may see (Team Admins: every review
//! of their team; reviewers: theirs), each linking to its page, and "Start a review" for
//! Team Admins.

use leptos::html;
use leptos::prelude::*;
use partner_api::events::Event;
use partner_api::reviews::{ReviewList as ReviewListAnswer, ReviewSummary};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::empty_state::EmptyState;
use crate::components::error_panel::ErrorPanel;
use crate::components::no_team::NoTeam;
use crate::components::relative_time::calendar_day;
use crate::components::require_session::RequireSession;
use crate::components::review_list::ReviewList;
use crate::components::skeleton_rows::SkeletonRows;
use crate::components::start_review_form::StartReviewForm;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::components::toast::{ToastKind, use_toasts};
use crate::session::use_session;

/// What the list says to someone with no review to do.
pub const NOTHING_TO_REVIEW: &str = "You have no access reviews to do";

/// The toast once a review started.
pub fn started_message(review: &ReviewSummary) -> String {
    let due = calendar_day(&review.due_at).unwrap_or_else(|| review.due_at.clone());
    let people = match review.reviewers.len() {
        1 => "Its reviewer was".to_owned(),
        _ => "Its reviewers were".to_owned(),
    };
    format!(
        "Review of {} started, due {due}. {people} emailed a link.",
        review.scope_label
    )
}

/// Team Settings > Access reviews.
#[component]
pub fn AccessReviews() -> impl IntoView {
    // Asked for now, beside the session check (one round trip less on a cold load).
    let list = LocalResource::new(api::reviews::list);
    use_live_events().refetch_on(
        |event| matches!(event, Event::ReviewsChanged),
        move || list.refetch(),
    );
    view! {
        <RequireSession>
            <AccessReviewsPage list=list />
        </RequireSession>
    }
}

#[component]
fn AccessReviewsPage(list: LocalResource<Result<ReviewListAnswer, ApiError>>) -> impl IntoView {
    let class = style! {
        .page-head {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            justify-content: space-between;
            gap: var(--space-3);
            margin-bottom: var(--space-5);
        }
        .titles {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
            flex: 1 1 420px;
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 72ch;
            margin: 0;
        }
        table {
            width: 100%;
            border-collapse: collapse;
        }
    };
    let session = use_session();
    let in_team = Memo::new(move |_| session.me().map(|me| me.team.is_some()));
    let toasts = use_toasts();
    let can_start =
        Memo::new(move |_| list.with(|answer| matches!(answer, Some(Ok(list)) if list.can_start)));
    let starting = RwSignal::new(false);
    let trigger = NodeRef::<html::Button>::new();
    let close = move || {
        starting.set(false);
        // Back to the button that opened the form.
        request_animation_frame(move || {
            if let Some(trigger) = trigger.get_untracked() {
                _ = trigger.focus();
            }
        });
    };
    let on_started = Callback::new(move |review: ReviewSummary| {
        toasts.show(ToastKind::Success, started_message(&review));
        list.refetch();
        close();
    });

    let start_button = move || {
        (can_start.get() && !starting.get()).then(|| {
            view! {
                <button
                    type="button"
                    class="button button-primary"
                    node_ref=trigger
                    on:click=move |_| starting.set(true)
                >
                    "Start a review"
                </button>
            }
        })
    };
    let content = move || match list.get() {
        None => view! { class=class,
            <table aria-label="Access reviews loading" aria-busy="true">
                <tbody>
                    <SkeletonRows rows=3 columns=5 />
                </tbody>
            </table>
        }
        .into_any(),
        Some(Err(error)) => {
            view! { <ErrorPanel error=error on_retry=move |()| list.refetch() /> }.into_any()
        }
        Some(Ok(answer)) if answer.items.is_empty() => empty(answer.can_start).into_any(),
        Some(Ok(answer)) => view! { <ReviewList reviews=answer.items /> }.into_any(),
    };

    view! { class=class,
        <TeamSettingsFrame selected=TeamSection::AccessReviews>
            <header class="page-head">
                <div class="titles">
                    <h1 id="access-reviews-title">"Access reviews"</h1>
                    <p class="lede">
                        "Reviewers decide, grant by grant, whether partner access to your team's \
                         workspaces stays or ends. At the due date the decisions are applied."
                    </p>
                </div>
                {start_button}
            </header>
            {move || match in_team.get() {
                Some(false) => view! { <NoTeam /> }.into_any(),
                Some(true) => view! {
                    <Show when=move || starting.get()>
                        <StartReviewForm on_started=on_started on_cancel=move |()| close() />
                    </Show>
                    {content}
                }
                .into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

/// No review here: for a Team Admin, what a review is and how to start one; for anyone
/// else, that none is theirs and who starts them.
fn empty(can_start: bool) -> impl IntoView {
    if can_start {
        view! {
            <EmptyState
                title="No access reviews yet"
                text="Start a review to have Team Admins, Partner Managers or Workspace Admins \
                      confirm which partner access is still needed. Access they remove ends at \
                      the due date."
            />
        }
        .into_any()
    } else {
        view! {
            <EmptyState
                title=NOTHING_TO_REVIEW
                text="When a Team Admin asks you to review partner access, the review shows \
                      here and you get an email. Nothing needs you right now."
            />
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use partner_api::reviews::{ReviewDecision, ReviewScope, ReviewState};
    use partner_api::session::UserRef;

    use super::*;

    #[test]
    fn the_toast_names_the_scope_the_day_and_the_email() {
        let reviewer = UserRef {
            id: "u_paul".into(),
            name: "Paul Park".to_owned(),
            email: "paul@acme.test".to_owned(),
        };
        let review = ReviewSummary {
            id: "r_1".into(),
            scope: ReviewScope::All,
            scope_label: "All partner access".to_owned(),
            created_by: None,
            created_at: "2026-01-01T00:00:00Z".to_owned(),
            due_at: "2026-01-15T23:59:59Z".to_owned(),
            undecided: ReviewDecision::Keep,
            state: ReviewState::Open,
            reviewers: vec![reviewer.clone()],
            total: 2,
            decided: 0,
            kept: 0,
            removed: 0,
            can_decide: true,
        };
        assert_eq!(
            started_message(&review),
            "Review of All partner access started, due 15 Jan 2026. Its reviewer was emailed \
             a link."
        );
        let two = ReviewSummary {
            reviewers: vec![reviewer.clone(), reviewer],
            ..review
        };
        assert!(started_message(&two).contains("Its reviewers were"));
    }
}
