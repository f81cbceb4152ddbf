//! The migration of legacy (pre-May 2025) partner workspaces to the team-to-team model.

use serde::{Deserialize, Serialize};

use crate::ids::{MigrationRunId, WorkspaceId};
use crate::pagination::Paginated;
use crate::partnerships::WorkspaceRef;
use crate::roles::{Plan, wire_enum};
use crate::session::UserRef;
use crate::workspaces::MigrationState;

/// How many workspaces and emails a dry run lists at most; its totals say how many more
/// there are.
pub const DRY_RUN_LIST_LIMIT: usize = 50;
/// How many workspaces one planned email of a dry run lists at most.
pub const DRY_RUN_EMAIL_WORKSPACES_LIMIT: usize = 10;

/// One legacy partner workspace of the caller's team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegacyWorkspace {
    pub id: WorkspaceId,
    pub name: String,
    pub state: MigrationState,
    /// The day it migrates automatically (`YYYY-MM-DD`), by the team's plan; `null` once
    /// migrated or when the plan has no scheduled date.
    pub scheduled_for: Option<String>,
    /// RFC 3339, once migrated.
    pub migrated_at: Option<String>,
    /// Partners with access to it now.
    pub partner_count: u32,
}

/// `GET /api/migration` query: a page of the legacy workspaces. Missing values take their
/// defaults.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct MigrationQuery {
    /// The page of legacy workspaces, from 1 (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64))]
    pub page: Option<u32>,
    /// Legacy workspaces per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

/// How many of the team's legacy partner workspaces are in each state (all of them, not
/// only the page shown).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationCounts {
    /// Not migrated, and the plan has no date: they migrate when a Team Admin runs it.
    pub legacy: u64,
    /// Not migrated; they migrate on the plan's date.
    pub scheduled: u64,
    pub migrated: u64,
}

impl MigrationCounts {
    /// Workspaces not migrated yet.
    pub fn left(self) -> u64 {
        self.legacy + self.scheduled
    }

    /// Every legacy partner workspace of the team, migrated or not.
    pub fn total(self) -> u64 {
        self.left() + self.migrated
    }
}

wire_enum!(
    /// Where a migration run stands.
    RunState {
        /// Migrating now (or about to, once the run ahead of it is done).
        Running => "running" / "Running",
        /// Every workspace migrated and everyone emailed.
        Done => "done" / "Done",
        /// An attempt stopped on an error; it is retried at `next_attempt_at`, or now
        /// with `POST /api/migration`.
        Failed => "failed" / "Failed",
    }
);

wire_enum!(
    /// Why a migration run was started.
    RunKind {
        /// A Team Admin's "Migrate now".
        OnDemand => "on_demand" / "Migrate now",
        /// The plan's date came.
        Scheduled => "scheduled" / "Scheduled",
    }
);

/// One migration of a team's legacy partner workspaces: its progress, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationRun {
    pub id: MigrationRunId,
    pub state: RunState,
    pub kind: RunKind,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339, once done.
    pub finished_at: Option<String>,
    /// The workspaces this run migrates: those it has migrated and those still left.
    pub workspaces_total: u64,
    /// The workspaces it has migrated so far.
    pub workspaces_migrated: u64,
    /// Once done: how many people it emailed (one email each).
    pub people_emailed: Option<u64>,
    /// Attempts that stopped on an error so far.
    pub failed_attempts: u32,
    /// When failed: what happened, in words for people.
    pub error: Option<String>,
    /// When failed: when it is retried automatically (RFC 3339).
    pub next_attempt_at: Option<String>,
}

/// `GET /api/migration`: the team's legacy partner workspaces, where each stands, and the
/// team's current or latest migration run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationOverview {
    pub plan: Plan,
    /// When the team's remaining legacy workspaces migrate automatically (`YYYY-MM-DD`):
    /// Professional in mid-December, Enterprise in January; `null` for other plans.
    pub scheduled_for: Option<String>,
    /// One page of the legacy workspaces, migrated ones included, by name.
    pub workspaces: Paginated<LegacyWorkspace>,
    /// All of them by state.
    pub counts: MigrationCounts,
    /// The run in progress or failed, otherwise the latest one; `null` before the first.
    pub run: Option<MigrationRun>,
    /// Whether the caller may run the migration (Team Admins).
    pub can_run: bool,
}

/// `POST /api/migration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunMigration {
    /// `true`: only say what would happen; `false`: migrate now (start the run, or resume
    /// the team's unfinished one).
    pub dry_run: bool,
}

wire_enum!(
    /// Why a person receives a migration email.
    RecipientRole {
        TeamAdmin => "team_admin" / "Team Admin",
        PartnerManager => "partner_manager" / "Partner Manager",
        WorkspaceAdmin => "workspace_admin" / "Workspace Admin",
        Partner => "partner" / "Partner",
    }
);

/// One email the migration sends: to whom, why, with which subject, listing which workspaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedEmail {
    pub to: UserRef,
    pub roles: Vec<RecipientRole>,
    pub subject: String,
    /// The first workspaces the email lists (at most 10 in a dry run).
    pub workspaces: Vec<WorkspaceRef>,
    /// How many workspaces the email lists in all.
    pub workspaces_total: u64,
}

/// The answer to a dry run (`POST /api/migration {"dry_run":true}`): what migrating now
/// would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationPlan {
    pub dry_run: bool,
    /// The first workspaces that migrate, by name (at most 50 in a dry run).
    pub workspaces: Vec<WorkspaceRef>,
    /// How many workspaces migrate in all.
    pub workspaces_total: u64,
    /// Who gets which email, exactly one each: the first 50 people, by name.
    pub emails: Vec<PlannedEmail>,
    /// How many people get an email in all.
    pub emails_total: u64,
}

impl MigrationPlan {
    /// The same plan listing at most `limit` workspaces and emails, and at most
    /// `per_email` workspaces in each email; the totals stay.
    pub fn capped(mut self, limit: usize, per_email: usize) -> Self {
        self.workspaces.truncate(limit);
        self.emails.truncate(limit);
        for email in &mut self.emails {
            email.workspaces.truncate(per_email);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(n: usize) -> Vec<WorkspaceRef> {
        (0..n)
            .map(|i| WorkspaceRef {
                id: format!("w{i}").into(),
                name: format!("Workspace {i}"),
            })
            .collect()
    }

    #[test]
    fn a_capped_plan_keeps_its_totals() {
        let email = PlannedEmail {
            to: UserRef {
                id: "u".into(),
                name: "Alice".into(),
                email: "alice@acme.test".into(),
            },
            roles: vec![RecipientRole::TeamAdmin],
            subject: "s".into(),
            workspaces: refs(30),
            workspaces_total: 30,
        };
        let plan = MigrationPlan {
            dry_run: true,
            workspaces: refs(30),
            workspaces_total: 30,
            emails: vec![email; 5],
            emails_total: 5,
        }
        .capped(3, 2);
        assert_eq!((plan.workspaces.len(), plan.workspaces_total), (3, 30));
        assert_eq!((plan.emails.len(), plan.emails_total), (3, 5));
        assert_eq!(plan.emails[0].workspaces.len(), 2);
        assert_eq!(plan.emails[0].workspaces_total, 30);
    }

    #[test]
    fn counts_add_up() {
        let counts = MigrationCounts {
            legacy: 0,
            scheduled: 3,
            migrated: 2,
        };
        assert_eq!((counts.left(), counts.total()), (3, 5));
    }
}
