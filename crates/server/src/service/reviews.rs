//! Access reviews: a Team Admin starts one over the team's partner grants (all, one partner
//! team's, or one workspace's) with reviewers and a due date; reviewers keep or remove each
//! grant; at the due date the job applies the decisions (and the default for undecided
//! grants) in batches under the publisher's lock, audited, and emails a summary.

use std::collections::BTreeSet;

use futures_util::{Stream, StreamExt};
use partner_api::audit::AuditAction;
use partner_api::pagination::Paginated;
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::reviews::{
    DECISIONS_AT_ONCE, Decide, NewReview, REVIEW_CHOICES_LISTED, ReviewChoices, ReviewDecision,
    ReviewDetail, ReviewItem, ReviewList, ReviewQuery, ReviewScope, ReviewState, ReviewSummary,
    Reviewer,
};
use partner_api::session::UserRef;
use partner_api::{PageRequest, PartnerRole};
use serde_json::json;
use time::macros::format_description;
use time::{Date, Duration, OffsetDateTime, Time};

use crate::db::{AuditEntry, Db, NewReviewRow, ReviewItemRow, ReviewRow, new_id, now, timestamp};
use crate::domain::authz::{self, Caller};
use crate::domain::expiry::day_of;
use crate::email::Links;
use crate::email::reviews as emails;
use crate::email::templates::Recipient;
use crate::error::AppError;

/// How many reviewers a review may have.
const MAX_REVIEWERS: usize = 20;
/// Grants one transaction of the apply job removes.
const APPLY_BATCH: u32 = 200;
/// Grants the results CSV reads per statement.
const CSV_BATCH: u32 = 1000;

fn user(id: Option<String>, name: Option<String>, email: Option<String>) -> Option<UserRef> {
    Some(UserRef {
        id: id?.into(),
        name: name?,
        email: email?,
    })
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

fn scope_of(row: &ReviewRow) -> ReviewScope {
    match (row.scope_kind.as_str(), row.scope_id.clone()) {
        ("partner_team", Some(id)) => ReviewScope::PartnerTeam { team_id: id.into() },
        ("workspace", Some(id)) => ReviewScope::Workspace {
            workspace_id: id.into(),
        },
        _ => ReviewScope::All,
    }
}

async fn summaries(
    db: &Db,
    caller: &Caller,
    rows: Vec<ReviewRow>,
) -> Result<Vec<ReviewSummary>, AppError> {
    let Some(team) = rows.first().map(|r| r.team_id.clone()) else {
        return Ok(Vec::new());
    };
    let reviewers = db.review_reviewers(&team).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mine: Vec<UserRef> = reviewers
                .iter()
                .filter(|(review, ..)| *review == row.id)
                .map(|(_, id, name, email)| UserRef {
                    id: id.clone().into(),
                    name: name.clone(),
                    email: email.clone(),
                })
                .collect();
            let state = row.state.parse().unwrap_or(ReviewState::Applied);
            let can_decide = state == ReviewState::Open
                && authz::can_see_review(caller, mine.iter().map(|r| &r.id));
            ReviewSummary {
                id: row.id.clone().into(),
                scope: scope_of(&row),
                scope_label: row.scope_label,
                created_by: user(row.created_by_id, row.created_by_name, row.created_by_email),
                created_at: row.created_at,
                due_at: row.due_at,
                undecided: row.undecided.parse().unwrap_or(ReviewDecision::Keep),
                state,
                reviewers: mine,
                total: count(row.total),
                decided: count(row.decided),
                kept: count(row.kept),
                removed: count(row.removed),
                can_decide,
            }
        })
        .collect())
}

/// `GET /api/reviews`.
pub async fn list(db: &Db, caller: &Caller) -> Result<ReviewList, AppError> {
    let team = authz::require_team_member(caller)?;
    let reviewer = (!authz::can_start_review(caller)).then_some(caller.user_id.as_str());
    let rows = db.reviews(team.as_str(), reviewer).await?;
    Ok(ReviewList {
        items: summaries(db, caller, rows).await?,
        can_start: authz::can_start_review(caller),
    })
}

/// `GET /api/reviews/choices` (Team Admins).
pub async fn choices(db: &Db, caller: &Caller) -> Result<ReviewChoices, AppError> {
    let team = authz::require_team_admin(caller)?;
    let (reviewers, teams, workspaces) = db
        .review_choices(team.as_str(), REVIEW_CHOICES_LISTED)
        .await?;
    Ok(ReviewChoices {
        reviewers: reviewers
            .into_iter()
            .map(|row| Reviewer {
                user: UserRef {
                    id: row.id.into(),
                    name: row.name,
                    email: row.email,
                },
                team_admin: row.team_admin,
                partner_manager: row.partner_manager,
                workspace_admin: row.workspace_admin,
            })
            .collect(),
        partner_teams: teams
            .into_iter()
            .map(|(id, name, domain)| TeamRef {
                id: id.into(),
                name,
                domain,
            })
            .collect(),
        workspaces: workspaces
            .into_iter()
            .map(|(id, name)| WorkspaceRef {
                id: id.into(),
                name,
            })
            .collect(),
    })
}

