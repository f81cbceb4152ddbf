//! Rows as both backends return them, and what they become for the API. One definition
//! each: the columns are named and typed alike in both schemas (text ids and times,
//! 64-bit integers, booleans).

use partner_api::access_requests::{AccessRequest, AccessRequestStatus, MyAccessRequest};
use partner_api::audit::{AuditAction, AuditEvent, AuditPerson};
use partner_api::migration::{MigrationRun, RunKind, RunState};
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use partner_api::sso::SsoRequiredBy;
use partner_api::workspaces::{
    PartnerMember, Publisher, PublisherMember, Visibility, Workspace, WorkspacePermissions,
};
use partner_api::{
    PartnerRole, Plan, TeamId, TeamRole, UserId, WorkspaceId, WorkspaceRole, YourRole,
};
use sqlx::FromRow;

use crate::domain::authz::{self, Caller, View, WorkspaceFacts};
use crate::domain::events::{Change, ChangeKind};
use crate::domain::migration::{self, FailureCause};

/// A workspace row with the caller's relation to it.
#[derive(Debug, Clone, FromRow)]
pub struct WorkspaceRow {
    pub id: String,
    pub team_id: String,
    pub publisher_name: String,
    pub name: String,
    pub summary: String,
    pub visibility: String,
    pub multi_partner_mode: bool,
    pub legacy: bool,
    pub migration_state: Option<String>,
    pub publisher_plan: String,
    pub member_role: Option<String>,
    pub partner_role: Option<String>,
    /// The caller's active grant makes them Partner Lead here.
    pub partner_lead: bool,
    pub access_ended: bool,
    /// When the caller's grant here reached its end and the expiry job ended it (none
    /// while they have access again).
    pub expired_at: Option<String>,
    /// The publisher requires the caller's team to sign in with SSO.
    pub sso_required: bool,
    /// The caller's team's name.
    pub caller_team_name: Option<String>,
}

impl WorkspaceRow {
    /// The facts the authorization rules need.
    pub fn facts(&self) -> WorkspaceFacts {
        WorkspaceFacts {
            id: self.id.clone().into(),
            publisher_team_id: self.team_id.clone().into(),
            is_partner_workspace: self.visibility == "partner",
            multi_partner_mode: self.multi_partner_mode,
            member_role: self.member_role.as_deref().and_then(|r| r.parse().ok()),
            partner_role: self.partner_role.as_deref().and_then(|r| r.parse().ok()),
            partner_lead: self.partner_lead && self.partner_role.is_some(),
            access_ended: self.access_ended,
            sso_required_by: self.sso_required.then(|| SsoRequiredBy {
                publisher: self.publisher_name.clone(),
                partner_team: self.caller_team_name.clone().unwrap_or_default(),
            }),
        }
    }

    /// The API shape, for a caller whose role is already known.
    pub fn to_api(&self, caller: &Caller, your_role: YourRole) -> Workspace {
        let facts = self.facts();
        // Kept out by the publisher's SSO requirement: the name and publisher only.
        let sso_required = authz::sso_blocks(caller, &facts);
        Workspace {
            id: self.id.clone().into(),
            name: self.name.clone(),
            summary: if sso_required {
                String::new()
            } else {
                self.summary.clone()
            },
            publisher: Publisher {
                id: self.team_id.clone().into(),
                name: self.publisher_name.clone(),
            },
            visibility: self.visibility.parse().unwrap_or(Visibility::Internal),
            multi_partner_mode: self.multi_partner_mode,
            legacy: self.legacy,
            migration_state: migration::state(
                self.legacy,
                self.migration_state.as_deref() == Some("migrated"),
                self.publisher_plan.parse().unwrap_or(Plan::Free),
            ),
            your_role,
            permissions: WorkspacePermissions {
                manage_settings: authz::can_manage_settings(caller, &facts),
                manage_partners: authz::can_manage_partners(caller, &facts)
                    && facts.is_partner_workspace,
                lead_own_team: authz::can_lead_own_team(caller, &facts) && !sso_required,
            },
            sso_required,
        }
    }
}

