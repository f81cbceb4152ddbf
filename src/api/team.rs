//! Team Settings > General and Members: `GET` / `PATCH /api/team`, the team's members
//! (`/api/team/members…`, with what removing one ends) and its pending invitations
//! (`/api/team/invitations…`).

use gloo_net::http::Method;
use partner_api::team::{
    InviteMember, MemberPatch, MemberRemoved, RemovalImpact, TeamInvitation, TeamMember,
    TeamMembersQuery, TeamPatch, TeamSettings,
};
use partner_api::{InvitationId, Paginated, UserId};

use super::{ApiError, client, path};

/// `/api/team/members/{user_id}` with the id escaped.
fn member_path(user: &UserId) -> String {
    format!("/api/team/members/{}", path::segment(user.as_str()))
}

/// `/api/team/invitations/{id}` with the id escaped.
fn invitation_path(id: &InvitationId) -> String {
    format!("/api/team/invitations/{}", path::segment(id.as_str()))
}

/// `base` with the query (a blank search left out; the query serializes percent-encoded).
fn with_query(base: &str, query: &TeamMembersQuery) -> String {
    let query = TeamMembersQuery {
        q: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
        ..query.clone()
    };
    // Only strings and numbers: serializing cannot fail.
    match serde_urlencoded::to_string(&query).unwrap_or_default() {
        encoded if encoded.is_empty() => base.to_owned(),
        encoded => format!("{base}?{encoded}"),
    }
}

/// The path and query of `GET /api/team/members`.
pub fn members_path(query: &TeamMembersQuery) -> String {
    with_query("/api/team/members", query)
}

/// The path and query of `GET /api/team/invitations`.
pub fn invitations_path(query: &TeamMembersQuery) -> String {
    with_query("/api/team/invitations", query)
}

/// The caller's team: name, plan, seats, domains, SSO setting and what they may change.
pub async fn get() -> Result<TeamSettings, ApiError> {
    client::get("/api/team").await
}

/// Changes the team's name or its SSO setting (Team Admins).
pub async fn update(patch: &TeamPatch) -> Result<TeamSettings, ApiError> {
    client::send(Method::PATCH, "/api/team", Some(patch)).await
}

/// One page of the team's members, by name.
pub async fn members(query: &TeamMembersQuery) -> Result<Paginated<TeamMember>, ApiError> {
    client::get(&members_path(query)).await
}

/// Changes a member's team role or Partner Manager flag (Team Admins).
pub async fn update_member(user: &UserId, patch: &MemberPatch) -> Result<TeamMember, ApiError> {
    client::send(Method::PATCH, &member_path(user), Some(patch)).await
}

/// What removing a member would end, or why it would be refused.
pub async fn removal(user: &UserId) -> Result<RemovalImpact, ApiError> {
    client::get(&format!("{}/removal", member_path(user))).await
}

/// Removes a member from the team: their partner grants, workspace roles and sessions end.
pub async fn remove_member(user: &UserId) -> Result<MemberRemoved, ApiError> {
    client::send::<(), _>(Method::DELETE, &member_path(user), None).await
}

/// One page of the team's pending invitations (Team Admins).
pub async fn invitations(query: &TeamMembersQuery) -> Result<Paginated<TeamInvitation>, ApiError> {
    client::get(&invitations_path(query)).await
}

/// Invites someone to join the team (an email with a link).
pub async fn invite(invite: &InviteMember) -> Result<TeamInvitation, ApiError> {
    client::send(Method::POST, "/api/team/invitations", Some(invite)).await
}

/// Sends an invitation's email again, with a new link (the old one stops working).
pub async fn resend(id: &InvitationId) -> Result<TeamInvitation, ApiError> {
    client::send::<(), _>(
        Method::POST,
        &format!("{}/resend", invitation_path(id)),
        None,
    )
    .await
}

/// Revokes a pending invitation: its link stops working.
pub async fn revoke(id: &InvitationId) -> Result<(), ApiError> {
    client::send::<(), ()>(Method::DELETE, &invitation_path(id), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(
            member_path(&UserId::from("u_mike")),
            "/api/team/members/u_mike"
        );
        assert_eq!(
            member_path(&UserId::from("../team")),
            "/api/team/members/%2E%2E%2Fteam"
        );
        assert_eq!(
            invitation_path(&InvitationId::from("i/1?x")),
            "/api/team/invitations/i%2F1%3Fx"
        );
    }

    #[test]
    fn the_list_query_is_percent_encoded_and_leaves_out_a_blank_search() {
        assert_eq!(
            members_path(&TeamMembersQuery::default()),
            "/api/team/members"
        );
        assert_eq!(
            members_path(&TeamMembersQuery {
                q: Some(" mike & co/ä ".to_owned()),
                page: Some(2),
                per_page: Some(50),
            }),
            "/api/team/members?q=mike+%26+co%2F%C3%A4&page=2&per_page=50"
        );
        assert_eq!(
            invitations_path(&TeamMembersQuery {
                q: Some("  ".to_owned()),
                page: Some(1),
                per_page: None,
            }),
            "/api/team/invitations?page=1"
        );
    }
}