/// One review the caller may see, or 404.
async fn visible(db: &Db, caller: &Caller, review_id: &str) -> Result<ReviewSummary, AppError> {
    let team = authz::require_team_member(caller)?;
    let row = db
        .review(team.as_str(), review_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let summary = summaries(db, caller, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    if !authz::can_see_review(caller, summary.reviewers.iter().map(|r| &r.id)) {
        return Err(AppError::NotFound);
    }
    Ok(summary)
}

fn item(row: ReviewItemRow) -> ReviewItem {
    ReviewItem {
        person: UserRef {
            id: row.user_id.into(),
            name: row.user_name,
            email: row.user_email,
        },
        partner_team: TeamRef {
            id: row.partner_team_id.into(),
            name: row.team_name,
            domain: row.team_domain,
        },
        workspace: WorkspaceRef {
            id: row.workspace_id.into(),
            name: row.workspace_name,
        },
        role: row.role.parse().unwrap_or(PartnerRole::Viewer),
        since: row.granted_at,
        last_opened_at: row.last_opened_at,
        decision: row.decision.and_then(|d| d.parse().ok()),
        decided_by: user(row.decided_by_id, row.decided_by_name, row.decided_by_email),
        ended: row.ended,
    }
}

/// `GET /api/reviews/{id}`.
pub async fn detail(
    db: &Db,
    caller: &Caller,
    review_id: &str,
    query: &ReviewQuery,
    page: PageRequest,
) -> Result<ReviewDetail, AppError> {
    let review = visible(db, caller, review_id).await?;
    let (total, rows) = db
        .review_items(review_id, query.undecided.unwrap_or(false), page)
        .await?;
    Ok(ReviewDetail {
        review,
        items: Paginated {
            items: rows.into_iter().map(item).collect(),
            total,
            page: page.page(),
            per_page: page.per_page(),
        },
    })
}

/// The due time of a due day: its end (UTC), after today and within a year.
fn due_at(day: &str, now: OffsetDateTime) -> Result<OffsetDateTime, AppError> {
    let date =
        Date::parse(day.trim(), format_description!("[year]-[month]-[day]")).map_err(|_| {
            AppError::invalid_field("due_on", format!("{day:?} isn't a date: use YYYY-MM-DD."))
        })?;
    if date <= now.date() {
        return Err(AppError::invalid_field(
            "due_on",
            "The due date must be after today.",
        ));
    }
    if date > now.date() + Duration::days(366) {
        return Err(AppError::invalid_field(
            "due_on",
            "The due date can be at most a year ahead.",
        ));
    }
    Ok(date
        .with_time(Time::from_hms(23, 59, 59).expect("a valid time"))
        .assume_utc())
}

/// `POST /api/reviews` (Team Admins): the review, its reviewers emailed.
pub async fn start(
    db: &Db,
    caller: &Caller,
    body: &NewReview,
    links: &Links,
) -> Result<ReviewSummary, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let due = due_at(&body.due_on, OffsetDateTime::now_utc())?;
    let reviewers: BTreeSet<&str> = body.reviewers.iter().map(|id| id.as_str()).collect();
    if reviewers.is_empty() || reviewers.len() > MAX_REVIEWERS {
        return Err(AppError::invalid_field(
            "reviewers",
            format!("Pick 1 to {MAX_REVIEWERS} reviewers."),
        ));
    }
    let reviewers_json = serde_json::to_string(&reviewers).map_err(anyhow::Error::from)?;
    let eligible = db.eligible_reviewers(&team, &reviewers_json).await?;
    if eligible.len() != reviewers.len() {
        return Err(AppError::invalid_field(
            "reviewers",
            "Reviewers are people of your team who are Team Admins, Partner Managers or Workspace Admins.",
        ));
    }
    let (kind, scope_id, label) = match &body.scope {
        ReviewScope::All => ("all", None, "All partner access".to_owned()),
        ReviewScope::PartnerTeam { team_id } => {
            let (name, ..) = db
                .team_ref(team_id.as_str())
                .await?
                .filter(|_| team_id.as_str() != team)
                .ok_or_else(|| {
                    AppError::invalid_field("scope", "Pick one of your partner teams.")
                })?;
            ("partner_team", Some(team_id.as_str()), name)
        }
        ReviewScope::Workspace { workspace_id } => {
            let row = db
                .workspace(workspace_id.as_str(), caller)
                .await?
                .filter(|w| w.team_id == team)
                .ok_or_else(|| {
                    AppError::invalid_field("scope", "Pick one of your team's workspaces.")
                })?;
            ("workspace", Some(workspace_id.as_str()), row.name)
        }
    };
    let id = new_id();
    let at = now();
    let due_at = timestamp(due);
    let mut tx = db.begin().await?;
    tx.lock_publisher(&team).await?;
    let grants = tx
        .create_review(&NewReviewRow {
            id: &id,
            team_id: &team,
            scope_kind: kind,
            scope_id,
            scope_label: &label,
            created_by: caller.user_id.as_str(),
            created_at: &at,
            due_at: &due_at,
            undecided: body.undecided.as_str(),
            reviewers_json: &reviewers_json,
        })
        .await?;
    if grants == 0 {
        return Err(AppError::invalid_field(
            "scope",
            format!("There is no partner access to review in {label}."),
        ));
    }
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: &team,
        action: AuditAction::ReviewStarted,
        workspace_id: (kind == "workspace").then_some(scope_id).flatten(),
        partner_team_id: (kind == "partner_team").then_some(scope_id).flatten(),
        subject_id: None,
        detail: json!({
            "review_id": id,
            "before": label,
            "until": day_of(&due_at),
            "count": grants,
            "after": body.undecided.label(),
        }),
    })
    .await?;
    for reviewer in tx.review_reviewer_people(&id).await? {
        let message = emails::review_requested(
            links,
            Recipient {
                name: &reviewer.1,
                email: &reviewer.2,
            },
            &id,
            &caller.name,
            &label,
            grants,
            &day_of(&due_at),
        );
        tx.enqueue(&format!("review-requested:{id}:{}", reviewer.0), &message)
            .await?;
    }
    tx.commit().await?;
    visible(db, caller, &id).await
}

