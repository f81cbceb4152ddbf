//! Who may do what. Every permission of the product is decided here, as plain functions
//! over plain facts loaded by the handlers, and nowhere else.

use partner_api::sso::SsoRequiredBy;
use partner_api::{PartnerRole, TeamId, TeamRole, UserId, WorkspaceId, WorkspaceRole, YourRole};

use crate::error::AppError;

/// The signed-in person making a request, as of this request (team changes apply at once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: UserId,
    pub name: String,
    pub email: String,
    pub team_id: Option<TeamId>,
    pub team_role: Option<TeamRole>,
    pub is_partner_manager: bool,
    /// The session was made through the team's identity provider (SSO).
    pub sso_session: bool,
    /// The session is someone of a publisher viewing as this partner ("view as partner").
    pub view: Option<View>,
}

/// A "view as partner" session: read-only, limited to the publisher's workspaces (one of
/// them with `workspace`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub viewer_id: UserId,
    pub publisher: TeamId,
    pub workspace: Option<WorkspaceId>,
}

impl View {
    /// Whether a workspace is inside the view.
    pub fn covers(&self, workspace: &WorkspaceId, publisher: &TeamId) -> bool {
        self.publisher == *publisher && self.workspace.as_ref().is_none_or(|w| w == workspace)
    }
}

impl Caller {
    /// A Team Admin of their team.
    pub fn is_team_admin(&self) -> bool {
        self.team_id.is_some() && self.team_role == Some(TeamRole::Admin)
    }

    /// Whether the caller belongs to `team`.
    pub fn is_in_team(&self, team: &TeamId) -> bool {
        self.team_id.as_ref() == Some(team)
    }
}

/// What the database says about one caller and one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFacts {
    pub id: WorkspaceId,
    pub publisher_team_id: TeamId,
    pub is_partner_workspace: bool,
    pub multi_partner_mode: bool,
    /// The caller's workspace role, if they are a publisher member with one.
    pub member_role: Option<WorkspaceRole>,
    /// The caller's active partner grant (its team is the caller's current team).
    pub partner_role: Option<PartnerRole>,
    /// That grant makes the caller Partner Lead of the workspace.
    pub partner_lead: bool,
    /// The caller had a grant that ended when they left the team it belonged to.
    pub access_ended: bool,
    /// The publisher requires the caller's team to sign in with SSO (who of whom).
    pub sso_required_by: Option<SsoRequiredBy>,
}

/// Team Settings > Partnerships, access requests, seats: Team Admins and Partner Managers.
pub fn can_manage_partnerships(caller: &Caller) -> bool {
    caller.team_id.is_some() && (caller.is_team_admin() || caller.is_partner_manager)
}

/// Team Settings > Audit log: Team Admins and Partner Managers of the team whose log it is
/// (each team reads only its own).
pub fn can_read_audit_log(caller: &Caller) -> bool {
    can_manage_partnerships(caller)
}

/// The caller's team's audit log, or 403.
pub fn require_audit_reader(caller: &Caller) -> Result<&TeamId, AppError> {
    match &caller.team_id {
        Some(team) if can_read_audit_log(caller) => Ok(team),
        _ => Err(AppError::Forbidden(
            "Only your team's Team Admins and Partner Managers can read its audit log.",
        )),
    }
}

/// Starting an access review, and seeing all of the team's: Team Admins.
pub fn can_start_review(caller: &Caller) -> bool {
    caller.team_id.is_some() && caller.is_team_admin()
}

/// An access review of the caller's team: its reviewers and the team's Team Admins see it
/// (and decide in it while it is open); nobody else learns it exists.
pub fn can_see_review<'a>(
    caller: &Caller,
    mut reviewers: impl Iterator<Item = &'a UserId>,
) -> bool {
    can_start_review(caller) || reviewers.any(|id| *id == caller.user_id)
}

