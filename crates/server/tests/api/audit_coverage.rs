//! Every audited action is written by the path that causes it, once per change, in the
//! change's own transaction: each step below counts the entries of its action before and
//! after. A new action without a step here fails the last check.

use std::collections::BTreeMap;

use partner_api::audit::AuditAction;
use partner_server::service;
use reqwest::Method;
use serde_json::json;
use time::{Duration, OffsetDateTime};

use crate::helpers::{TestApp, count, demo_ids, json, spawn_demo, text};

async fn counts(app: &TestApp) -> BTreeMap<String, i64> {
    let mut counts = BTreeMap::new();
    for action in AuditAction::ALL {
        let n = count(
            &app.db().await,
            "SELECT COUNT(*) FROM audit_log WHERE action = ?1",
            &[&action.as_str()],
        )
        .await;
        counts.insert(action.as_str().to_owned(), n);
    }
    counts
}

/// Checks that the last step wrote exactly `expected` entries, of these actions.
async fn wrote(
    app: &TestApp,
    before: &mut BTreeMap<String, i64>,
    step: &str,
    expected: &[(AuditAction, i64)],
) {
    let after = counts(app).await;
    for (action, n) in &after {
        let delta = n - before[action];
        let want = expected
            .iter()
            .find(|(a, _)| a.as_str() == action)
            .map_or(0, |(_, n)| *n);
        assert_eq!(delta, want, "{step}: {action}");
    }
    *before = after;
}

