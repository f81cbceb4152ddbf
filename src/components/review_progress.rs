use leptos::prelude::*;
use partner_api::reviews::{ReviewState, ReviewSummary};
use stylers_macro::style;

use super::pagination::thousands;

/// "1 of 2 decided".
pub fn decided_line(review: &ReviewSummary) -> String {
    format!(
        "{} of {} decided",
        thousands(review.decided.into()),
        thousands(review.total.into())
    )
}

/// "1 kept, 0 removed".
pub fn counts_line(review: &ReviewSummary) -> String {
    format!(
        "{} kept, {} removed",
        thousands(review.kept.into()),
        thousands(review.removed.into())
    )
}

/// Whole percent decided (0 for a review with no grants).
pub fn percent(review: &ReviewSummary) -> u32 {
    match review.total {
        0 => 0,
        total => (u64::from(review.decided.min(total)) * 100 / u64::from(total)) as u32,
    }
}

/// The reviewers' names: "Paul Park, Alice Adams".
pub fn reviewers_line(review: &ReviewSummary) -> String {
    match review.reviewers.len() {
        0 => "No reviewers".to_owned(),
        _ => review
            .reviewers
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Why a review's decisions can't be changed here, if they can't.
pub fn read_only_reason(review: &ReviewSummary) -> Option<&'static str> {
    if review.state == ReviewState::Applied {
        Some(
            "This review was applied at its due date: kept access stays and removed access \
             ended. Its decisions can't change now; download the results to keep a record.",
        )
    } else if !review.can_decide {
        Some(
            "You can see this review, but only its reviewers and your team's Team Admins \
             decide in it.",
        )
    } else {
        None
    }
}

/// A review's progress: a bar and "N of M decided" with the kept and removed counts.
#[component]
pub fn ReviewProgress(
    /// The review (nothing shows until there is one).
    #[prop(into)]
    review: Signal<Option<ReviewSummary>>,
) -> impl IntoView {
    let class = style! {
        .progress {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
        }
        .figures {
            display: flex;
            flex-wrap: wrap;
            align-items: baseline;
            gap: var(--space-1) var(--space-3);
            font-variant-numeric: tabular-nums;
        }
        .decided {
            font-weight: 600;
        }
        .counts {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .bar {
            height: 8px;
            border-radius: 4px;
            background: var(--color-surface);
            border: 1px solid var(--color-border);
            overflow: hidden;
        }
        .fill {
            display: block;
            height: 100%;
            background: var(--color-accent);
            transition: width 0.2s;
        }
    };
    let figure = move |f: fn(&ReviewSummary) -> String| {
        move || review.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    let decided = figure(decided_line);
    view! { class=class,
        <div class="progress">
            <div class="figures">
                <span class="decided" data-testid="review-decided">{decided}</span>
                <span class="counts">{figure(counts_line)}</span>
            </div>
            <div
                class="bar"
                role="progressbar"
                aria-label="Grants decided"
                aria-valuemin="0"
                aria-valuemax=figure(|r| r.total.to_string())
                aria-valuenow=figure(|r| r.decided.to_string())
                aria-valuetext=decided
            >
                <span
                    class="fill"
                    style:width=move || format!("{}%", review.with(|r| r.as_ref().map_or(0, percent)))
                ></span>
            </div>
        </div>
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use partner_api::reviews::{ReviewDecision, ReviewScope};
    use partner_api::session::UserRef;

    use super::*;

    pub(crate) fn review() -> ReviewSummary {
        ReviewSummary {
            id: "r_1".into(),
            scope: ReviewScope::PartnerTeam {
                team_id: "t_globex".into(),
            },
            scope_label: "Globex".to_owned(),
            created_by: None,
            created_at: "2026-01-01T00:00:00Z".to_owned(),
            due_at: "2026-01-08T23:59:59Z".to_owned(),
            undecided: ReviewDecision::Keep,
            state: ReviewState::Open,
            reviewers: vec![UserRef {
                id: "u_paul".into(),
                name: "Paul Park".to_owned(),
                email: "paul@acme.test".to_owned(),
            }],
            total: 3,
            decided: 1,
            kept: 1,
            removed: 0,
            can_decide: true,
        }
    }

    #[test]
    fn progress_reads_as_people_say_it() {
        let review = review();
        assert_eq!(decided_line(&review), "1 of 3 decided");
        assert_eq!(counts_line(&review), "1 kept, 0 removed");
        assert_eq!(percent(&review), 33);
        assert_eq!(
            percent(&ReviewSummary {
                total: 0,
                decided: 0,
                ..review.clone()
            }),
            0
        );
        assert_eq!(reviewers_line(&review), "Paul Park");
    }

    #[test]
    fn applied_or_not_a_reviewer_is_read_only() {
        let review = review();
        assert_eq!(read_only_reason(&review), None);
        assert!(
            read_only_reason(&ReviewSummary {
                state: ReviewState::Applied,
                ..review.clone()
            })
            .unwrap()
            .contains("applied")
        );
        assert!(
            read_only_reason(&ReviewSummary {
                can_decide: false,
                ..review
            })
            .unwrap()
            .contains("reviewers")
        );
    }
}
