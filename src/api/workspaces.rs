//! `GET /api/workspaces`, one workspace, its members, the caller's access, and access
//! requests.

use gloo_net::http::Method;
use partner_api::access_requests::{MyAccessRequest, NewAccessRequest};
use partner_api::workspaces::{Members, MyAccess, Workspace, WorkspacesQuery};
use partner_api::{Paginated, WorkspaceTab};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::{ApiError, client, path};

/// What a query value escapes: everything but unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'~');

/// `/api/workspaces/{id}` with the id escaped as one path segment, so an id taken from
/// the address bar can never reach another endpoint.
fn workspace_path(id: &str) -> String {
    format!("/api/workspaces/{}", path::segment(id))
}

/// The path and query of `GET /api/workspaces` (defaults are left out).
pub fn list_path(query: &WorkspacesQuery) -> String {
    let mut params = Vec::new();
    if let Some(tab) = query.tab.filter(|tab| *tab != WorkspaceTab::All) {
        params.push(format!("tab={tab}"));
    }
    if let Some(q) = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        params.push(format!("q={}", utf8_percent_encode(q, QUERY_VALUE)));
    }
    if let Some(page) = query.page.filter(|page| *page > 1) {
        params.push(format!("page={page}"));
    }
    if let Some(per_page) = query.per_page {
        params.push(format!("per_page={per_page}"));
    }
    if params.is_empty() {
        "/api/workspaces".to_owned()
    } else {
        format!("/api/workspaces?{}", params.join("&"))
    }
}

/// One page of a tab of Workspaces.
pub async fn list(query: &WorkspacesQuery) -> Result<Paginated<Workspace>, ApiError> {
    client::get(&list_path(query)).await
}

/// One workspace: 404 `not_found` for anyone without access, 403 `access_ended` for a
/// partner whose access ended with their team.
pub async fn get(id: &str) -> Result<Workspace, ApiError> {
    client::get(&workspace_path(id)).await
}

/// The path and query of a workspace's members list, only those whose name or email
/// contains `q` when it is given.
pub fn members_path(id: &str, q: Option<&str>) -> String {
    let path = format!("{}/members", workspace_path(id));
    match q.map(str::trim).filter(|q| !q.is_empty()) {
        Some(q) => format!("{path}?q={}", utf8_percent_encode(q, QUERY_VALUE)),
        None => path,
    }
}

/// The members list, as the caller may see it (multi-partner mode already applied): at
/// most 200 people in each list, with the totals; `q` finds the others.
pub async fn members(id: &str, q: Option<&str>) -> Result<Members, ApiError> {
    client::get(&members_path(id, q)).await
}

/// What the caller has in a workspace and their latest access request (never its name).
pub async fn access(id: &str) -> Result<MyAccess, ApiError> {
    client::get(&format!("{}/access", workspace_path(id))).await
}

/// Asks the publisher for access; an already pending request is answered as it is.
pub async fn request_access(
    id: &str,
    request: &NewAccessRequest,
) -> Result<MyAccessRequest, ApiError> {
    client::send(
        Method::POST,
        &format!("{}/access-requests", workspace_path(id)),
        Some(request),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_stay_one_path_segment() {
        assert_eq!(workspace_path("w_ab-12"), "/api/workspaces/w_ab-12");
        assert_eq!(
            workspace_path("../session"),
            "/api/workspaces/%2E%2E%2Fsession"
        );
    }

    #[test]
    fn member_searches_are_one_query_value() {
        assert_eq!(members_path("w1", None), "/api/workspaces/w1/members");
        assert_eq!(members_path("w1", Some("  ")), "/api/workspaces/w1/members");
        assert_eq!(
            members_path("w1", Some(" gina&q=x ")),
            "/api/workspaces/w1/members?q=gina%26q%3Dx"
        );
    }

    #[test]
    fn list_queries_carry_only_what_differs_from_the_defaults() {
        assert_eq!(list_path(&WorkspacesQuery::default()), "/api/workspaces");
        assert_eq!(
            list_path(&WorkspacesQuery {
                tab: Some(WorkspaceTab::SharedPartner),
                q: Some(" fraud & co ".to_owned()),
                page: Some(2),
                per_page: None,
            }),
            "/api/workspaces?tab=shared_partner&q=fraud%20%26%20co&page=2"
        );
        assert_eq!(
            list_path(&WorkspacesQuery {
                tab: Some(WorkspaceTab::All),
                q: Some("  ".to_owned()),
                page: Some(1),
                per_page: Some(20),
            }),
            "/api/workspaces?per_page=20"
        );
    }
}