#[tokio::test]
async fn every_action_is_written_once_by_the_change_that_causes_it() {
    use AuditAction as A;
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let (alice, paul, wanda, gwen) = (
        app.session("alice").await,
        app.session("paul").await,
        app.session("wanda").await,
        app.session("gwen").await,
    );
    let mut seen = counts(&app).await;
    let partners = format!("/api/workspaces/{}/partners", ids.payments);
    let ok = |status: u16, what: &str| assert!((200..300).contains(&status), "{what}: {status}");

    // SSO: a publisher's requirement on and off, a view as a partner, a team's provider
    // set up and removed.
    let requirement = format!("/api/partnerships/{}/sso-requirement", ids.globex);
    for required in [true, false] {
        let status = alice
            .status(
                Method::PUT,
                &requirement,
                Some(json!({ "required": required })),
            )
            .await;
        ok(status, "sso requirement");
        wrote(
            &app,
            &mut seen,
            "sso requirement",
            &[(A::PartnerSsoRequirementChanged, 1)],
        )
        .await;
    }
    let status = alice
        .status(
            Method::PUT,
            &requirement,
            Some(json!({ "required": false })),
        )
        .await;
    ok(status, "sso requirement unchanged");
    wrote(&app, &mut seen, "sso requirement unchanged", &[]).await;
    let view = alice
        .status(
            Method::POST,
            "/api/view-as",
            Some(json!({ "partner": ids.ivan })),
        )
        .await;
    ok(view, "view as");
    wrote(&app, &mut seen, "view as", &[(A::PartnerViewedAs, 1)]).await;
    ok(
        alice.status(Method::DELETE, "/api/view-as", None).await,
        "end view",
    );
    let provider = crate::sso::provider_for(&app, "umbrella.test").await;
    let set = gwen
        .status(
            Method::PUT,
            "/api/team/sso",
            Some(
                json!({ "issuer": provider.issuer(), "client_id": "globex", "client_secret": "s" }),
            ),
        )
        .await;
    ok(set, "sso provider");
    wrote(
        &app,
        &mut seen,
        "sso provider",
        &[(A::TeamSsoProviderSet, 1)],
    )
    .await;
    ok(
        gwen.status(Method::DELETE, "/api/team/sso", None).await,
        "sso provider removed",
    );
    wrote(
        &app,
        &mut seen,
        "sso provider removed",
        &[(A::TeamSsoProviderRemoved, 1)],
    )
    .await;

    let uma = wanda
        .send(
            Method::POST,
            &partners,
            Some(json!({ "email": "uma@umbrella.test", "role": "viewer" })),
        )
        .await;
    ok(uma.status().as_u16(), "invite");
    wrote(&app, &mut seen, "invite", &[(A::PartnerInvited, 1)]).await;
    ok(
        wanda
            .status(
                Method::PATCH,
                &format!("{partners}/{}", ids.gina),
                Some(json!({ "role": "viewer" })),
            )
            .await,
        "role",
    );
    wrote(&app, &mut seen, "role", &[(A::PartnerRoleChanged, 1)]).await;
    for (lead, action) in [
        (true, A::PartnerLeadGranted),
        (false, A::PartnerLeadRevoked),
    ] {
        ok(
            wanda
                .status(
                    Method::PUT,
                    &format!("{partners}/{}/lead", ids.gary),
                    Some(json!({ "lead": lead })),
                )
                .await,
            "lead",
        );
        wrote(&app, &mut seen, "lead", &[(action, 1)]).await;
    }
    ok(
        wanda
            .status(
                Method::POST,
                &format!("{partners}/{}/extend", ids.gary),
                None,
            )
            .await,
        "extend",
    );
    wrote(&app, &mut seen, "extend", &[(A::PartnerAccessExtended, 1)]).await;
    ok(
        wanda
            .status(Method::DELETE, &format!("{partners}/{}", ids.uma), None)
            .await,
        "remove",
    );
    wrote(&app, &mut seen, "remove", &[(A::PartnerRemoved, 1)]).await;

    let fraud = format!("/api/workspaces/{}/settings", ids.fraud);
    for (on, action) in [(false, A::MultiPartnerOff), (true, A::MultiPartnerOn)] {
        ok(
            wanda
                .status(
                    Method::PATCH,
                    &fraud,
                    Some(json!({ "multi_partner_mode": on })),
                )
                .await,
            "mode",
        );
        wrote(&app, &mut seen, "mode", &[(action, 1)]).await;
    }
    let refunds = format!("/api/workspaces/{}/settings", ids.refunds);
    ok(
        wanda
            .status(
                Method::PATCH,
                &refunds,
                Some(json!({ "visibility": "internal" })),
            )
            .await,
        "visibility",
    );
    wrote(&app, &mut seen, "visibility", &[(A::VisibilityChanged, 1)]).await;

    ok(
        paul.status(
            Method::POST,
            &format!("/api/access-requests/{}/approve", ids.gary_request),
            None,
        )
        .await,
        "approve",
    );
    wrote(&app, &mut seen, "approve", &[(A::RequestApproved, 1)]).await;
    let uma_session = app.session("uma").await;
    let ask = format!("/api/workspaces/{}/access-requests", ids.payments);
    let asked = json(uma_session.send(Method::POST, &ask, Some(json!({}))).await).await;
    let request = asked["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{asked}"))
        .to_owned();
    ok(
        paul.status(
            Method::POST,
            &format!("/api/access-requests/{request}/deny"),
            None,
        )
        .await,
        "deny",
    );
    wrote(&app, &mut seen, "deny", &[(A::RequestDenied, 1)]).await;
    let asked = json(uma_session.send(Method::POST, &ask, Some(json!({}))).await).await;
    let request = asked["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{asked}"))
        .to_owned();
    // Her team changes under the request (as a directory sync would): approving drops it.
    crate::helpers::sql(
        &app.db().await,
        "UPDATE users SET team_id = ?1 WHERE id = ?2",
        &[&ids.acme, &ids.uma],
    )
    .await;
    assert_eq!(
        paul.status(
            Method::POST,
            &format!("/api/access-requests/{request}/approve"),
            None
        )
        .await,
        409
    );
    wrote(&app, &mut seen, "drop", &[(A::RequestDropped, 1)]).await;

    // A review of Fraud Signals: started, every grant removed, applied at its due time.
    let paul_id = text(
        &app.db().await,
        "SELECT id FROM users WHERE email = 'paul@acme.test'",
        &[],
    )
    .await;
    let due_on = (OffsetDateTime::now_utc() + Duration::days(3))
        .date()
        .to_string();
    let started = json(
        alice
            .send(
                Method::POST,
                "/api/reviews",
                Some(json!({
                    "scope": { "kind": "workspace", "workspace_id": ids.fraud },
                    "reviewers": [paul_id], "due_on": due_on, "undecided": "keep",
                })),
            )
            .await,
    )
    .await;
    let review = started["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{started}"))
        .to_owned();
    wrote(&app, &mut seen, "start review", &[(A::ReviewStarted, 1)]).await;
    let items = paul
        .get_json(&format!("/api/reviews/{review}?per_page=200"))
        .await["items"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| json!({ "workspace_id": i["workspace"]["id"], "user_id": i["person"]["id"] }))
        .collect::<Vec<_>>();
    let n = items.len() as i64;
    assert!(n >= 1);
    ok(
        paul.status(
            Method::POST,
            &format!("/api/reviews/{review}/decisions"),
            Some(json!({ "grants": items, "decision": "remove" })),
        )
        .await,
        "decide",
    );
    wrote(&app, &mut seen, "decide", &[(A::ReviewDecided, n)]).await;
    let active = count(
        &app.db().await,
        "SELECT COUNT(*) FROM access_review_items i JOIN partner_grants g ON g.workspace_id = i.workspace_id AND g.user_id = i.user_id
         JOIN users u ON u.id = g.user_id
         WHERE i.review_id = ?1 AND g.revoked_at IS NULL AND g.partner_team_id = u.team_id",
        &[&review],
    )
    .await;
    let due = OffsetDateTime::now_utc() + Duration::days(4);
    service::reviews::apply_due(&app.state.db, &app.state.links, due)
        .await
        .unwrap();
    wrote(
        &app,
        &mut seen,
        "apply review",
        &[(A::ReviewRemovedAccess, active), (A::ReviewApplied, 1)],
    )
    .await;

    let patch = json!({ "name": "Acme Co", "sso_enforced": true, "default_access": "days30", "audit_retention_days": 500 });
    let before_sso = alice.get_json("/api/team").await["sso_enforced"]
        .as_bool()
        .unwrap();
    let patch = if before_sso {
        json!({ "name": "Acme Co", "sso_enforced": false, "default_access": "days30", "audit_retention_days": 500 })
    } else {
        patch
    };
    ok(
        alice.status(Method::PATCH, "/api/team", Some(patch)).await,
        "team",
    );
    wrote(
        &app,
        &mut seen,
        "team",
        &[
            (A::TeamRenamed, 1),
            (A::TeamSsoChanged, 1),
            (A::TeamDefaultAccessChanged, 1),
            (A::TeamRetentionChanged, 1),
        ],
    )
    .await;

    let invited = json(
        alice
            .send(
                Method::POST,
                "/api/team/invitations",
                Some(json!({ "email": "zoe@acme.test" })),
            )
            .await,
    )
    .await;
    let invitation = invited["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{invited}"))
        .to_owned();
    wrote(&app, &mut seen, "invite member", &[(A::MemberInvited, 1)]).await;
    ok(
        alice
            .status(
                Method::POST,
                &format!("/api/team/invitations/{invitation}/resend"),
                None,
            )
            .await,
        "resend",
    );
    wrote(&app, &mut seen, "resend", &[(A::MemberInvitationResent, 1)]).await;
    ok(
        alice
            .status(
                Method::DELETE,
                &format!("/api/team/invitations/{}", ids.nora_invitation),
                None,
            )
            .await,
        "revoke",
    );
    wrote(
        &app,
        &mut seen,
        "revoke",
        &[(A::MemberInvitationRevoked, 1)],
    )
    .await;
    let link = text(
        &app.db().await,
        "SELECT link FROM email_outbox WHERE to_email = 'zoe@acme.test' ORDER BY created_at DESC LIMIT 1",
        &[],
    )
    .await;
    let token = link.rsplit('/').next().unwrap().to_owned();
    let joined = app
        .anonymous()
        .send(
            Method::POST,
            &format!("/api/invitations/{token}/accept"),
            Some(json!({ "name": "Zoe Zhu", "password": "a long enough password" })),
        )
        .await;
    ok(joined.status().as_u16(), "join");
    wrote(&app, &mut seen, "join", &[(A::MemberJoined, 1)]).await;

    let mike = format!("/api/team/members/{}", ids.mike);
    ok(
        alice
            .status(Method::PATCH, &mike, Some(json!({ "team_role": "admin" })))
            .await,
        "member role",
    );
    wrote(&app, &mut seen, "member role", &[(A::MemberRoleChanged, 1)]).await;
    ok(
        alice
            .status(
                Method::PATCH,
                &mike,
                Some(json!({ "is_partner_manager": true })),
            )
            .await,
        "manager",
    );
    wrote(&app, &mut seen, "manager", &[(A::PartnerManagerChanged, 1)]).await;
    let roles = count(
        &app.db().await,
        "SELECT COUNT(*) FROM workspace_members WHERE user_id = ?1",
        &[&ids.mike],
    )
    .await;
    ok(
        alice.status(Method::DELETE, &mike, None).await,
        "remove member",
    );
    wrote(
        &app,
        &mut seen,
        "remove member",
        &[(A::MemberRemoved, 1), (A::WorkspaceRoleEnded, roles)],
    )
    .await;
    let alice_id = ids.alice.clone();
    let wanda_id = text(
        &app.db().await,
        "SELECT id FROM users WHERE email = 'wanda@acme.test'",
        &[],
    )
    .await;
    let wandas = count(
        &app.db().await,
        "SELECT COUNT(*) FROM workspace_members WHERE user_id = ?1",
        &[&wanda_id],
    )
    .await;
    service::membership::remove_from_team(&app.db().await, &wanda_id, None)
        .await
        .unwrap();
    wrote(
        &app,
        &mut seen,
        "leave",
        &[(A::MemberLeft, 1), (A::WorkspaceRoleEnded, wandas)],
    )
    .await;
    assert_ne!(alice_id, wanda_id);

    // Globex's Team Admin: removing gary ends his grants; ending gina's external access.
    let garys = count(
        &app.db().await,
        "SELECT COUNT(*) FROM partner_grants WHERE user_id = ?1 AND revoked_at IS NULL",
        &[&ids.gary],
    )
    .await;
    ok(
        gwen.status(
            Method::DELETE,
            &format!("/api/team/members/{}", ids.gary),
            None,
        )
        .await,
        "gwen removes gary",
    );
    wrote(
        &app,
        &mut seen,
        "gwen removes gary",
        &[(A::MemberRemoved, 1), (A::PartnerAccessEnded, garys)],
    )
    .await;
    ok(
        gwen.status(
            Method::POST,
            "/api/team/external-access/end",
            Some(json!({ "publisher": ids.acme })),
        )
        .await,
        "end external",
    );
    let ginas = 1;
    wrote(
        &app,
        &mut seen,
        "end external",
        &[(A::PartnerEndedByTeam, ginas), (A::ExternalAccessEnded, 1)],
    )
    .await;

    // Expiry: every grant with an end before the pass's time ends, one entry each.
    let later = OffsetDateTime::now_utc() + Duration::days(40);
    let ending = count(
        &app.db().await,
        "SELECT COUNT(*) FROM partner_grants WHERE revoked_at IS NULL AND ends_at IS NOT NULL AND ends_at < ?1",
        &[&partner_server::db::timestamp(later)],
    )
    .await;
    assert!(ending >= 1, "ivan's demo grant ends in three days");
    service::expiry::pass(&app.state.db, &app.state.links, later)
        .await
        .unwrap();
    wrote(
        &app,
        &mut seen,
        "expiry",
        &[(A::PartnerAccessExpired, ending)],
    )
    .await;

    // Migration: a legacy workspace of Acme's, migrated now.
    app.state.db.generate_legacy(1, 1).await.unwrap();
    let run = alice
        .send(
            Method::POST,
            "/api/migration",
            Some(json!({ "dry_run": false })),
        )
        .await;
    ok(run.status().as_u16(), "migrate");
    crate::helpers::eventually(10, "the migration", || async {
        (count(
            &app.db().await,
            "SELECT COUNT(*) FROM audit_log WHERE action = 'workspace.migrated'",
            &[],
        )
        .await
            >= 1)
            .then_some(())
    })
    .await;
    wrote(&app, &mut seen, "migrate", &[(A::WorkspaceMigrated, 1)]).await;

    for action in AuditAction::ALL {
        assert!(
            seen[action.as_str()] >= 1,
            "no step writes {}",
            action.as_str()
        );
    }
}