/// A publisher member in a workspace's member list.
#[derive(Debug, Clone, FromRow)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
}

impl MemberRow {
    pub fn into_api(self) -> PublisherMember {
        PublisherMember {
            user: UserRef {
                id: self.id.into(),
                name: self.name,
                email: self.email,
            },
            role: self.role.parse().unwrap_or(WorkspaceRole::Viewer),
        }
    }
}

/// A partner with an active grant in a workspace.
#[derive(Debug, Clone, FromRow)]
pub struct PartnerRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_id: String,
    pub team_name: String,
    pub team_domain: String,
    pub sso_enforced: bool,
    pub role: String,
    pub lead: bool,
    pub invited_by_id: Option<String>,
    pub invited_by_name: Option<String>,
    pub invited_by_email: Option<String>,
    pub ends_at: Option<String>,
}

impl PartnerRow {
    pub fn into_api(self) -> PartnerMember {
        PartnerMember {
            user: UserRef {
                id: self.id.into(),
                name: self.name,
                email: self.email,
            },
            team: TeamRef {
                id: self.team_id.into(),
                name: self.team_name,
                domain: self.team_domain,
            },
            sso_enforced: self.sso_enforced,
            role: self.role.parse().unwrap_or(PartnerRole::Viewer),
            lead: self.lead,
            invited_by: match (
                self.invited_by_id,
                self.invited_by_name,
                self.invited_by_email,
            ) {
                (Some(id), Some(name), Some(email)) => Some(UserRef {
                    id: id.into(),
                    name,
                    email,
                }),
                _ => None,
            },
            ends_at: self.ends_at,
        }
    }
}

/// What sign-in needs to know about an address.
#[derive(Debug, FromRow)]
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
}

/// A person as the request that names them reads them (and their team, afresh).
#[derive(Debug, FromRow)]
pub struct CallerRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_id: Option<String>,
    pub team_role: Option<String>,
    pub is_partner_manager: bool,
    /// `password` or `sso`.
    pub method: String,
    pub signed_in_at: String,
    /// Set on "view as partner" sessions.
    pub viewer_id: Option<String>,
    pub view_publisher_id: Option<String>,
    pub view_workspace_id: Option<String>,
}

impl From<CallerRow> for Caller {
    fn from(row: CallerRow) -> Self {
        let view = row
            .viewer_id
            .zip(row.view_publisher_id)
            .map(|(viewer, publisher)| View {
                viewer_id: viewer.into(),
                publisher: publisher.into(),
                workspace: row.view_workspace_id.map(Into::into),
            });
        Self {
            user_id: row.id.into(),
            name: row.name,
            email: row.email,
            team_id: row.team_id.map(Into::into),
            team_role: row.team_role.and_then(|r| r.parse::<TeamRole>().ok()),
            is_partner_manager: row.is_partner_manager,
            sso_session: row.method == "sso",
            view,
        }
    }
}

/// A person found by email, with their team (if any).
#[derive(Debug, Clone, FromRow)]
pub struct PersonRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_id: Option<String>,
}

/// A person's membership of a team.
#[derive(Debug, Clone, FromRow)]
pub struct MembershipRow {
    pub team_id: Option<String>,
    pub team_role: Option<String>,
    pub is_partner_manager: bool,
}

/// An active grant of a person, with the publisher it is in.
#[derive(Debug, Clone, FromRow)]
pub struct HeldGrant {
    pub workspace_id: String,
    pub publisher_team_id: String,
    pub role: String,
}

/// An access request with its requester, their team and the workspace.
#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: String,
    pub role: String,
    pub message: String,
    pub status: String,
    pub created_at: String,
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub user_team_id: Option<String>,
    pub team_name: Option<String>,
    pub team_domain: Option<String>,
    pub workspace_id: String,
    pub workspace_name: String,
    pub multi_partner_mode: bool,
    pub visibility: String,
}

