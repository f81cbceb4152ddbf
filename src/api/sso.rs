//! Single sign-on: `GET /api/sso/discover`, the browser navigation to `GET /api/sso/start`,
//! the team's identity provider (`GET` / `PUT` / `DELETE /api/team/sso`) and a publisher's
//! requirement of SSO for a partner team (`PUT /api/partnerships/{team_id}/sso-requirement`).

use gloo_net::http::Method;
use partner_api::TeamId;
use partner_api::sso::{
    SetSsoProvider, SetSsoRequirement, SsoDiscoverQuery, SsoDiscovery, SsoSettings, SsoStartQuery,
};

use super::{ApiError, client, path};

/// The path and query of `GET /api/sso/discover`.
pub fn discover_path(email: &str) -> String {
    let query = SsoDiscoverQuery {
        email: email.trim().to_owned(),
    };
    // Only strings: serializing cannot fail.
    format!(
        "/api/sso/discover?{}",
        serde_urlencoded::to_string(&query).unwrap_or_default()
    )
}

/// Whether the address's domain signs in through SSO (by domain only).
pub async fn discover(email: &str) -> Result<SsoDiscovery, ApiError> {
    client::get(&discover_path(email)).await
}

/// The address that starts an SSO sign-in for `email` and comes back to `return_to` (a path
/// of this site; the server replaces anything else by `/`).
pub fn start_url(email: &str, return_to: Option<&str>) -> String {
    let query = SsoStartQuery {
        email: email.trim().to_owned(),
        return_to: return_to.map(str::to_owned),
    };
    format!(
        "/api/sso/start?{}",
        serde_urlencoded::to_string(&query).unwrap_or_default()
    )
}

/// Starts an SSO sign-in: the browser leaves the app for the identity provider (a full
/// navigation, not a fetch: the provider's pages and the callback set the cookie).
pub fn start(email: &str, return_to: Option<&str>) {
    if let Some(window) = web_sys::window() {
        _ = window.location().assign(&start_url(email, return_to));
    }
}

/// The team's identity provider, its domains and redirect URI (Team Admins).
pub async fn settings() -> Result<SsoSettings, ApiError> {
    client::get("/api/team/sso").await
}

/// Sets up or changes the team's identity provider (the server reads its discovery
/// document first; 422 with `fields` when it can't).
pub async fn set_provider(provider: &SetSsoProvider) -> Result<SsoSettings, ApiError> {
    client::send(Method::PUT, "/api/team/sso", Some(provider)).await
}

/// Removes the team's identity provider (204).
pub async fn remove_provider() -> Result<(), ApiError> {
    client::send::<(), ()>(Method::DELETE, "/api/team/sso", None).await
}

/// `/api/partnerships/{team_id}/sso-requirement` with the id escaped.
fn requirement_path(team: &TeamId) -> String {
    format!(
        "/api/partnerships/{}/sso-requirement",
        path::segment(team.as_str())
    )
}

/// Requires (or stops requiring) that a partner team's people open our workspaces only from
/// an SSO session (204).
pub async fn set_requirement(team: &TeamId, required: bool) -> Result<(), ApiError> {
    client::send::<_, ()>(
        Method::PUT,
        &requirement_path(team),
        Some(&SetSsoRequirement { required }),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_return_paths_are_one_query_value_each() {
        assert_eq!(
            discover_path(" sam+x@soylent.test "),
            "/api/sso/discover?email=sam%2Bx%40soylent.test"
        );
        assert_eq!(
            start_url("sam@soylent.test", Some("/workspace/w1?q=a&b")),
            "/api/sso/start?email=sam%40soylent.test&return_to=%2Fworkspace%2Fw1%3Fq%3Da%26b"
        );
        assert_eq!(
            start_url("sam@soylent.test", None),
            "/api/sso/start?email=sam%40soylent.test"
        );
        assert_eq!(
            requirement_path(&TeamId::from("../t")),
            "/api/partnerships/%2E%2E%2Ft/sso-requirement"
        );
    }
}
