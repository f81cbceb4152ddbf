//! Team Settings > Audit log: every change to partner access and to a team, who made it
//! and when, for the team's Team Admins and Partner Managers.

use serde::{Deserialize, Serialize};

use crate::ids::{TeamId, UserId, WorkspaceId};
use crate::partnerships::{TeamRef, WorkspaceRef};
use crate::session::UserRef;

macro_rules! audit_actions {
    ($($(#[$vdoc:meta])* $variant:ident => $wire:tt / $label:literal),+ $(,)?) => {
        /// What an audit entry records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum AuditAction {
            $($(#[$vdoc])* #[serde(rename = $wire)] $variant),+
        }

        impl AuditAction {
            /// Every action, in the order the filter lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The name on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }

            /// The name in the action filter.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        impl ::std::str::FromStr for AuditAction {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok(Self::$variant),)+
                    _ => Err(()),
                }
            }
        }
    };
}

audit_actions! {
    PartnerInvited => "partner.invited" / "Partner invited",
    PartnerRoleChanged => "partner.role_changed" / "Partner role changed",
    PartnerRemoved => "partner.removed" / "Partner removed",
    /// A partner's access ended because they left their team.
    PartnerAccessEnded => "partner.access_ended" / "Partner access ended",
    /// The partner's own team's Team Admins ended it (External access).
    PartnerEndedByTeam => "partner.ended_by_team" / "Partner access ended by their team",
    /// A grant reached its end date.
    PartnerAccessExpired => "partner.access_expired" / "Partner access expired",
    PartnerAccessExtended => "partner.access_extended" / "Partner access extended",
    PartnerLeadGranted => "partner.lead_granted" / "Partner Lead made",
    PartnerLeadRevoked => "partner.lead_revoked" / "Partner Lead removed",
    /// The team required (`after`: "on") or stopped requiring ("off") SSO of a partner team.
    PartnerSsoRequirementChanged => "partner.sso_requirement_changed" / "SSO required of a partner team",
    /// Someone of the team looked at its workspaces as one of its partners sees them.
    PartnerViewedAs => "partner.viewed_as" / "Viewed as partner",
    MultiPartnerOn => "workspace.multi_partner_on" / "Multi-partner mode turned on",
    MultiPartnerOff => "workspace.multi_partner_off" / "Multi-partner mode turned off",
    VisibilityChanged => "workspace.visibility_changed" / "Workspace visibility changed",
    WorkspaceMigrated => "workspace.migrated" / "Workspace migrated",
    /// A person's own role in a workspace of their team ended (they left the team).
    WorkspaceRoleEnded => "workspace_role.ended" / "Workspace role ended",
    RequestApproved => "access_request.approved" / "Access request approved",
    RequestDenied => "access_request.denied" / "Access request denied",
    RequestDropped => "access_request.dropped" / "Access request dropped",
    TeamRenamed => "team.renamed" / "Team renamed",
    TeamSsoChanged => "team.sso_changed" / "SSO requirement changed",
    TeamDefaultAccessChanged => "team.default_access_changed" / "Default access period changed",
    TeamRetentionChanged => "team.audit_retention_changed" / "Audit log retention changed",
    /// The team's identity provider was set up or changed (`after`: its issuer).
    TeamSsoProviderSet => "team.sso_provider_set" / "SSO provider set up",
    TeamSsoProviderRemoved => "team.sso_provider_removed" / "SSO provider removed",
    MemberInvited => "member.invited" / "Member invited",
    MemberInvitationResent => "member.invitation_resent" / "Invitation resent",
    MemberInvitationRevoked => "member.invitation_revoked" / "Invitation revoked",
    MemberJoined => "member.joined" / "Member joined",
    MemberRemoved => "member.removed" / "Member removed",
    MemberLeft => "member.left_team" / "Member left",
    MemberRoleChanged => "member.role_changed" / "Team role changed",
    PartnerManagerChanged => "member.partner_manager_changed" / "Partner Manager changed",
    /// The team's Team Admins ended their people's access in another company's workspaces.
    ExternalAccessEnded => "external_access.ended" / "External access ended",
    ReviewStarted => "review.started" / "Access review started",
    /// A reviewer kept or removed one grant (`after`: "Keep" or "Remove").
    ReviewDecided => "review.decided" / "Access review decision",
    /// A grant ended because its review removed it.
    ReviewRemovedAccess => "review.access_removed" / "Access removed by a review",
    ReviewApplied => "review.applied" / "Access review applied",
}

/// A person in an entry: `id` is `None` for an address that has no account (a team
/// invitation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPerson {
    pub id: Option<UserId>,
    pub name: String,
    pub email: String,
}