/// `POST /api/reviews/{id}/decisions`: a reviewer (or a Team Admin) decides some grants.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    review_id: &str,
    body: &Decide,
) -> Result<ReviewSummary, AppError> {
    let review = visible(db, caller, review_id).await?;
    let keys: BTreeSet<String> = body
        .grants
        .iter()
        .map(|g| format!("{} {}", g.workspace_id.as_str(), g.user_id.as_str()))
        .collect();
    if keys.is_empty() || keys.len() > DECISIONS_AT_ONCE {
        return Err(AppError::invalid_field(
            "grants",
            format!("Decide 1 to {DECISIONS_AT_ONCE} grants at a time."),
        ));
    }
    let keys_json = serde_json::to_string(&keys).map_err(anyhow::Error::from)?;
    let team = authz::require_team_member(caller)?.as_str().to_owned();
    let mut tx = db.begin().await?;
    tx.lock_publisher(&team).await?;
    let Some((state, ..)) = tx.review_state(review_id).await? else {
        return Err(AppError::NotFound);
    };
    if state != ReviewState::Open.as_str() || !review.can_decide {
        return Err(AppError::Conflict(
            "This review has been applied: its decisions can't change.".into(),
        ));
    }
    if tx.review_item_count(review_id, &keys_json).await? != keys.len() as u64 {
        return Err(AppError::NotFound);
    }
    let at = now();
    let changed = tx
        .decide_review_items(
            review_id,
            &keys_json,
            body.decision.as_str(),
            caller.user_id.as_str(),
            &at,
        )
        .await?;
    for (workspace_id, user_id, partner_team_id) in &changed {
        tx.audit(AuditEntry {
            at: Some(&at),
            actor_id: Some(caller.user_id.as_str()),
            team_id: &team,
            action: AuditAction::ReviewDecided,
            workspace_id: Some(workspace_id),
            partner_team_id: Some(partner_team_id),
            subject_id: Some(user_id),
            detail: json!({ "review_id": review_id, "after": body.decision.label() }),
        })
        .await?;
    }
    tx.commit().await?;
    visible(db, caller, review_id).await
}

/// The results CSV's columns.
const CSV_HEADER: [&str; 10] = [
    "Person",
    "Email",
    "Partner team",
    "Workspace",
    "Role",
    "Since",
    "Last opened",
    "Decision",
    "Decided by",
    "Outcome",
];

/// `GET /api/reviews/{id}/results.csv`: every grant of the review with its decision and
/// outcome, in the review's order, streamed.
pub async fn csv(
    db: &Db,
    caller: &Caller,
    review_id: &str,
) -> Result<impl Stream<Item = Result<String, AppError>> + Send + 'static, AppError> {
    let review = visible(db, caller, review_id).await?;
    let (db, id) = (db.clone(), review_id.to_owned());
    let header = futures_util::stream::once(async {
        crate::domain::csv::lines(&[CSV_HEADER.map(str::to_owned)]).map_err(AppError::from)
    });
    let rows = futures_util::stream::unfold(Some(0u64), move |offset| {
        let (db, id, review) = (db.clone(), id.clone(), review.clone());
        async move {
            let from = offset?;
            let rows = match db.review_items_after(&id, false, CSV_BATCH, from).await {
                Ok(rows) => rows,
                Err(error) => return Some((Err(AppError::from(error)), None)),
            };
            if rows.is_empty() {
                return None;
            }
            let next = (rows.len() == CSV_BATCH as usize).then_some(from + rows.len() as u64);
            let cells: Vec<[String; 10]> = rows
                .into_iter()
                .map(|row| csv_cells(item(row), &review))
                .collect();
            Some((
                crate::domain::csv::lines(&cells).map_err(AppError::from),
                next,
            ))
        }
    });
    Ok(header.chain(rows))
}