impl RequestRow {
    pub fn into_api(self) -> AccessRequest {
        let team = match (self.user_team_id, self.team_name, self.team_domain) {
            (Some(id), Some(name), Some(domain)) => Some(TeamRef {
                id: id.into(),
                name,
                domain,
            }),
            _ => None,
        };
        AccessRequest {
            id: self.id.into(),
            user: UserRef {
                id: self.user_id.into(),
                name: self.user_name,
                email: self.email,
            },
            team,
            workspace: WorkspaceRef {
                id: self.workspace_id.into(),
                name: self.workspace_name,
            },
            role: self.role.parse().unwrap_or(PartnerRole::Viewer),
            message: self.message,
            status: self.status.parse().unwrap_or(AccessRequestStatus::Pending),
            created_at: self.created_at,
        }
    }
}

/// A person's latest request for a workspace.
#[derive(Debug, Clone, FromRow)]
pub struct MyRequestRow {
    pub id: String,
    pub role: String,
    pub status: String,
    pub created_at: String,
}

impl From<MyRequestRow> for MyAccessRequest {
    fn from(row: MyRequestRow) -> Self {
        Self {
            id: row.id.into(),
            role: row.role.parse().unwrap_or(PartnerRole::Viewer),
            status: row.status.parse().unwrap_or(AccessRequestStatus::Pending),
            created_at: row.created_at,
        }
    }
}

/// One pending request of a digest, with everything its line shows.
#[derive(Debug, Clone, FromRow)]
pub struct DigestRow {
    pub id: String,
    pub role: String,
    pub message: String,
    pub created_at: String,
    pub publisher_name: String,
    pub workspace_name: String,
    pub user_name: String,
    pub email: String,
    pub team_name: String,
}

/// Someone a team's notices go to (its Team Admins, Partner Managers).
#[derive(Debug, Clone, FromRow)]
pub struct NoticeRecipient {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_role: Option<String>,
    pub is_partner_manager: bool,
}

/// A person with a role in one workspace (its Workspace Admin, or a partner).
#[derive(Debug, Clone, FromRow)]
pub struct WorkspacePersonRow {
    pub workspace_id: String,
    pub id: String,
    pub name: String,
    pub email: String,
}

/// Everyone a team's migration of some workspaces tells: its Team Admins and Partner
/// Managers, the Workspace Admins of those workspaces, and their partners (`workspace_id`
/// of the rows says which workspace).
#[derive(Debug, Clone)]
pub struct MigrationAudience {
    pub publisher: String,
    pub managers: Vec<NoticeRecipient>,
    pub workspace_admins: Vec<WorkspacePersonRow>,
    pub partners: Vec<WorkspacePersonRow>,
}

/// An email claimed for delivery.
#[derive(Debug, Clone, FromRow)]
pub struct PendingEmail {
    pub id: String,
    pub to_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub attempts: i64,
    pub created_at: String,
}