/// Partnerships and its data, or 403.
pub fn require_partnership_manager(caller: &Caller) -> Result<&TeamId, AppError> {
    match &caller.team_id {
        Some(team) if can_manage_partnerships(caller) => Ok(team),
        _ => Err(AppError::Forbidden(
            "Only Team Admins and Partner Managers can see Partnerships.",
        )),
    }
}

/// Seat usage is visible to every member of the team (workspace admins need it to invite).
pub fn require_team_member(caller: &Caller) -> Result<&TeamId, AppError> {
    caller
        .team_id
        .as_ref()
        .ok_or(AppError::Forbidden("You don't belong to a team."))
}

/// Running the migration of legacy workspaces (dry run included): Team Admins.
pub fn can_run_migration(caller: &Caller) -> bool {
    caller.is_team_admin()
}

/// The migration's state and schedule: whoever sees Partnerships.
pub fn require_migration_viewer(caller: &Caller) -> Result<&TeamId, AppError> {
    match &caller.team_id {
        Some(team) if can_manage_partnerships(caller) => Ok(team),
        _ => Err(AppError::Forbidden(
            "Only Team Admins and Partner Managers can see the migration.",
        )),
    }
}

/// A dry run or the migration itself, or 403.
pub fn require_migration_runner(caller: &Caller) -> Result<&TeamId, AppError> {
    match &caller.team_id {
        Some(team) if can_run_migration(caller) => Ok(team),
        _ => Err(AppError::Forbidden(
            "Only Team Admins can run the migration of legacy partner workspaces.",
        )),
    }
}

/// The caller's role in a workspace, or `None` when they may not see it at all.
/// Publisher members see every workspace of their team; partners see the ones granted
/// to them through their current team.
pub fn workspace_role(caller: &Caller, ws: &WorkspaceFacts) -> Option<YourRole> {
    if caller.is_in_team(&ws.publisher_team_id) {
        if caller.is_team_admin() {
            return Some(YourRole::Admin);
        }
        return Some(ws.member_role.map_or(YourRole::Viewer, YourRole::from));
    }
    ws.partner_role.map(YourRole::from)
}

/// Viewing a workspace: 404 for those who may not know it exists, except a partner
/// whose access ended with their team (they knew it; they get told why).
pub fn require_view(caller: &Caller, ws: &WorkspaceFacts) -> Result<YourRole, AppError> {
    require_in_view(caller, ws)?;
    match workspace_role(caller, ws) {
        Some(_) if sso_blocks(caller, ws) => Err(AppError::SsoRequired(
            ws.sso_required_by
                .as_ref()
                .map_or_else(String::new, SsoRequiredBy::sentence),
        )),
        Some(role) => Ok(role),
        None if ws.access_ended => Err(AppError::AccessEnded),
        None => Err(AppError::NotFound),
    }
}

/// A "view as partner" session knows nothing of workspaces outside its view (404).
pub fn require_in_view(caller: &Caller, ws: &WorkspaceFacts) -> Result<(), AppError> {
    match &caller.view {
        Some(view) if !view.covers(&ws.id, &ws.publisher_team_id) => Err(AppError::NotFound),
        _ => Ok(()),
    }
}

/// A partner whose team the publisher requires to sign in with SSO, on a session made with
/// a password: they see that the workspace is there, and nothing in it.
pub fn sso_blocks(caller: &Caller, ws: &WorkspaceFacts) -> bool {
    ws.sso_required_by.is_some()
        && !caller.sso_session
        && ws.partner_role.is_some()
        && !caller.is_in_team(&ws.publisher_team_id)
}

/// Name, summary, multi-partner mode: Workspace Admins and Team Admins of the publisher.
pub fn can_manage_settings(caller: &Caller, ws: &WorkspaceFacts) -> bool {
    caller.is_in_team(&ws.publisher_team_id)
        && (caller.is_team_admin() || ws.member_role == Some(WorkspaceRole::Admin))
}

