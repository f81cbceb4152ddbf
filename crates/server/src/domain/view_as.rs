//! What a "view as partner" session may do: read what the partner reads about workspaces,
//! nothing else. (Which workspaces it covers is [`super::authz::View::covers`].)

use axum::http::Method;

use crate::error::AppError;

/// Why anything else is refused.
const READ_ONLY: &str =
    "You're viewing as a partner: this view only reads. Exit the view to make changes.";
const OUTSIDE: &str = "You're viewing as a partner: this view shows only the workspaces you shared with them. Exit the view to see the rest.";

/// Whether a view session may make this request (`path` as the client sent it).
pub fn allows(method: &Method, path: &str) -> Result<(), AppError> {
    if method != Method::GET && method != Method::HEAD {
        return Err(AppError::ViewOnly(READ_ONLY));
    }
    let path = path.strip_prefix("/api").unwrap_or(path);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let allowed = matches!(
        segments.as_slice(),
        ["me" | "workspaces" | "events"]
            | ["workspaces", _]
            | ["workspaces", _, "members" | "access"]
    );
    if allowed {
        Ok(())
    } else {
        Err(AppError::ViewOnly(OUTSIDE))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_reads_workspaces_and_nothing_else() {
        for path in [
            "/api/me",
            "/api/workspaces",
            "/api/workspaces/ws-1",
            "/api/workspaces/ws-1/members",
            "/api/workspaces/ws-1/access",
        ] {
            assert!(allows(&Method::GET, path).is_ok(), "{path}");
        }
        for path in [
            "/api/team",
            "/api/team/external-access",
            "/api/partnerships",
            "/api/team/audit-log",
            "/api/reviews",
            "/api/workspaces/ws-1/partners/u/lead",
            "/api/dev/mailbox",
        ] {
            assert!(
                matches!(allows(&Method::GET, path), Err(AppError::ViewOnly(_))),
                "{path}"
            );
        }
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            assert!(matches!(
                allows(&method, "/api/workspaces/ws-1/access-requests"),
                Err(AppError::ViewOnly(_))
            ));
        }
    }
}