/// An email as the dev mailbox shows it.
#[derive(Debug, Clone, FromRow)]
pub struct MailboxRow {
    pub id: String,
    pub to_email: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub link: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// A migration run as the API shows it.
#[derive(Debug, Clone, FromRow)]
pub struct RunRow {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub started_at: String,
    pub finished_at: Option<String>,
    pub failed_attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: Option<String>,
    pub people_emailed: Option<i64>,
    pub migrated: i64,
    pub left_to_migrate: i64,
}

impl From<RunRow> for MigrationRun {
    fn from(row: RunRow) -> Self {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        let state = match (row.state.as_str(), &row.last_error) {
            ("done", _) => RunState::Done,
            (_, Some(_)) => RunState::Failed,
            _ => RunState::Running,
        };
        let failed = state == RunState::Failed;
        Self {
            id: row.id.into(),
            state,
            kind: row.kind.parse().unwrap_or(RunKind::OnDemand),
            started_at: row.started_at,
            finished_at: row.finished_at,
            workspaces_total: count(row.migrated) + count(row.left_to_migrate),
            workspaces_migrated: count(row.migrated),
            people_emailed: row.people_emailed.map(count),
            failed_attempts: u32::try_from(row.failed_attempts).unwrap_or(0),
            error: row.last_error.filter(|_| failed),
            next_attempt_at: row.next_attempt_at.filter(|_| failed),
        }
    }
}

/// A legacy partner workspace of the migration overview.
#[derive(Debug, Clone, FromRow)]
pub struct LegacyRow {
    pub id: String,
    pub name: String,
    pub migration_state: Option<String>,
    pub migrated_at: Option<String>,
    pub partner_count: i64,
}

/// One grant of a partner team's detail, with its holder.
#[derive(Debug, Clone, FromRow)]
pub struct DetailRow {
    pub user_id: String,
    pub user_name: String,
    pub email: String,
    pub last_sign_in_sso: bool,
    pub last_sign_in_at: Option<String>,
    pub workspaces_total: i64,
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: String,
    pub ends_at: Option<String>,
}

/// A publisher's partnership totals.
#[derive(Debug, Clone, Copy, Default, FromRow)]
pub struct Totals {
    pub teams: i64,
    pub teams_sso_enforced: i64,
    pub partners: i64,
    pub partners_sso: i64,
}

/// A workspace as a link.
#[derive(Debug, Clone, FromRow)]
pub struct WorkspaceRefRow {
    pub id: String,
    pub name: String,
}

impl From<WorkspaceRefRow> for WorkspaceRef {
    fn from(row: WorkspaceRefRow) -> Self {
        Self {
            id: row.id.into(),
            name: row.name,
        }
    }
}

/// A partner's grant to one workspace of a publisher, as it is given.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    pub workspace_id: &'a str,
    pub user_id: &'a str,
    pub partner_team_id: &'a str,
    pub publisher_team_id: &'a str,
    pub role: PartnerRole,
    pub at: &'a str,
    /// Who gave it (`None`: an approval's decider is recorded in the audit log instead).
    pub invited_by: Option<&'a str>,
    /// When it ends (a stored time), if it does.
    pub ends_at: Option<&'a str>,
}

/// One audited change. `detail` holds what the entry shows besides its columns, under
/// the keys [`AuditRow::into_api`] reads: `before` and `after` (as shown to people),
/// `until` (the day access ends), `count` and `email` (an address without an account).
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// When it happened; now when `None` (jobs pass the time they run at).
    pub at: Option<&'a str>,
    /// `None` for changes the server makes on its own (scheduled migrations, expiry).
    pub actor_id: Option<&'a str>,
    /// The team whose log holds the entry.
    pub team_id: &'a str,
    pub action: AuditAction,
    pub workspace_id: Option<&'a str>,
    /// The other company's team the change concerns.
    pub partner_team_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub detail: serde_json::Value,
}

/// The audit log's filters, as stored values (`from`/`until`: stored times, `until`
/// exclusive).
#[derive(Debug, Clone, Default)]
pub struct AuditFilterRow {
    pub actor: Option<String>,
    pub workspace: Option<String>,
    pub partner_team: Option<String>,
    pub action: Option<AuditAction>,
    pub from: Option<String>,
    pub until: Option<String>,
}

/// One entry with the names it refers to (absent when the row behind it is gone).
#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub action: String,
    pub detail: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub actor_email: Option<String>,
    pub workspace_id: Option<String>,
    pub workspace_name: Option<String>,
    pub partner_team_id: Option<String>,
    pub partner_team_name: Option<String>,
    pub partner_team_domain: Option<String>,
    pub subject_id: Option<String>,
    pub subject_name: Option<String>,
    pub subject_email: Option<String>,
}

impl AuditRow {
    /// The cursor of this entry: pages continue after it.
    pub fn cursor(&self) -> String {
        format!("{}~{}", self.at, self.id)
    }

    /// Reads a cursor back (its time and id); `None` if it isn't one.
    pub fn parse_cursor(cursor: &str) -> Option<(String, i64)> {
        let (at, id) = cursor.split_once('~')?;
        let id = id.parse().ok()?;
        (at.len() <= 40 && !at.is_empty()).then(|| (at.to_owned(), id))
    }

