use leptos::prelude::*;
use partner_api::reviews::{ReviewState, ReviewSummary};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::relative_time::calendar_day;
use super::review_progress::{decided_line, reviewers_line};
use crate::routes::Page;

/// The state's badge tone: open reviews wait for decisions.
pub fn state_tone(state: ReviewState) -> Tone {
    match state {
        ReviewState::Open => Tone::Accent,
        ReviewState::Applied => Tone::Success,
    }
}

/// The day a review is due, as people read it.
pub fn due_day(review: &ReviewSummary) -> String {
    calendar_day(&review.due_at).unwrap_or_else(|| review.due_at.clone())
}

/// What makes a row look different.
fn row_key(review: &ReviewSummary) -> String {
    format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        review.id,
        review.state,
        review.decided,
        review.total,
        review.due_at,
        reviewers_line(review)
    )
}

/// The reviews a person may see: scope (a link to the review), due date, state, progress
/// and reviewers. Rows stack under 640 px.
#[component]
pub fn ReviewList(#[prop(into)] reviews: Signal<Vec<ReviewSummary>>) -> impl IntoView {
    let class = style! {
        .reviews {
            width: 100%;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        th, td {
            height: 44px;
            padding: var(--space-2) var(--space-3);
            text-align: left;
            vertical-align: middle;
            border-bottom: 1px solid var(--color-border);
            overflow-wrap: break-word;
        }
        thead th {
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
        tbody tr:hover > * {
            background: var(--color-surface);
        }
        .scope {
            font-weight: 600;
        }
        .by {
            display: block;
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            font-weight: 400;
        }
        .number {
            font-variant-numeric: tabular-nums;
            white-space: nowrap;
        }
        @media (max-width: 640px) {
            .reviews, .reviews tbody, .reviews tr, .reviews td, .reviews th {
                display: block;
                width: auto;
                height: auto;
            }
            .reviews {
                border: none;
            }
            .reviews thead {
                display: none;
            }
            .reviews tbody tr {
                display: flex;
                flex-direction: column;
                border: 1px solid var(--color-border);
                border-radius: var(--radius-card);
                margin-bottom: var(--space-2);
                padding: var(--space-2) var(--space-3);
            }
            .reviews tbody tr > * {
                display: flex;
                justify-content: space-between;
                align-items: center;
                gap: var(--space-3);
                padding: var(--space-1) 0;
                border: none;
                text-align: right;
            }
            .reviews tbody tr > *::before {
                content: attr(data-label);
                flex: none;
                color: var(--color-text-secondary);
                font-size: var(--text-xs);
                text-align: left;
            }
            .reviews tbody tr > .scope {
                display: block;
                text-align: left;
                padding-bottom: var(--space-2);
            }
            .reviews tbody tr > .scope::before {
                content: none;
            }
            .reviews tbody tr:hover > * {
                background: transparent;
            }
        }
    };
    let rows = move || reviews.get();
    view! { class=class,
        <table class="reviews" aria-labelledby="access-reviews-title">
            <thead>
                <tr>
                    <th scope="col">"Review"</th>
                    <th scope="col">"Due"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Progress"</th>
                    <th scope="col">"Reviewers"</th>
                </tr>
            </thead>
            <tbody>
                <For each=rows key=row_key let:review>
                    <tr data-testid="review">
                        <th scope="row" class="scope">
                            <a href=Page::AccessReview(review.id.as_str()).href()>
                                {review.scope_label.clone()}
                            </a>
                            {review
                                .created_by
                                .as_ref()
                                .map(|by| {
                                    view! { class=class,
                                        <span class="by">{format!("Started by {}", by.name)}</span>
                                    }
                                })}
                        </th>
                        <td class="number" data-label="Due">{due_day(&review)}</td>
                        <td data-label="State">
                            <Badge text=review.state.label() tone=state_tone(review.state) />
                        </td>
                        <td class="number" data-label="Progress">{decided_line(&review)}</td>
                        <td data-label="Reviewers">{reviewers_line(&review)}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}