fn csv_cells(item: ReviewItem, review: &ReviewSummary) -> [String; 10] {
    let decision = item.decision;
    let outcome = match (review.state, decision.unwrap_or(review.undecided)) {
        _ if item.ended && decision != Some(ReviewDecision::Remove) => "Ended before the review",
        (ReviewState::Open, ReviewDecision::Keep) => "Will be kept",
        (ReviewState::Open, ReviewDecision::Remove) => "Will be removed",
        (ReviewState::Applied, ReviewDecision::Keep) => "Kept",
        (ReviewState::Applied, ReviewDecision::Remove) => "Removed",
    };
    [
        item.person.name,
        item.person.email,
        item.partner_team.name,
        item.workspace.name,
        item.role.label().to_owned(),
        item.since,
        item.last_opened_at.unwrap_or_default(),
        decision
            .map_or("Undecided", ReviewDecision::label)
            .to_owned(),
        item.decided_by.map(|u| u.name).unwrap_or_default(),
        outcome.to_owned(),
    ]
}

/// Applies every review due by `now`; returns how many grants reviews removed.
pub async fn apply_due(db: &Db, links: &Links, now: OffsetDateTime) -> anyhow::Result<u64> {
    let at = timestamp(now);
    let mut removed = 0;
    for (review_id, team) in db.due_reviews(&at).await? {
        removed += apply(db, links, &review_id, &team, &at).await?;
    }
    Ok(removed)
}

async fn apply(
    db: &Db,
    links: &Links,
    review_id: &str,
    team: &str,
    at: &str,
) -> anyhow::Result<u64> {
    let mut removed = 0;
    loop {
        let mut tx = db.begin().await?;
        tx.lock_publisher(team).await?;
        let Some((state, undecided, ..)) = tx.review_state(review_id).await? else {
            return Ok(removed);
        };
        if state != ReviewState::Open.as_str() {
            return Ok(removed);
        }
        let batch = tx
            .review_removals(review_id, &undecided, APPLY_BATCH)
            .await?;
        for (workspace_id, user_id, partner_team_id) in &batch {
            tx.revoke_grant(workspace_id, user_id, at).await?;
            tx.mark_review_item_applied(review_id, workspace_id, user_id, at)
                .await?;
            tx.audit(AuditEntry {
                at: Some(at),
                actor_id: None,
                team_id: team,
                action: AuditAction::ReviewRemovedAccess,
                workspace_id: Some(workspace_id),
                partner_team_id: Some(partner_team_id),
                subject_id: Some(user_id),
                detail: json!({ "review_id": review_id }),
            })
            .await?;
        }
        removed += batch.len() as u64;
        if batch.len() < APPLY_BATCH as usize {
            finish(&mut tx, links, review_id, team, at).await?;
            tx.commit().await?;
            return Ok(removed);
        }
        tx.commit().await?;
    }
}

/// Closes a review whose removals are all applied: audited, and a summary to its creator
/// and reviewers.
async fn finish(
    tx: &mut crate::db::Tx,
    links: &Links,
    review_id: &str,
    team: &str,
    at: &str,
) -> anyhow::Result<()> {
    let Some((_, _, label, _)) = tx.review_state(review_id).await? else {
        return Ok(());
    };
    if !tx.finish_review(review_id, at).await? {
        return Ok(());
    }
    let removed = tx.review_removed_count(review_id).await?;
    let total = tx.review_total(review_id).await?;
    tx.audit(AuditEntry {
        at: Some(at),
        actor_id: None,
        team_id: team,
        action: AuditAction::ReviewApplied,
        workspace_id: None,
        partner_team_id: None,
        subject_id: None,
        detail: json!({ "review_id": review_id, "before": label, "count": removed }),
    })
    .await?;
    for (id, name, email) in tx.review_audience(review_id).await? {
        let message = emails::review_applied(
            links,
            Recipient {
                name: &name,
                email: &email,
            },
            review_id,
            &label,
            total.saturating_sub(removed),
            removed,
        );
        tx.enqueue(&format!("review-applied:{review_id}:{id}"), &message)
            .await?;
    }
    Ok(())
}
