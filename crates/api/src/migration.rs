//! The migration of legacy (pre-May 2025) partner workspaces to the team-to-team model.

use serde::{Deserialize, Serialize};

use crate::ids::WorkspaceId;
use crate::partnerships::WorkspaceRef;
use crate::roles::{Plan, wire_enum};
use crate::session::UserRef;
use crate::workspaces::MigrationState;

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

/// `GET /api/migration`: the team's legacy partner workspaces and where each stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationOverview {
    pub plan: Plan,
    /// When the team's remaining legacy workspaces migrate automatically (`YYYY-MM-DD`):
    /// Professional in mid-December, Enterprise in January; `null` for other plans.
    pub scheduled_for: Option<String>,
    pub workspaces: Vec<LegacyWorkspace>,
    /// Whether the caller may run the migration (Team Admins).
    pub can_run: bool,
}

/// `POST /api/migration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunMigration {
    /// `true`: only say what would happen; `false`: migrate now.
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
    pub workspaces: Vec<WorkspaceRef>,
}

/// The answer to `POST /api/migration`: the plan (dry run) or what was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MigrationPlan {
    pub dry_run: bool,
    /// The workspaces that migrate (dry run) or migrated (empty when there was nothing left).
    pub workspaces: Vec<WorkspaceRef>,
    /// Who gets which email: exactly one each.
    pub emails: Vec<PlannedEmail>,
}