    /// `None` for an action this server no longer knows (an entry written by a newer one).
    pub fn into_api(self) -> Option<AuditEvent> {
        let action = self.action.parse::<AuditAction>().ok()?;
        let cursor = self.cursor();
        let detail: serde_json::Value = serde_json::from_str(&self.detail).unwrap_or_default();
        let text = |key: &str| match detail.get(key) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::Bool(b)) => Some(if *b { "on" } else { "off" }.to_owned()),
            _ => None,
        };
        let person = |id: Option<String>, name: Option<String>, email: Option<String>| {
            Some(AuditPerson {
                id: Some(id?.into()),
                name: name?,
                email: email?,
            })
        };
        let subject =
            person(self.subject_id, self.subject_name, self.subject_email).or_else(|| {
                text("email").map(|email| AuditPerson {
                    id: None,
                    name: email.clone(),
                    email,
                })
            });
        Some(AuditEvent {
            cursor,
            at: self.at,
            actor: person(self.actor_id, self.actor_name, self.actor_email),
            action,
            workspace: self
                .workspace_id
                .zip(self.workspace_name)
                .map(|(id, name)| WorkspaceRef {
                    id: id.into(),
                    name,
                }),
            partner_team: match (self.partner_team_id, self.partner_team_name) {
                (Some(id), Some(name)) => Some(TeamRef {
                    id: id.into(),
                    name,
                    domain: self.partner_team_domain.unwrap_or_default(),
                }),
                _ => None,
            },
            subject,
            before: text("before"),
            after: text("after"),
            until: text("until"),
            count: detail
                .get("count")
                .and_then(serde_json::Value::as_u64)
                .and_then(|n| u32::try_from(n).ok()),
        })
    }
}

/// The choices of the audit log's filters: (id, name, email) people, (id, name)
/// workspaces, (id, name, domain) teams.
#[derive(Debug, Clone, Default)]
pub struct AuditChoicesRow {
    pub people: Vec<(String, String, String)>,
    pub workspaces: Vec<(String, String)>,
    pub teams: Vec<(String, String, String)>,
}

/// A step of a migration run that failed, with the workspace it was migrating if it had
/// got that far.
#[derive(Debug, thiserror::Error)]
#[error("migrating {}: {source}", workspace.as_deref().unwrap_or("a run"))]
pub struct StepError {
    /// The workspace's name.
    pub workspace: Option<String>,
    /// What the database answered (for the log only).
    #[source]
    pub source: sqlx::Error,
}

impl From<sqlx::Error> for StepError {
    fn from(source: sqlx::Error) -> Self {
        Self {
            workspace: None,
            source,
        }
    }
}

impl StepError {
    /// What kind of failure it was, for the words people read.
    pub fn cause(&self) -> FailureCause {
        match &self.source {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                FailureCause::Unavailable
            }
            sqlx::Error::Database(error) if is_transient(error.code().as_deref()) => {
                FailureCause::Unavailable
            }
            sqlx::Error::Database(_) => FailureCause::Refused,
            _ => FailureCause::Other,
        }
    }
}