/// Inviting, re-roling and removing partners: Workspace Admins, Team Admins and
/// Partner Managers of the publisher.
pub fn can_manage_partners(caller: &Caller, ws: &WorkspaceFacts) -> bool {
    can_manage_settings(caller, ws)
        || (caller.is_in_team(&ws.publisher_team_id) && caller.is_partner_manager)
}

/// Partner Lead: a partner of the workspace whom the publisher lets invite and remove
/// people of the partner's own team there (and nothing else).
pub fn can_lead_own_team(caller: &Caller, ws: &WorkspaceFacts) -> bool {
    ws.is_partner_workspace
        && ws.partner_lead
        && ws.partner_role.is_some()
        && caller.team_id.is_some()
        && !caller.is_in_team(&ws.publisher_team_id)
}

/// Inviting someone: the publisher's partner managers, or a Partner Lead (whose invitee is
/// then checked by [`lead_may_invite`]).
pub fn can_invite_partners(caller: &Caller, ws: &WorkspaceFacts) -> bool {
    can_manage_partners(caller, ws) || can_lead_own_team(caller, ws)
}

/// Whom a Partner Lead may invite: people of their own team only. `invitee_team` is the
/// invitee's current team, `team` the lead's (name and verified domain). An address of
/// another company is refused without saying whether it has an account.
pub fn lead_may_invite(
    email: &partner_api::Email,
    invitee_team: Option<&TeamId>,
    team: &TeamId,
    team_name: &str,
    team_domain: &str,
) -> Result<(), AppError> {
    if invitee_team == Some(team) {
        return Ok(());
    }
    if email.domain().eq_ignore_ascii_case(team_domain) {
        return Err(AppError::NotAllowed(format!(
            "{email} isn't in {team_name}'s team yet. Ask a Team Admin of {team_name} to add them \
             to the team, then invite them here."
        )));
    }
    Err(AppError::NotAllowed(format!(
        "As Partner Lead you can invite people of {team_name} only, and {email} isn't one. \
         Ask the workspace's publisher to invite them."
    )))
}

/// Removing a partner: the publisher's partner managers; a Partner Lead for partners of
/// their own team who aren't Partner Leads themselves.
pub fn may_remove_partner(
    caller: &Caller,
    ws: &WorkspaceFacts,
    partner_team: &TeamId,
    partner_is_lead: bool,
) -> Result<(), AppError> {
    require_view(caller, ws)?;
    if can_manage_partners(caller, ws) {
        return Ok(());
    }
    if can_lead_own_team(caller, ws) {
        if !caller.is_in_team(partner_team) {
            return Err(AppError::NotFound);
        }
        if partner_is_lead {
            return Err(AppError::Forbidden(
                "Only the workspace's publisher can remove a Partner Lead.",
            ));
        }
        return Ok(());
    }
    Err(AppError::Forbidden(
        "Only Workspace Admins, Team Admins and Partner Managers can change partners.",
    ))
}

/// Who gave a partner access is shown to the publisher, and to a Partner Lead for the
/// people of their own team.
pub fn sees_invited_by(caller: &Caller, ws: &WorkspaceFacts, partner_team: &TeamId) -> bool {
    caller.is_in_team(&ws.publisher_team_id)
        || (can_lead_own_team(caller, ws) && caller.is_in_team(partner_team))
}

/// Team Settings changes (name, SSO, members, invitations) and External access: Team
/// Admins of the team, or 403.
pub fn require_team_admin(caller: &Caller) -> Result<&TeamId, AppError> {
    match &caller.team_id {
        Some(team) if caller.is_team_admin() => Ok(team),
        Some(_) => Err(AppError::Forbidden("Only Team Admins can do this.")),
        None => Err(AppError::Forbidden("You don't belong to a team.")),
    }
}

