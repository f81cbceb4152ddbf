//! Access requests to the caller's team's workspaces: `GET /api/access-requests` and
//! `POST /api/access-requests/{id}/approve|deny`.

use gloo_net::http::Method;
use partner_api::access_requests::{
    AccessDecision, AccessRequest, AccessRequestStatus, AccessRequestsQuery,
};
use partner_api::expiry::{AccessEnd, Approve};
use partner_api::{AccessRequestId, Paginated};

use super::{ApiError, client, path};

/// Most pending requests shown at once (the API's largest page).
pub const PENDING_PAGE_SIZE: u32 = partner_api::pagination::MAX_PER_PAGE;

/// The path and query of `GET /api/access-requests`.
pub fn list_path(query: &AccessRequestsQuery) -> String {
    // Only enums and numbers: serializing cannot fail.
    let encoded = serde_urlencoded::to_string(query).unwrap_or_default();
    if encoded.is_empty() {
        "/api/access-requests".to_owned()
    } else {
        format!("/api/access-requests?{encoded}")
    }
}

fn decision_path(id: &AccessRequestId, decision: &str) -> String {
    format!(
        "/api/access-requests/{}/{decision}",
        path::segment(id.as_str())
    )
}

/// Requests to the caller's team's workspaces, filtered by status.
pub async fn list(query: &AccessRequestsQuery) -> Result<Paginated<AccessRequest>, ApiError> {
    client::get(&list_path(query)).await
}

/// The requests waiting for a decision (the first [`PENDING_PAGE_SIZE`]; `total` counts all).
pub async fn pending() -> Result<Paginated<AccessRequest>, ApiError> {
    list(&AccessRequestsQuery {
        status: Some(AccessRequestStatus::Pending),
        page: None,
        per_page: Some(PENDING_PAGE_SIZE),
    })
    .await
}

/// Approves a request: the requester gets the role they asked for (Editor needs a seat),
/// until `ends` (the team's default when `None`).
pub async fn approve(
    id: &AccessRequestId,
    ends: Option<AccessEnd>,
) -> Result<AccessDecision, ApiError> {
    client::send(
        Method::POST,
        &decision_path(id, "approve"),
        Some(&Approve { ends }),
    )
    .await
}

/// Denies a request.
pub async fn deny(id: &AccessRequestId) -> Result<AccessDecision, ApiError> {
    client::send::<(), _>(Method::POST, &decision_path(id, "deny"), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_carry_the_status_and_an_escaped_id() {
        assert_eq!(
            list_path(&AccessRequestsQuery::default()),
            "/api/access-requests"
        );
        assert_eq!(
            list_path(&AccessRequestsQuery {
                status: Some(AccessRequestStatus::Pending),
                page: Some(2),
                per_page: Some(200),
            }),
            "/api/access-requests?status=pending&page=2&per_page=200"
        );
        assert_eq!(
            decision_path(&AccessRequestId::from("ar_1"), "approve"),
            "/api/access-requests/ar_1/approve"
        );
        assert_eq!(
            decision_path(&AccessRequestId::from("../x"), "deny"),
            "/api/access-requests/%2E%2E%2Fx/deny"
        );
    }
}