/// Whether a database error code means "try again later": SQLite's SQLITE_BUSY (5) and
/// SQLITE_LOCKED (6), extended codes included; PostgreSQL's serialization failure, deadlock,
/// lock not available, connection and shutdown classes.
fn is_transient(code: Option<&str>) -> bool {
    let Some(code) = code else { return false };
    // PostgreSQL's SQLSTATEs are five characters; no SQLite code is one of these.
    if matches!(
        code,
        "40001" | "40P01" | "55P03" | "57P01" | "57P02" | "57P03"
    ) || (code.len() == 5 && code.starts_with("08"))
    {
        return true;
    }
    code.parse::<i32>()
        .is_ok_and(|number| matches!(number & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_and_lost_connections_are_transient_on_both_backends() {
        assert!(is_transient(Some("5")));
        assert!(is_transient(Some("517")), "SQLITE_BUSY_SNAPSHOT");
        assert!(is_transient(Some("40001")));
        assert!(is_transient(Some("08006")));
        assert!(!is_transient(Some("19")), "SQLITE_CONSTRAINT");
        assert!(!is_transient(Some("23505")), "unique_violation");
        assert!(!is_transient(None));
    }
}

/// A team as Team Settings shows it.
#[derive(Debug, Clone, FromRow)]
pub struct TeamRow {
    pub id: String,
    pub name: String,
    pub domain: String,
    pub plan: String,
    pub sso_enforced: bool,
    pub editor_seats_included: i64,
    pub default_access: String,
    pub audit_retention_days: i64,
    pub member_count: i64,
    pub pending_invitations: i64,
}

/// One person of a team.
#[derive(Debug, Clone, FromRow)]
pub struct TeamMemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_role: Option<String>,
    pub is_partner_manager: bool,
    pub last_sign_in_at: Option<String>,
}

impl TeamMemberRow {
    /// The person's team role (a member of a team always has one).
    pub fn role(&self) -> TeamRole {
        self.team_role
            .as_deref()
            .and_then(|r| r.parse().ok())
            .unwrap_or(TeamRole::Member)
    }

    pub fn into_api(self) -> partner_api::team::TeamMember {
        partner_api::team::TeamMember {
            team_role: self.role(),
            user: UserRef {
                id: self.id.into(),
                name: self.name,
                email: self.email,
            },
            is_partner_manager: self.is_partner_manager,
            last_sign_in_at: self.last_sign_in_at,
        }
    }
}

/// A team invitation with its team and inviter.
#[derive(Debug, Clone, FromRow)]
pub struct InvitationRow {
    pub id: String,
    pub team_id: String,
    pub team_name: String,
    pub email: String,
    pub team_role: String,
    pub invited_by: Option<String>,
    pub invited_by_name: Option<String>,
    pub invited_by_email: Option<String>,
    pub created_at: String,
    pub sent_at: String,
    pub expires_at: String,
}

impl InvitationRow {
    /// The role the invitation gives.
    pub fn role(&self) -> TeamRole {
        self.team_role.parse().unwrap_or(TeamRole::Member)
    }

    pub fn into_api(self) -> partner_api::team::TeamInvitation {
        partner_api::team::TeamInvitation {
            team_role: self.role(),
            id: self.id.into(),
            email: self.email,
            invited_by: match (self.invited_by, self.invited_by_name, self.invited_by_email) {
                (Some(id), Some(name), Some(email)) => Some(UserRef {
                    id: id.into(),
                    name,
                    email,
                }),
                _ => None,
            },
            created_at: self.created_at,
            sent_at: self.sent_at,
            expires_at: self.expires_at,
        }
    }
}

/// A team invitation to record.
#[derive(Debug, Clone, Copy)]
pub struct NewInvitation<'a> {
    pub id: &'a str,
    pub team_id: &'a str,
    pub email: &'a str,
    pub team_role: TeamRole,
    pub token_hash: &'a [u8],
    pub invited_by: &'a str,
    pub at: &'a str,
    pub expires_at: &'a str,
}

/// A partner grant someone holds, named.
#[derive(Debug, Clone, FromRow)]
pub struct HeldGrantRow {
    pub publisher_id: String,
    pub publisher_name: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: String,
}

/// A workspace role someone holds, named.
#[derive(Debug, Clone, FromRow)]
pub struct HeldRoleRow {
    pub workspace_id: String,
    pub workspace_name: String,
    pub role: String,
}

/// What removing someone from their team ends.
#[derive(Debug, Clone)]
pub struct RemovalImpactRows {
    pub grants: Vec<HeldGrantRow>,
    pub grants_total: u64,
    pub roles: Vec<HeldRoleRow>,
    pub roles_total: u64,
    pub sessions: u64,
}

