//! Access reviews: a Team Admin asks reviewers to keep or remove each partner grant of the
//! team's workspaces (all, one partner team's, or one workspace's) by a due date; at the
//! due date the decisions, and the chosen outcome for undecided grants, are applied.

use serde::{Deserialize, Serialize};

use crate::external_access::GrantKey;
use crate::ids::{ReviewId, TeamId, UserId, WorkspaceId};
use crate::pagination::Paginated;
use crate::partnerships::{TeamRef, WorkspaceRef};
use crate::roles::{PartnerRole, wire_enum};
use crate::session::UserRef;

/// Which grants a review covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReviewScope {
    /// Every partner grant of the team's workspaces.
    All,
    /// One partner team's grants.
    PartnerTeam { team_id: TeamId },
    /// One workspace's grants.
    Workspace { workspace_id: WorkspaceId },
}

wire_enum!(
    /// A reviewer's decision on one grant (also what happens to undecided grants).
    ReviewDecision {
        Keep => "keep" / "Keep",
        Remove => "remove" / "Remove",
    }
);

wire_enum!(
    /// Where a review stands.
    ReviewState {
        /// Reviewers decide until the due date.
        Open => "open" / "Open",
        /// The due date came and the decisions were applied.
        Applied => "applied" / "Applied",
    }
);

/// `POST /api/reviews` (Team Admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewReview {
    pub scope: ReviewScope,
    /// People of the team who are Partner Managers, Team Admins or Workspace Admins (1 to 20).
    pub reviewers: Vec<UserId>,
    /// The day (YYYY-MM-DD, UTC) the decisions are applied, after today and within a year.
    pub due_on: String,
    /// What happens to grants nobody decided by then.
    pub undecided: ReviewDecision,
}

/// A review, with its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewSummary {
    pub id: ReviewId,
    pub scope: ReviewScope,
    /// The scope in words: "All partner access", "Globex", "Payments API".
    pub scope_label: String,
    pub created_by: Option<UserRef>,
    pub created_at: String,
    /// When the decisions are applied (the end of the due day, UTC).
    pub due_at: String,
    pub undecided: ReviewDecision,
    pub state: ReviewState,
    pub reviewers: Vec<UserRef>,
    /// Grants in the review.
    pub total: u32,
    /// Grants with a decision.
    pub decided: u32,
    pub kept: u32,
    pub removed: u32,
    /// Whether the caller may decide in it (a reviewer, or a Team Admin, while it is open).
    pub can_decide: bool,
}

/// `GET /api/reviews`: the reviews of the caller's team they may see (Team Admins: all;
/// reviewers: theirs), open ones first, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewList {
    pub items: Vec<ReviewSummary>,
    /// Whether the caller may start a review (Team Admins).
    pub can_start: bool,
}

/// One grant in a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewItem {
    pub person: UserRef,
    pub partner_team: TeamRef,
    pub workspace: WorkspaceRef,
    pub role: PartnerRole,
    pub since: String,
    pub last_opened_at: Option<String>,
    pub decision: Option<ReviewDecision>,
    pub decided_by: Option<UserRef>,
    /// The grant ended before the review was applied (nothing left to decide).
    pub ended: bool,
}

/// `GET /api/reviews/{id}`: the review and one page of its grants (by partner team,
/// person, workspace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewDetail {
    pub review: ReviewSummary,
    pub items: Paginated<ReviewItem>,
}

/// `GET /api/reviews/{id}` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ReviewQuery {
    /// Only undecided grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undecided: Option<bool>,
    /// The page, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Items per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// How many grants one decision call may name.
pub const DECISIONS_AT_ONCE: usize = 200;

/// `POST /api/reviews/{id}/decisions`: one decision for some grants of the review (at
/// most [`DECISIONS_AT_ONCE`]); the answer is the review's new progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decide {
    pub grants: Vec<GrantKey>,
    pub decision: ReviewDecision,
}

/// Someone who may review: why, in their own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reviewer {
    pub user: UserRef,
    pub team_admin: bool,
    pub partner_manager: bool,
    /// A Workspace Admin of at least one of the team's workspaces.
    pub workspace_admin: bool,
}

/// How many choices each list of [`ReviewChoices`] holds at most (by name).
pub const REVIEW_CHOICES_LISTED: usize = 500;

/// `GET /api/reviews/choices` (Team Admins): what "Start a review" offers — the people who
/// may review, the partner teams with access to the team's workspaces, and its workspaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewChoices {
    pub reviewers: Vec<Reviewer>,
    pub partner_teams: Vec<TeamRef>,
    pub workspaces: Vec<WorkspaceRef>,
}