impl From<UserRef> for AuditPerson {
    fn from(user: UserRef) -> Self {
        Self {
            id: Some(user.id),
            name: user.name,
            email: user.email,
        }
    }
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    /// Opaque; a page's `next` is the last entry's cursor.
    pub cursor: String,
    pub at: String,
    /// Who made the change; `None` when the server made it on its own (a scheduled
    /// migration, an expiry).
    pub actor: Option<AuditPerson>,
    pub action: AuditAction,
    pub workspace: Option<WorkspaceRef>,
    /// The other company's team the change concerns: the partner team in a publisher's
    /// log, the publisher in a partner team's log.
    pub partner_team: Option<TeamRef>,
    /// The person the change was about (the partner, the member, the invited address).
    pub subject: Option<AuditPerson>,
    /// The value before the change, as shown to people ("Viewer", "off", an old name).
    pub before: Option<String>,
    /// The value after the change.
    pub after: Option<String>,
    /// The day the access the entry gave or extended ends (YYYY-MM-DD), if it ends.
    pub until: Option<String>,
    /// How many grants the change touched, when it touched several.
    pub count: Option<u32>,
}

impl AuditEvent {
    /// The entry as one sentence ("Wanda Wells turned on multi-partner mode in Fraud
    /// Signals"): the page and the CSV say the same thing.
    pub fn sentence(&self) -> String {
        let actor = self
            .actor
            .as_ref()
            .map_or("The server", |a| a.name.as_str());
        let subject = self.subject.as_ref().map_or("someone", |s| s.name.as_str());
        let workspace = self
            .workspace
            .as_ref()
            .map_or("a deleted workspace", |w| w.name.as_str());
        let team = self
            .partner_team
            .as_ref()
            .map_or("another team", |t| t.name.as_str());
        let before = self.before.as_deref().unwrap_or("none");
        let after = self.after.as_deref().unwrap_or("none");
        let until = self
            .until
            .as_deref()
            .map(|day| format!(" until {day}"))
            .unwrap_or_default();
        use AuditAction as A;
        match self.action {
            A::PartnerInvited => {
                format!("{actor} invited {subject} ({team}) to {workspace} as {after}{until}")
            }
            A::PartnerRoleChanged => {
                format!("{actor} changed {subject}'s role in {workspace} from {before} to {after}")
            }
            A::PartnerRemoved => format!("{actor} removed {subject} ({team}) from {workspace}"),
            A::PartnerEndedByTeam => {
                format!("{actor} ({team}) ended {subject}'s access to {workspace}")
            }
            A::PartnerAccessEnded => {
                format!("{subject}'s access to {workspace} ended: they left {team}")
            }
            A::PartnerAccessExpired => format!("{subject}'s access to {workspace} expired"),
            A::PartnerAccessExtended => match &self.until {
                Some(day) => {
                    format!("{actor} extended {subject}'s access to {workspace} until {day}")
                }
                None => format!("{actor} removed the end of {subject}'s access to {workspace}"),
            },
            A::PartnerLeadGranted => format!("{actor} made {subject} Partner Lead of {workspace}"),
            A::PartnerLeadRevoked => {
                format!("{actor} removed {subject} as Partner Lead of {workspace}")
            }
            A::PartnerSsoRequirementChanged if self.after.as_deref() == Some("on") => {
                format!("{actor} required {team} people to sign in with SSO")
            }
            A::PartnerSsoRequirementChanged => {
                format!("{actor} stopped requiring SSO of {team} people")
            }
            A::PartnerViewedAs => match &self.workspace {
                Some(ws) => format!("{actor} viewed {} as {subject}", ws.name),
                None => format!("{actor} viewed the team's workspaces as {subject} ({team})"),
            },
            A::MultiPartnerOn => format!("{actor} turned on multi-partner mode in {workspace}"),
            A::MultiPartnerOff => format!("{actor} turned off multi-partner mode in {workspace}"),
            A::VisibilityChanged => {
                format!("{actor} changed the visibility of {workspace} from {before} to {after}")
            }
            A::WorkspaceMigrated => format!("{actor} migrated {workspace} to partner workspaces"),
            A::WorkspaceRoleEnded => {
                format!("{subject}'s {before} role in {workspace} ended: they left the team")
            }
            A::RequestApproved => format!(
                "{actor} approved {subject}'s request for access to {workspace} as {after}{until}"
            ),
            A::RequestDenied => {
                format!("{actor} denied {subject}'s request for access to {workspace}")
            }
            A::RequestDropped => {
                format!("{subject}'s request for access to {workspace} was dropped")
            }
            A::TeamRenamed => format!("{actor} renamed the team from {before} to {after}"),
            A::TeamSsoChanged => {
                format!("{actor} turned {after} \"Require SSO for our people\"")
            }
            A::TeamDefaultAccessChanged => format!(
                "{actor} changed how long new partner access lasts from {before} to {after}"
            ),
            A::TeamRetentionChanged => {
                format!("{actor} changed how long the audit log is kept from {before} to {after}")
            }
            A::TeamSsoProviderSet => {
                format!("{actor} set up single sign-on through {after}")
            }
            A::TeamSsoProviderRemoved => {
                format!("{actor} removed single sign-on through {before}")
            }
            A::MemberInvited => format!("{actor} invited {subject} to the team as {after}"),
            A::MemberInvitationResent => {
                format!("{actor} resent the team invitation to {subject}")
            }
            A::MemberInvitationRevoked => {
                format!("{actor} revoked the team invitation to {subject}")
            }
            A::MemberJoined => format!("{subject} joined the team as {after}"),
            A::MemberRemoved => format!("{actor} removed {subject} from the team"),
            A::MemberLeft => format!("{subject} left the team"),
            A::MemberRoleChanged => {
                format!("{actor} changed {subject}'s team role from {before} to {after}")
            }
            A::PartnerManagerChanged if self.after.as_deref() == Some("on") => {
                format!("{actor} made {subject} a Partner Manager")
            }
            A::PartnerManagerChanged => {
                format!("{actor} removed {subject} as a Partner Manager")
            }
            A::ReviewStarted => format!(
                "{actor} started an access review of {} due {}",
                self.before.as_deref().unwrap_or("partner access"),
                self.until.as_deref().unwrap_or("soon")
            ),
            A::ReviewDecided => format!(
                "{actor} decided to {} {subject}'s access to {workspace} in an access review",
                after.to_lowercase()
            ),
            A::ReviewRemovedAccess => {
                format!("An access review removed {subject}'s access to {workspace}")
            }
            A::ReviewApplied => format!(
                "An access review of {} was applied: {} removed",
                self.before.as_deref().unwrap_or("partner access"),
                match self.count {
                    Some(1) => "1 grant".to_owned(),
                    Some(n) => format!("{n} grants"),
                    None => "no grants".to_owned(),
                }
            ),
            A::ExternalAccessEnded => format!(
                "{actor} ended {} of our people's access to {team}'s workspaces",
                match self.count {
                    Some(1) => "1 grant".to_owned(),
                    Some(n) => format!("{n} grants"),
                    None => "every grant".to_owned(),
                }
            ),
        }
    }
}