/// One person's active grant in another company's workspace (External access).
#[derive(Debug, Clone, FromRow)]
pub struct ExternalGrantRow {
    pub publisher_id: String,
    pub publisher_name: String,
    pub workspace_id: String,
    pub workspace_name: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    pub role: String,
    pub lead: bool,
    pub since: String,
    pub last_opened_at: Option<String>,
    pub ends_at: Option<String>,
}

impl ExternalGrantRow {
    pub fn into_api(self) -> partner_api::external_access::ExternalGrant {
        partner_api::external_access::ExternalGrant {
            publisher: Publisher {
                id: self.publisher_id.into(),
                name: self.publisher_name,
            },
            workspace: WorkspaceRef {
                id: self.workspace_id.into(),
                name: self.workspace_name,
            },
            person: UserRef {
                id: self.user_id.into(),
                name: self.user_name,
                email: self.user_email,
            },
            role: self.role.parse().unwrap_or(PartnerRole::Viewer),
            lead: self.lead,
            since: self.since,
            last_opened_at: self.last_opened_at,
            ends_at: self.ends_at,
        }
    }
}

/// The filters of External access, checked.
#[derive(Debug, Clone, Default)]
pub struct ExternalFilter {
    /// A LIKE pattern over person name, email and workspace name.
    pub pattern: Option<String>,
    pub publisher: Option<String>,
    pub role: Option<PartnerRole>,
}

/// An active grant with an end, and the names its reminder and expiry emails need.
#[derive(Debug, Clone, FromRow)]
pub struct ExpiringRow {
    pub workspace_id: String,
    pub workspace_name: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    pub publisher_team_id: String,
    pub publisher_name: String,
    pub partner_team_id: String,
    pub partner_team_name: String,
    pub role: String,
    pub ends_at: String,
}

/// A review and its progress.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewRow {
    pub id: String,
    pub team_id: String,
    pub scope_kind: String,
    pub scope_id: Option<String>,
    pub scope_label: String,
    pub created_by_id: Option<String>,
    pub created_by_name: Option<String>,
    pub created_by_email: Option<String>,
    pub created_at: String,
    pub due_at: String,
    pub undecided: String,
    pub state: String,
    pub total: i64,
    pub decided: i64,
    pub kept: i64,
    pub removed: i64,
}

/// One grant of a review, with names and its decision.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewItemRow {
    pub workspace_id: String,
    pub workspace_name: String,
    pub user_id: String,
    pub user_name: String,
    pub user_email: String,
    pub partner_team_id: String,
    pub team_name: String,
    pub team_domain: String,
    pub role: String,
    pub granted_at: String,
    pub last_opened_at: Option<String>,
    pub decision: Option<String>,
    pub decided_by_id: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_by_email: Option<String>,
    pub ended: bool,
}

/// A review to start.
#[derive(Debug, Clone)]
pub struct NewReviewRow<'a> {
    pub id: &'a str,
    pub team_id: &'a str,
    pub scope_kind: &'a str,
    pub scope_id: Option<&'a str>,
    pub scope_label: &'a str,
    pub created_by: &'a str,
    pub created_at: &'a str,
    pub due_at: &'a str,
    pub undecided: &'a str,
    /// A JSON array of the reviewers' ids.
    pub reviewers_json: &'a str,
}

/// Someone of a team who may review, and why.
#[derive(Debug, Clone, FromRow)]
pub struct ReviewerRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub team_admin: bool,
    pub partner_manager: bool,
    pub workspace_admin: bool,
}

/// A team's identity provider, its client secret still sealed.
#[derive(Debug, Clone, FromRow)]
pub struct SsoProviderRow {
    pub team_id: String,
    pub team_name: String,
    pub domain: String,
    pub sso_enforced: bool,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Vec<u8>,
    pub updated_at: String,
    pub updated_by_id: Option<String>,
    pub updated_by_name: Option<String>,
    pub updated_by_email: Option<String>,
}

/// An SSO sign-in in flight.
#[derive(Debug, Clone, FromRow)]
pub struct SsoLoginRow {
    pub browser_hash: Vec<u8>,
    pub team_id: String,
    pub email: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub expires_at: String,
}