/// Whether a change of one person's team role (or their removal, `to: None`) would leave
/// the team without a Team Admin; `admins` counts the team's Team Admins now.
pub fn leaves_no_admin(from: TeamRole, to: Option<TeamRole>, admins: u64) -> bool {
    from == TeamRole::Admin && to != Some(TeamRole::Admin) && admins <= 1
}

/// A change to a workspace: 404 for strangers, 403 for those who can see but not change.
pub fn require(
    caller: &Caller,
    ws: &WorkspaceFacts,
    allowed: fn(&Caller, &WorkspaceFacts) -> bool,
    why: &'static str,
) -> Result<(), AppError> {
    require_view(caller, ws)?;
    if allowed(caller, ws) {
        Ok(())
    } else {
        Err(AppError::Forbidden(why))
    }
}

/// Which partners the caller may see in a workspace's lists and counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerVisibility {
    /// Publisher members, and everyone when multi-partner mode is off.
    Everyone,
    /// Multi-partner mode: a partner sees the partners of their own team only.
    OwnTeamOnly(TeamId),
}

/// Multi-partner mode hides other partner teams from partners; the publisher sees all.
pub fn partner_visibility(caller: &Caller, ws: &WorkspaceFacts) -> PartnerVisibility {
    match &caller.team_id {
        Some(team) if ws.multi_partner_mode && !caller.is_in_team(&ws.publisher_team_id) => {
            PartnerVisibility::OwnTeamOnly(team.clone())
        }
        _ => PartnerVisibility::Everyone,
    }
}