/// The filters of the audit log page and of its CSV export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditFilter {
    /// Only changes made by this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserId>,
    /// Only changes in this workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceId>,
    /// Only changes that concern this other team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    /// From this day (YYYY-MM-DD, UTC), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD, UTC), inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// `GET /api/team/audit-log` query: the filters, and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AuditQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace: Option<WorkspaceId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partner_team: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<AuditAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Entries older than this cursor (a page's `next`); the newest when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// Entries per page, 1 to 200 (default 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 200))]
    pub per_page: Option<u32>,
}

impl AuditQuery {
    /// The filters without the page.
    pub fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor: self.actor.clone(),
            workspace: self.workspace.clone(),
            partner_team: self.partner_team.clone(),
            action: self.action,
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

impl From<AuditFilter> for AuditQuery {
    fn from(filter: AuditFilter) -> Self {
        Self {
            actor: filter.actor,
            workspace: filter.workspace,
            partner_team: filter.partner_team,
            action: filter.action,
            from: filter.from,
            to: filter.to,
            before: None,
            per_page: None,
        }
    }
}

/// `GET /api/team/audit-log`: newest first; `next` is present when older entries match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub entries: Vec<AuditEvent>,
    pub next: Option<String>,
}

/// How many choices each list of [`AuditFilterChoices`] holds at most (by name).
pub const FILTER_CHOICES_LISTED: usize = 500;

/// `GET /api/team/audit-log/filters`: the choices of the page's filters (the actions are
/// [`AuditAction::ALL`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditFilterChoices {
    /// The team's members.
    pub people: Vec<UserRef>,
    /// The team's workspaces.
    pub workspaces: Vec<WorkspaceRef>,
    /// The other teams the log's entries concern.
    pub partner_teams: Vec<TeamRef>,
}

/// How long a team keeps its audit log, in days: at least this…
pub const MIN_RETENTION_DAYS: u32 = 400;
/// …and at most this.
pub const MAX_RETENTION_DAYS: u32 = 3650;