/// A "view as partner" session to start: whose eyes, whose, within what, until when.
#[derive(Debug, Clone)]
pub struct NewView<'a> {
    pub partner: &'a str,
    pub viewer: &'a str,
    pub publisher: &'a str,
    pub workspace: Option<&'a str>,
    pub expires_at: &'a str,
}

/// A "view as partner" session, named.
#[derive(Debug, Clone, FromRow)]
pub struct ViewRow {
    pub viewer_id: String,
    pub viewer_name: String,
    pub viewer_email: String,
    pub partner_id: String,
    pub partner_name: String,
    pub partner_email: String,
    pub team_id: String,
    pub team_name: String,
    pub team_domain: String,
    pub publisher_id: String,
    pub publisher_name: String,
    pub workspace_id: Option<String>,
    pub workspace_name: Option<String>,
    pub expires_at: String,
}

/// A recorded change (`change_log`): what it was and whom it concerns, never its data. Sent
/// between servers as the payload of PostgreSQL's NOTIFY, so its JSON is kept small.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize, serde::Deserialize)]
pub struct ChangeRow {
    pub id: i64,
    pub at: String,
    /// An audit action (`partner.removed`) or one of [`ChangeRow::REQUEST_CREATED`].
    pub action: String,
    pub team_id: String,
    pub workspace_id: Option<String>,
    pub partner_team_id: Option<String>,
    pub subject_id: Option<String>,
    pub actor_id: Option<String>,
    /// The browser tab that made it (see [`origin`](super::origin)).
    pub origin: Option<String>,
}

impl ChangeRow {
    /// A partner asked for access (not an audited change, but one pages show).
    pub const REQUEST_CREATED: &str = "access_request.created";

    /// The change the row records, if its action is one this server knows.
    pub fn change(&self) -> Option<Change> {
        let kind = if self.action == Self::REQUEST_CREATED {
            ChangeKind::RequestCreated
        } else {
            ChangeKind::Audited(self.action.parse().ok()?)
        };
        Some(Change {
            kind,
            team: self.team_id.as_str().into(),
            workspace: self.workspace_id.as_deref().map(WorkspaceId::from),
            partner_team: self.partner_team_id.as_deref().map(TeamId::from),
            subject: self.subject_id.as_deref().map(UserId::from),
            actor: self.actor_id.as_deref().map(UserId::from),
        })
    }
}

/// A change to record in a write transaction (its number and time are given on insert).
#[derive(Debug, Clone, Copy)]
pub struct NewChange<'a> {
    pub action: &'a str,
    pub team_id: &'a str,
    pub workspace_id: Option<&'a str>,
    pub partner_team_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub actor_id: Option<&'a str>,
}

impl<'a> From<&AuditEntry<'a>> for NewChange<'a> {
    fn from(entry: &AuditEntry<'a>) -> Self {
        Self {
            action: entry.action.as_str(),
            team_id: entry.team_id,
            workspace_id: entry.workspace_id,
            partner_team_id: entry.partner_team_id,
            subject_id: entry.subject_id,
            actor_id: entry.actor_id,
        }
    }
}

/// What a server hears about changes, from its own commits (SQLite) or from every server's
/// (PostgreSQL's LISTEN).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Notice {
    /// A change was committed.
    Change(ChangeRow),
    /// Someone signed out (their streams end).
    SignedOut { user_id: String },
    /// The listener lost its connection: notices may have been missed.
    Missed,
}

/// A session's person, with the session's token hash (many sessions read at once).
#[derive(Debug, FromRow)]
pub struct SessionCallerRow {
    pub token_hash: Vec<u8>,
    #[sqlx(flatten)]
    pub caller: CallerRow,
}

/// A workspace as one of several people stands to it (read for many at once).
#[derive(Debug, FromRow)]
pub struct PersonWorkspaceRow {
    pub person_id: String,
    #[sqlx(flatten)]
    pub workspace: WorkspaceRow,
}
