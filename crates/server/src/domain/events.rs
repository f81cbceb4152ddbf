//! Live updates: which events one recorded change means for one receiving session, decided
//! when it is sent, from the receiver's facts as of then. The rule of thumb is the API's:
//! an event tells a session only what a GET would tell it. So a partner in multi-partner
//! mode hears nothing of another partner team, a view of a partner hears what that partner
//! would within the view's workspaces, and nobody hears of a workspace they can't open.

use partner_api::audit::AuditAction;
use partner_api::events::{Event, WorkspaceChange};
use partner_api::{TeamId, UserId, WorkspaceId};

use super::authz::{self, Caller, PartnerVisibility, WorkspaceFacts};

/// What changed, as the change log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub kind: ChangeKind,
    /// The team whose change it is (a workspace's publisher, or the team changed).
    pub team: TeamId,
    pub workspace: Option<WorkspaceId>,
    /// The other company's team it concerns.
    pub partner_team: Option<TeamId>,
    /// The person it concerns (a partner, a member, who asked).
    pub subject: Option<UserId>,
    pub actor: Option<UserId>,
}

/// The kind of a change: an audited action, or a partner asking for access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Audited(AuditAction),
    RequestCreated,
}

/// What the receiving session's person is, as of sending.
#[derive(Debug, Clone)]
pub struct Receiver<'a> {
    pub caller: &'a Caller,
    /// The change's workspace as the receiver stands to it (`None`: the change has none).
    pub workspace: Option<&'a WorkspaceFacts>,
    /// The receiver holds partner access in a workspace of the change's team.
    pub partner_of_team: bool,
}

/// Who the receiver may be for a change, before their facts are read: a member of one of
/// the teams it names, the person it concerns, or someone with partner access to its
/// workspace — or, for a renamed team, from that team, whose name shows to its partners
/// (`grantee`). Everyone else is told nothing, so their facts aren't read.
pub fn may_concern(change: &Change, user: &UserId, team: Option<&TeamId>, grantee: bool) -> bool {
    grantee
        || change.subject.as_ref() == Some(user)
        || team
            .is_some_and(|team| *team == change.team || change.partner_team.as_ref() == Some(team))
}

/// Whether a change's partners, beyond its workspace's, are those of its team (a renamed
/// publisher's name shows to every partner of it).
pub fn reaches_partners_of_team(change: &Change) -> bool {
    change.workspace.is_none() && change.kind == ChangeKind::Audited(AuditAction::TeamRenamed)
}

/// The events one change means for one receiver (none, usually), in the order to send.
/// `actor_name` is who made it, shown only to the publisher's own people.
pub fn events_for(
    change: &Change,
    receiver: &Receiver<'_>,
    actor_name: Option<&str>,
) -> Vec<Event> {
    let caller = receiver.caller;
    let mut events = Vec::new();
    // Access reviews: the team's Team Admins and Partner Managers (who read them in the
    // audit log too), and the reviewer who decided.
    if review_change(change.kind)
        && caller.view.is_none()
        && caller.is_in_team(&change.team)
        && (authz::can_read_audit_log(caller) || change.actor.as_ref() == Some(&caller.user_id))
    {
        events.push(Event::ReviewsChanged);
    }
    match (&change.workspace, receiver.workspace) {
        (Some(workspace), Some(ws)) => {
            workspace_events(change, workspace, ws, caller, actor_name, &mut events);
        }
        (Some(_), None) => {}
        (None, _) => {
            // A view reads workspaces only: team pages are closed to it.
            if caller.view.is_none() {
                team_events(change, receiver, &mut events);
            }
        }
    }
    events
}

