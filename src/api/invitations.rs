//! A team invitation's link: `GET /api/invitations/{token}` (what it offers, to anyone
//! holding it) and `POST /api/invitations/{token}/accept` (join, signing up if need be).

use gloo_net::http::Method;
use partner_api::Me;
use partner_api::team::{AcceptInvitation, InvitationPreview};

use super::{ApiError, client, path};

/// `/api/invitations/{token}` with the token escaped: it comes from the address bar.
fn invitation_path(token: &str) -> String {
    format!("/api/invitations/{}", path::segment(token))
}

/// The team, address and role an invitation link offers, and whether that address has an
/// account (404 `invitation_invalid` when the link no longer works).
pub async fn preview(token: &str) -> Result<InvitationPreview, ApiError> {
    client::get(&invitation_path(token)).await
}

/// Joins the team: signed in as the invited address with an empty body; without an
/// account, `name` and `password` create it and sign in. The answer is who is signed in.
pub async fn accept(token: &str, accept: &AcceptInvitation) -> Result<Me, ApiError> {
    client::send(
        Method::POST,
        &format!("{}/accept", invitation_path(token)),
        Some(accept),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_from_the_address_bar_stay_one_path_segment() {
        assert_eq!(invitation_path("abc_DEF-1"), "/api/invitations/abc_DEF-1");
        assert_eq!(
            invitation_path("../team/members"),
            "/api/invitations/%2E%2E%2Fteam%2Fmembers"
        );
    }
}