/// Asking for access: people of another team who have no access yet.
pub fn can_request_access(caller: &Caller, ws: &WorkspaceFacts) -> Result<(), AppError> {
    if caller.team_id.is_none() {
        return Err(AppError::Forbidden(
            "Partner access belongs to a team. Join your company's team first, then ask again.",
        ));
    }
    if !ws.is_partner_workspace {
        return Err(AppError::NotFound);
    }
    if workspace_role(caller, ws).is_some() {
        // They have access, but not from this session: say what gets them in.
        require_view(caller, ws)?;
        return Err(AppError::Conflict(
            "You already have access to this workspace.".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(team: Option<&str>, role: Option<TeamRole>, manager: bool) -> Caller {
        Caller {
            user_id: "u".into(),
            name: "U".into(),
            email: "u@x.test".into(),
            team_id: team.map(TeamId::from),
            team_role: role,
            is_partner_manager: manager,
            sso_session: false,
            view: None,
        }
    }

    fn workspace() -> WorkspaceFacts {
        WorkspaceFacts {
            id: "ws".into(),
            publisher_team_id: "acme".into(),
            is_partner_workspace: true,
            multi_partner_mode: true,
            member_role: None,
            partner_role: None,
            partner_lead: false,
            access_ended: false,
            sso_required_by: None,
        }
    }

    #[test]
    fn partnerships_are_for_team_admins_and_partner_managers_only() {
        assert!(can_manage_partnerships(&caller(
            Some("acme"),
            Some(TeamRole::Admin),
            false
        )));
        assert!(can_manage_partnerships(&caller(
            Some("acme"),
            Some(TeamRole::Member),
            true
        )));
        assert!(!can_manage_partnerships(&caller(
            Some("acme"),
            Some(TeamRole::Member),
            false
        )));
        // A manager flag left behind on someone with no team grants nothing.
        assert!(!can_manage_partnerships(&caller(None, None, true)));
    }

    #[test]
    fn partner_managers_see_the_migration_and_only_team_admins_run_it() {
        let admin = caller(Some("acme"), Some(TeamRole::Admin), false);
        let manager = caller(Some("acme"), Some(TeamRole::Member), true);
        let member = caller(Some("acme"), Some(TeamRole::Member), false);
        assert!(require_migration_viewer(&admin).is_ok());
        assert!(require_migration_viewer(&manager).is_ok());
        assert!(require_migration_viewer(&member).is_err());
        assert!(require_migration_runner(&admin).is_ok());
        assert!(matches!(
            require_migration_runner(&manager),
            Err(AppError::Forbidden(_))
        ));
        assert!(require_migration_runner(&caller(None, None, true)).is_err());
    }

    #[test]
    fn a_publishers_sso_requirement_keeps_password_sessions_of_that_team_out() {
        let required = WorkspaceFacts {
            partner_role: Some(PartnerRole::Viewer),
            sso_required_by: Some(SsoRequiredBy {
                publisher: "Acme".into(),
                partner_team: "Globex".into(),
            }),
            ..workspace()
        };
        let password = caller(Some("globex"), Some(TeamRole::Member), false);
        let sso = Caller {
            sso_session: true,
            ..password.clone()
        };
        assert!(sso_blocks(&password, &required));
        assert!(matches!(
            require_view(&password, &required),
            Err(AppError::SsoRequired(ref why)) if why == "Acme requires Globex people to sign in with SSO."
        ));
        assert!(matches!(
            can_request_access(&password, &required),
            Err(AppError::SsoRequired(_))
        ));
        assert_eq!(
            require_view(&sso, &required).ok(),
            Some(YourRole::PartnerViewer)
        );
        // The publisher's own people are not partners: never kept out.
        let member = caller(Some("acme"), Some(TeamRole::Admin), false);
        assert!(!sso_blocks(&member, &required));
    }

    #[test]
    fn a_view_covers_the_publishers_workspaces_or_one_of_them() {
        let all = View {
            viewer_id: "wanda".into(),
            publisher: "acme".into(),
            workspace: None,
        };
        let one = View {
            workspace: Some("ws".into()),
            ..all.clone()
        };
        assert!(all.covers(&"other".into(), &"acme".into()));
        assert!(!all.covers(&"ws".into(), &"hooli".into()));
        assert!(one.covers(&"ws".into(), &"acme".into()));
        assert!(!one.covers(&"other".into(), &"acme".into()));
        let viewing = Caller {
            view: Some(one),
            ..caller(Some("umbrella"), Some(TeamRole::Member), false)
        };
        let elsewhere = WorkspaceFacts {
            id: "other".into(),
            partner_role: Some(PartnerRole::Viewer),
            ..workspace()
        };
        assert!(matches!(
            require_view(&viewing, &elsewhere),
            Err(AppError::NotFound)
        ));
    }

    #[test]
    fn strangers_get_not_found_and_ended_partners_are_told_why() {
        let stranger = caller(Some("hooli"), Some(TeamRole::Admin), true);
        assert!(matches!(
            require_view(&stranger, &workspace()),
            Err(AppError::NotFound)
        ));
        let ed = caller(None, None, false);
        let ended = WorkspaceFacts {
            access_ended: true,
            ..workspace()
        };
        assert!(matches!(
            require_view(&ed, &ended),
            Err(AppError::AccessEnded)
        ));
    }

    #[test]
    fn publisher_members_see_every_team_workspace_and_admins_manage_it() {
        let member = caller(Some("acme"), Some(TeamRole::Member), false);
        assert_eq!(
            workspace_role(&member, &workspace()),
            Some(YourRole::Viewer)
        );
        assert!(!can_manage_settings(&member, &workspace()));
        let ws_admin = WorkspaceFacts {
            member_role: Some(WorkspaceRole::Admin),
            ..workspace()
        };
        assert!(can_manage_settings(&member, &ws_admin));
        let manager = caller(Some("acme"), Some(TeamRole::Member), true);
        assert!(can_manage_partners(&manager, &workspace()));
        assert!(!can_manage_settings(&manager, &workspace()));
    }

    #[test]
    fn multi_partner_mode_limits_partners_to_their_own_team() {
        let uma = caller(Some("umbrella"), Some(TeamRole::Admin), false);
        let granted = WorkspaceFacts {
            partner_role: Some(PartnerRole::Viewer),
            ..workspace()
        };
        assert_eq!(
            partner_visibility(&uma, &granted),
            PartnerVisibility::OwnTeamOnly("umbrella".into())
        );
        let wanda = caller(Some("acme"), Some(TeamRole::Member), false);
        assert_eq!(
            partner_visibility(&wanda, &granted),
            PartnerVisibility::Everyone
        );
        let off = WorkspaceFacts {
            multi_partner_mode: false,
            ..granted
        };
        assert_eq!(partner_visibility(&uma, &off), PartnerVisibility::Everyone);
        // A partner admin of their own team is still only a partner here.
        assert!(!can_manage_partners(&uma, &off));
    }

    #[test]
    fn the_last_team_admin_stays_one() {
        assert!(leaves_no_admin(TeamRole::Admin, Some(TeamRole::Member), 1));
        assert!(leaves_no_admin(TeamRole::Admin, None, 1));
        assert!(!leaves_no_admin(TeamRole::Admin, None, 2));
        assert!(!leaves_no_admin(TeamRole::Admin, Some(TeamRole::Admin), 1));
        assert!(!leaves_no_admin(TeamRole::Member, None, 1));
    }

    #[test]
    fn a_partner_lead_acts_for_their_own_team_only() {
        let gina = caller(Some("globex"), Some(TeamRole::Member), false);
        let lead = WorkspaceFacts {
            partner_role: Some(PartnerRole::Editor),
            partner_lead: true,
            ..workspace()
        };
        assert!(can_lead_own_team(&gina, &lead));
        assert!(can_invite_partners(&gina, &lead));
        assert!(!can_manage_partners(&gina, &lead));
        assert!(!can_manage_settings(&gina, &lead));
        assert!(may_remove_partner(&gina, &lead, &"globex".into(), false).is_ok());
        assert!(matches!(
            may_remove_partner(&gina, &lead, &"globex".into(), true),
            Err(AppError::Forbidden(_))
        ));
        assert!(matches!(
            may_remove_partner(&gina, &lead, &"initech".into(), false),
            Err(AppError::NotFound)
        ));
        // The flag left on a grant that no longer holds grants nothing.
        let ended = WorkspaceFacts {
            partner_role: None,
            ..lead.clone()
        };
        assert!(!can_lead_own_team(&gina, &ended));
        let email = |e: &str| partner_api::Email::parse(e).unwrap();
        let globex = TeamId::from("globex");
        assert!(
            lead_may_invite(
                &email("gwen@globex.test"),
                Some(&globex),
                &globex,
                "Globex",
                "globex.test"
            )
            .is_ok()
        );
        assert!(matches!(
            lead_may_invite(&email("new@GLOBEX.test"), None, &globex, "Globex", "globex.test"),
            Err(AppError::NotAllowed(m)) if m.contains("isn't in Globex's team yet")
        ));
        assert!(matches!(
            lead_may_invite(&email("ivan@initech.test"), Some(&"initech".into()), &globex, "Globex", "globex.test"),
            Err(AppError::NotAllowed(m)) if m.contains("people of Globex only")
        ));
        assert!(sees_invited_by(&gina, &lead, &globex));
        assert!(!sees_invited_by(&gina, &lead, &"initech".into()));
    }

    #[test]
    fn only_people_of_a_team_without_access_may_ask_for_it() {
        assert!(
            can_request_access(
                &caller(Some("globex"), Some(TeamRole::Member), false),
                &workspace()
            )
            .is_ok()
        );
        assert!(can_request_access(&caller(None, None, false), &workspace()).is_err());
        assert!(
            can_request_access(
                &caller(Some("acme"), Some(TeamRole::Member), false),
                &workspace()
            )
            .is_err()
        );
        let internal = WorkspaceFacts {
            is_partner_workspace: false,
            ..workspace()
        };
        assert!(matches!(
            can_request_access(&caller(Some("globex"), None, false), &internal),
            Err(AppError::NotFound)
        ));
    }
}