/// A change in one workspace.
fn workspace_events(
    change: &Change,
    workspace: &WorkspaceId,
    ws: &WorkspaceFacts,
    caller: &Caller,
    actor_name: Option<&str>,
    events: &mut Vec<Event>,
) {
    use AuditAction as A;
    if authz::require_in_view(caller, ws).is_err() {
        return;
    }
    let is_subject = change.subject.as_ref() == Some(&caller.user_id);
    let sees = authz::require_view(caller, ws).is_ok();
    let publisher_side = caller.is_in_team(&ws.publisher_team_id);
    let request = matches!(
        change.kind,
        ChangeKind::RequestCreated
            | ChangeKind::Audited(A::RequestApproved | A::RequestDenied | A::RequestDropped)
    );

    // Access requests: the publisher's people who decide them, and who asked.
    if request && ((publisher_side && authz::can_manage_partners(caller, ws)) || is_subject) {
        events.push(Event::AccessRequestsChanged {
            workspace: Some(workspace.clone()),
        });
    }
    // Team Settings > Partnerships: its partner teams, seats and requests.
    if publisher_side
        && caller.view.is_none()
        && authz::can_manage_partnerships(caller)
        && (request || partners_change(change.kind))
    {
        events.push(Event::PartnershipsChanged);
    }
    if ends_access(change.kind) && is_subject && !sees {
        events.push(Event::AccessEnded {
            workspace: workspace.clone(),
        });
        return;
    }
    let Some(what) = workspace_change(change.kind) else {
        return;
    };
    if !sees {
        return;
    }
    // Multi-partner mode: a partner hears nothing of another partner team.
    if let (PartnerVisibility::OwnTeamOnly(own), Some(partner_team)) =
        (authz::partner_visibility(caller, ws), &change.partner_team)
        && own != *partner_team
    {
        return;
    }
    events.push(Event::WorkspaceChanged {
        workspace: workspace.clone(),
        change: what,
        by: actor_name.filter(|_| publisher_side).map(str::to_owned),
    });
}

/// A change of a team, not of one workspace.
fn team_events(change: &Change, receiver: &Receiver<'_>, events: &mut Vec<Event>) {
    use AuditAction as A;
    let caller = receiver.caller;
    let in_team = caller.is_in_team(&change.team);
    let ChangeKind::Audited(action) = change.kind else {
        return;
    };
    let is_subject = change.subject.as_ref() == Some(&caller.user_id);
    match action {
        A::TeamRenamed => {
            if in_team {
                events.push(Event::TeamChanged);
            } else if receiver.partner_of_team {
                // The publisher's name shows in the partner's list.
                events.push(Event::WorkspacesChanged);
            }
        }
        A::PartnerSsoRequirementChanged => {
            if in_team && authz::can_manage_partnerships(caller) {
                events.push(Event::PartnershipsChanged);
            } else if receiver.partner_of_team
                && change
                    .partner_team
                    .as_ref()
                    .is_some_and(|team| caller.is_in_team(team))
            {
                events.push(Event::WorkspacesChanged);
            }
        }
        A::MemberRoleChanged | A::PartnerManagerChanged if is_subject && in_team => {
            // What they may do changed: every page reads again.
            events.push(Event::Resync);
        }
        A::TeamSsoChanged
        | A::TeamDefaultAccessChanged
        | A::TeamRetentionChanged
        | A::TeamSsoProviderSet
        | A::TeamSsoProviderRemoved
        | A::MemberInvited
        | A::MemberInvitationResent
        | A::MemberInvitationRevoked
        | A::MemberJoined
        | A::MemberRemoved
        | A::MemberLeft
        | A::MemberRoleChanged
        | A::PartnerManagerChanged
        | A::ExternalAccessEnded
            if in_team =>
        {
            events.push(Event::TeamChanged);
        }
        _ => {}
    }
}

/// Changes that show in a workspace, and how.
fn workspace_change(kind: ChangeKind) -> Option<WorkspaceChange> {
    use AuditAction as A;
    let ChangeKind::Audited(action) = kind else {
        return None;
    };
    Some(match action {
        A::MultiPartnerOn => WorkspaceChange::MultiPartnerMode { on: true },
        A::MultiPartnerOff => WorkspaceChange::MultiPartnerMode { on: false },
        A::VisibilityChanged => WorkspaceChange::Visibility,
        A::WorkspaceMigrated => WorkspaceChange::Migrated,
        A::WorkspaceRoleEnded => WorkspaceChange::Members,
        _ if partners_change(kind) => WorkspaceChange::Partners,
        _ => return None,
    })
}

