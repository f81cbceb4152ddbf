//! The changes the workspace settings panel makes: `PATCH /api/workspaces/{id}/settings`,
//! `POST …/partners`, `PATCH` and `DELETE …/partners/{user_id}`, and `PUT
//! …/partners/{user_id}/lead` (reading a workspace and its members is `api::workspaces`).

use gloo_net::http::Method;
use partner_api::expiry::AccessExtended;
use partner_api::workspaces::{
    ChangePartnerRole, InvitePartner, PartnerMember, SetPartnerLead, SettingsChanged, SettingsPatch,
};
use partner_api::{PartnerRole, UserId};

use super::{ApiError, client, path};

/// `/api/workspaces/{id}` with the id escaped: it comes from the address bar.
fn workspace_path(id: &str) -> String {
    format!("/api/workspaces/{}", path::segment(id))
}

fn partner_path(id: &str, user: &UserId) -> String {
    format!(
        "{}/partners/{}",
        workspace_path(id),
        path::segment(user.as_str())
    )
}

/// Changes name, summary, multi-partner mode or visibility; the answer says who changed role.
pub async fn update(id: &str, patch: &SettingsPatch) -> Result<SettingsChanged, ApiError> {
    client::send(
        Method::PATCH,
        &format!("{}/settings", workspace_path(id)),
        Some(patch),
    )
    .await
}

/// Invites one person of another team.
pub async fn invite(id: &str, invite: &InvitePartner) -> Result<PartnerMember, ApiError> {
    client::send(
        Method::POST,
        &format!("{}/partners", workspace_path(id)),
        Some(invite),
    )
    .await
}

/// Changes a partner's role.
pub async fn change_role(
    id: &str,
    user: &UserId,
    role: PartnerRole,
) -> Result<PartnerMember, ApiError> {
    client::send(
        Method::PATCH,
        &partner_path(id, user),
        Some(&ChangePartnerRole { role }),
    )
    .await
}

/// Makes a partner Partner Lead of this workspace (they invite and remove people of their
/// own team here), or not.
pub async fn set_lead(id: &str, user: &UserId, lead: bool) -> Result<PartnerMember, ApiError> {
    client::send(
        Method::PUT,
        &format!("{}/lead", partner_path(id, user)),
        Some(&SetPartnerLead { lead }),
    )
    .await
}

/// Extends a partner's access by the team's default period (30 days when the team has
/// none), from its current end: "Extend" in one click.
pub async fn extend(id: &str, user: &UserId) -> Result<AccessExtended, ApiError> {
    client::send::<(), _>(
        Method::POST,
        &format!("{}/extend", partner_path(id, user)),
        None,
    )
    .await
}

/// Removes a partner from this workspace.
pub async fn remove(id: &str, user: &UserId) -> Result<(), ApiError> {
    client::send::<(), ()>(Method::DELETE, &partner_path(id, user), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_the_address_bar_stay_one_path_segment() {
        assert_eq!(workspace_path("w_1"), "/api/workspaces/w_1");
        assert_eq!(workspace_path("../seats"), "/api/workspaces/%2E%2E%2Fseats");
        assert_eq!(
            partner_path("abc", &UserId::from("u1")),
            "/api/workspaces/abc/partners/u1"
        );
    }
}
