//! The OpenAPI document is generated from the handlers and covers the whole API.

use crate::helpers::{json, spawn_app};

#[tokio::test]
async fn the_openapi_document_covers_every_endpoint_and_error() {
    let app = spawn_app().await;

    let doc = json(app.get("/api/openapi.json").await).await;

    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let mut paths: Vec<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    paths.sort();
    assert_eq!(
        paths,
        [
            "/access-requests",
            "/access-requests/{id}/approve",
            "/access-requests/{id}/deny",
            "/dev/mailbox",
            "/events",
            "/health",
            "/invitations/{token}",
            "/invitations/{token}/accept",
            "/me",
            "/me/password",
            "/migration",
            "/partnerships",
            "/partnerships/sso-coverage",
            "/partnerships/{team_id}",
            "/partnerships/{team_id}/sso-requirement",
            "/reviews",
            "/reviews/choices",
            "/reviews/{id}",
            "/reviews/{id}/decisions",
            "/reviews/{id}/results.csv",
            "/seats",
            "/session",
            "/sso/callback",
            "/sso/discover",
            "/sso/start",
            "/team",
            "/team/audit-log",
            "/team/audit-log.csv",
            "/team/audit-log/filters",
            "/team/external-access",
            "/team/external-access.csv",
            "/team/external-access/end",
            "/team/invitations",
            "/team/invitations/{id}",
            "/team/invitations/{id}/resend",
            "/team/members",
            "/team/members/{user_id}",
            "/team/members/{user_id}/removal",
            "/team/sso",
            "/view-as",
            "/workspaces",
            "/workspaces/{id}",
            "/workspaces/{id}/access",
            "/workspaces/{id}/access-requests",
            "/workspaces/{id}/members",
            "/workspaces/{id}/partners",
            "/workspaces/{id}/partners/{user_id}",
            "/workspaces/{id}/partners/{user_id}/extend",
            "/workspaces/{id}/partners/{user_id}/lead",
            "/workspaces/{id}/settings",
        ]
    );
    // Every operation documents its error answers with the shared error body.
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for (method, operation) in operations.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            let errors: Vec<_> = responses
                .iter()
                .filter(|(status, _)| status.as_str() >= "400")
                .collect();
            assert!(!errors.is_empty(), "{method} {path} documents no error");
            for (status, response) in errors {
                let schema = &response["content"]["application/json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/ErrorBody",
                    "{method} {path} {status}"
                );
            }
        }
    }
    for schema in [
        "ErrorBody",
        "Me",
        "Workspace",
        "Members",
        "PartnerTeamDetail",
        "Seats",
        "MailboxEmail",
        "MigrationOverview",
        "MigrationPlan",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} missing"
        );
    }
}