/// Changes of an access review.
fn review_change(kind: ChangeKind) -> bool {
    use AuditAction as A;
    matches!(
        kind,
        ChangeKind::Audited(
            A::ReviewStarted | A::ReviewDecided | A::ReviewRemovedAccess | A::ReviewApplied
        )
    )
}

/// Changes to who the workspace's partners are, or how.
fn partners_change(kind: ChangeKind) -> bool {
    use AuditAction as A;
    matches!(
        kind,
        ChangeKind::Audited(
            A::PartnerInvited
                | A::PartnerRoleChanged
                | A::PartnerRemoved
                | A::PartnerAccessEnded
                | A::PartnerEndedByTeam
                | A::PartnerAccessExpired
                | A::PartnerAccessExtended
                | A::PartnerLeadGranted
                | A::PartnerLeadRevoked
                | A::RequestApproved
                | A::ReviewRemovedAccess
        )
    )
}

/// Changes that end a partner's access.
fn ends_access(kind: ChangeKind) -> bool {
    use AuditAction as A;
    matches!(
        kind,
        ChangeKind::Audited(
            A::PartnerRemoved
                | A::PartnerAccessEnded
                | A::PartnerEndedByTeam
                | A::PartnerAccessExpired
                | A::ReviewRemovedAccess
        )
    )
}

#[cfg(test)]
mod tests {
    use partner_api::{PartnerRole, TeamRole};

    use super::*;
    use crate::domain::authz::View;

    fn person(id: &str, team: &str, role: Option<TeamRole>, manager: bool) -> Caller {
        Caller {
            user_id: id.into(),
            name: id.into(),
            email: format!("{id}@x.test"),
            team_id: Some(team.into()),
            team_role: role.or(Some(TeamRole::Member)),
            is_partner_manager: manager,
            sso_session: false,
            view: None,
        }
    }

    fn workspace(multi: bool, partner_role: Option<PartnerRole>) -> WorkspaceFacts {
        WorkspaceFacts {
            id: "ws".into(),
            publisher_team_id: "acme".into(),
            is_partner_workspace: true,
            multi_partner_mode: multi,
            member_role: None,
            partner_role,
            partner_lead: false,
            access_ended: false,
            sso_required_by: None,
        }
    }

    fn change(action: AuditAction, partner_team: Option<&str>, subject: Option<&str>) -> Change {
        Change {
            kind: ChangeKind::Audited(action),
            team: "acme".into(),
            workspace: Some("ws".into()),
            partner_team: partner_team.map(TeamId::from),
            subject: subject.map(UserId::from),
            actor: Some("alice".into()),
        }
    }

    fn events(change: &Change, caller: &Caller, ws: Option<&WorkspaceFacts>) -> Vec<Event> {
        let receiver = Receiver {
            caller,
            workspace: ws,
            partner_of_team: false,
        };
        events_for(change, &receiver, Some("Alice Adams"))
    }

    #[test]
    fn in_multi_partner_mode_a_partner_hears_nothing_of_another_partner_team() {
        let uma = person("uma", "umbrella", None, false);
        let viewer = Some(PartnerRole::Viewer);
        let removed = change(AuditAction::PartnerRemoved, Some("initech"), Some("ivan"));
        assert_eq!(events(&removed, &uma, Some(&workspace(true, viewer))), []);
        // Without multi-partner mode every partner sees the partner list.
        assert_eq!(
            events(&removed, &uma, Some(&workspace(false, viewer))),
            [Event::WorkspaceChanged {
                workspace: "ws".into(),
                change: WorkspaceChange::Partners,
                by: None,
            }]
        );
        // Their own team's changes reach them, without who made them.
        let own = change(
            AuditAction::PartnerRoleChanged,
            Some("umbrella"),
            Some("ulla"),
        );
        assert_eq!(events(&own, &uma, Some(&workspace(true, viewer))).len(), 1);
    }

    #[test]
    fn the_person_whose_access_ended_is_told_so_and_nothing_more() {
        let ivan = person("ivan", "initech", None, false);
        let removed = change(AuditAction::PartnerRemoved, Some("initech"), Some("ivan"));
        assert_eq!(
            events(&removed, &ivan, Some(&workspace(true, None))),
            [Event::AccessEnded {
                workspace: "ws".into()
            }]
        );
        // Someone else of Initech, without access there, hears nothing.
        let ines = person("ines", "initech", None, false);
        assert_eq!(events(&removed, &ines, Some(&workspace(true, None))), []);
    }

    #[test]
    fn the_publishers_people_hear_who_made_a_change_and_managers_hear_partnerships() {
        let paul = person("paul", "acme", None, true);
        let mike = person("mike", "acme", None, false);
        let invited = change(AuditAction::PartnerInvited, Some("globex"), Some("gary"));
        let by = Event::WorkspaceChanged {
            workspace: "ws".into(),
            change: WorkspaceChange::Partners,
            by: Some("Alice Adams".into()),
        };
        assert_eq!(
            events(&invited, &paul, Some(&workspace(true, None))),
            [Event::PartnershipsChanged, by.clone()]
        );
        assert_eq!(events(&invited, &mike, Some(&workspace(true, None))), [by]);
    }

    #[test]
    fn a_view_hears_workspace_events_inside_it_only() {
        let mut viewed = person("uma", "umbrella", None, false);
        viewed.view = Some(View {
            viewer_id: "alice".into(),
            publisher: "acme".into(),
            workspace: Some("other".into()),
        });
        let mode = change(AuditAction::MultiPartnerOn, None, None);
        let viewer = Some(PartnerRole::Viewer);
        assert_eq!(events(&mode, &viewed, Some(&workspace(false, viewer))), []);
        viewed.view.as_mut().unwrap().workspace = None;
        assert_eq!(
            events(&mode, &viewed, Some(&workspace(false, viewer))).len(),
            1
        );
        let renamed = Change {
            workspace: None,
            team: "umbrella".into(),
            ..change(AuditAction::TeamRenamed, None, None)
        };
        assert_eq!(events(&renamed, &viewed, None), []);
    }

    #[test]
    fn reviews_reach_team_admins_partner_managers_and_the_reviewer_only() {
        let decided = change(AuditAction::ReviewDecided, Some("globex"), Some("gary"));
        let alice = person("alice", "acme", Some(TeamRole::Admin), false);
        let mike = person("mike", "acme", None, false);
        let ws = workspace(false, None);
        assert!(events(&decided, &alice, Some(&ws)).contains(&Event::ReviewsChanged));
        assert!(!events(&decided, &mike, Some(&ws)).contains(&Event::ReviewsChanged));
        let by_mike = Change {
            actor: Some("mike".into()),
            ..decided
        };
        assert!(events(&by_mike, &mike, Some(&ws)).contains(&Event::ReviewsChanged));
    }

    #[test]
    fn only_people_a_change_names_are_looked_at() {
        let removed = change(AuditAction::PartnerRemoved, Some("initech"), Some("ivan"));
        assert!(may_concern(
            &removed,
            &"x".into(),
            Some(&"acme".into()),
            false
        ));
        assert!(may_concern(
            &removed,
            &"x".into(),
            Some(&"initech".into()),
            false
        ));
        assert!(may_concern(&removed, &"ivan".into(), None, false));
        assert!(may_concern(
            &removed,
            &"uma".into(),
            Some(&"umbrella".into()),
            true
        ));
        assert!(!may_concern(
            &removed,
            &"hana".into(),
            Some(&"hooli".into()),
            false
        ));
        // A renamed publisher: its partners are read as grantees, nobody else.
        let renamed = Change {
            workspace: None,
            ..change(AuditAction::TeamRenamed, None, None)
        };
        assert!(reaches_partners_of_team(&renamed));
        assert!(!reaches_partners_of_team(&removed));
        assert!(may_concern(
            &renamed,
            &"ivan".into(),
            Some(&"initech".into()),
            true
        ));
        assert!(!may_concern(
            &renamed,
            &"hana".into(),
            Some(&"hooli".into()),
            false
        ));
    }
}
