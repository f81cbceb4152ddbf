//! The authorization matrix: every endpoint × every demo persona → the expected status.
//! Read it against shared/PRODUCT.md ("Rules the server enforces") and shared/API.md.
//!
//! Personas: alice (Acme Team Admin), paul (Acme Partner Manager), wanda (Acme Workspace
//! Admin of Payments API and Fraud Signals), mike (Acme member), gina (Globex, Editor in
//! Payments API), gary (Globex, Viewer in Payments API; pending request for Fraud Signals),
//! ivan (Initech: Payments, Fraud, Refunds, Hooli Search), uma (Umbrella: Fraud Signals),
//! hana (Hooli Team Admin), gwen (Globex Team Admin, partner nowhere), ed (left Globex: no
//! team), anon (signed out). gina is also Partner Lead of Payments API for Globex.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{DemoIds, Session, demo_ids, spawn_demo};

const PERSONAS: [&str; 12] = [
    "alice", "paul", "wanda", "mike", "gina", "gary", "ivan", "uma", "hana", "gwen", "ed", "anon",
];

/// One row: a request (path built from the demo ids) and the status per persona, in the
/// order of `PERSONAS`.
struct Row {
    method: Method,
    path: fn(&DemoIds) -> String,
    body: Option<fn() -> Value>,
    expect: [u16; 12],
}

macro_rules! row {
    ($method:ident $path:expr, $body:expr => [$($s:expr),+ $(,)?]) => {
        Row { method: Method::$method, path: $path, body: $body, expect: [$($s),+] }
    };
}

/// Requests that change nothing: checked against one demo database.
fn reads() -> Vec<Row> {
    vec![
        //                                                           alice paul wanda mike gina gary ivan uma hana gwen ed anon
        row!(GET |_| "/api/me".into(), None =>                        [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
        row!(GET |_| "/api/partnerships".into(), None =>              [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |i| format!("/api/partnerships/{}", i.globex), None => [200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(GET |i| format!("/api/partnerships/{}", i.initech), None => [200, 200, 403, 403, 403, 403, 403, 403, 200, 404, 403, 401]),
        row!(GET |_| "/api/partnerships/no-such-team".into(), None => [404, 404, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(GET |_| "/api/access-requests".into(), None =>           [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |_| "/api/seats".into(), None =>                     [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
        row!(GET |_| "/api/workspaces?tab=shared_partner".into(), None => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
        row!(GET |i| format!("/api/workspaces/{}", i.payments), None => [200, 200, 200, 200, 200, 200, 200, 404, 404, 404, 403, 401]),
        row!(GET |i| format!("/api/workspaces/{}", i.fraud), None =>  [200, 200, 200, 200, 404, 404, 200, 200, 404, 404, 403, 401]),
        row!(GET |i| format!("/api/workspaces/{}", i.refunds), None => [200, 200, 200, 200, 404, 404, 200, 404, 404, 404, 404, 401]),
        row!(GET |i| format!("/api/workspaces/{}", i.internal), None => [200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 401]),
        row!(GET |i| format!("/api/workspaces/{}", i.hooli_search), None => [404, 404, 404, 404, 404, 404, 200, 404, 200, 404, 404, 401]),
        row!(GET |_| "/api/workspaces/no-such-workspace".into(), None => [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 401]),
        row!(GET |i| format!("/api/workspaces/{}/members", i.fraud), None => [200, 200, 200, 200, 404, 404, 200, 200, 404, 404, 403, 401]),
        row!(GET |i| format!("/api/workspaces/{}/access", i.fraud), None => [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 401]),
        row!(GET |i| format!("/api/workspaces/{}/access", i.internal), None => [200, 200, 200, 200, 404, 404, 404, 404, 404, 404, 404, 401]),
        row!(GET |_| "/api/migration".into(), None =>                [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        // A dry run changes nothing: Team Admins only.
        row!(POST |_| "/api/migration".into(), Some(|| json!({"dry_run": true})) =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        // Changing one's password: anyone signed in (a wrong current password changes nothing).
        row!(PUT |_| "/api/me/password".into(), Some(|| json!({"current_password": "not-it", "new_password": "a long new password"})) =>
                                                                      [422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 401]),
        // The dev mailbox: anyone, in demo mode.
        row!(GET |_| "/api/dev/mailbox".into(), None =>               [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        // No-op changes: the permission is checked, nothing moves.
        row!(PATCH |i| format!("/api/workspaces/{}/settings", i.payments), Some(|| json!({})) =>
                                                                      [200, 403, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        // Team Settings: every member sees General and Members; Team Admins the rest.
        row!(GET |_| "/api/team".into(), None =>                      [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
        row!(GET |_| "/api/team/members".into(), None =>              [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
        row!(GET |_| "/api/team/invitations".into(), None =>          [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |i| format!("/api/team/members/{}/removal", i.mike), None =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(GET |_| "/api/team/external-access".into(), None =>      [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |_| "/api/team/external-access.csv".into(), None =>  [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        // The audit log: a team's Team Admins and Partner Managers, their own team's.
        row!(GET |_| "/api/team/audit-log".into(), None =>            [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |_| "/api/team/audit-log/filters".into(), None =>    [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |_| "/api/team/audit-log.csv".into(), None =>        [200, 200, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        // Access reviews: the team's own, to its Team Admins and the reviewers; partners never.
        row!(GET |_| "/api/reviews".into(), None =>                   [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403, 401]),
        row!(GET |_| "/api/reviews/choices".into(), None =>           [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(GET |i| format!("/api/reviews/{}", i.review), None =>    [200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401]),
        row!(GET |i| format!("/api/reviews/{}/results.csv", i.review), None =>
                                                                      [200, 200, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401]),
        row!(POST |_| "/api/reviews".into(), Some(|| json!({"scope": {"kind": "all"}, "reviewers": [], "due_on": "2099-01-01", "undecided": "keep"})) =>
                                                                      [422, 403, 403, 403, 403, 403, 403, 403, 422, 422, 403, 401]),
        row!(GET |_| "/api/invitations/no-such-link".into(), None =>  [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        row!(POST |_| "/api/invitations/no-such-link/accept".into(), Some(|| json!({})) =>
                                                                      [404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404]),
        // No-op and refused changes: the permission is checked, nothing moves.
        row!(PATCH |_| "/api/team".into(), Some(|| json!({})) =>      [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(PATCH |i| format!("/api/team/members/{}", i.alice), Some(|| json!({"team_role": "member"})) =>
                                                                      [409, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(DELETE |i| format!("/api/team/members/{}", i.alice), None =>
                                                                      [409, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(POST |_| "/api/team/external-access/end".into(), Some(|| json!({"publisher": "no-such-team"})) =>
                                                                      [404, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(PUT |i| format!("/api/workspaces/{}/partners/{}/lead", i.payments, i.gary), Some(|| json!({"lead": false})) =>
                                                                      [200, 200, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        row!(PATCH |i| format!("/api/workspaces/{}/partners/{}", i.payments, i.gary), Some(|| json!({"role": "viewer"})) =>
                                                                      [200, 200, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
    ]
}

/// Requests that change something: each persona gets a fresh demo database.
fn writes() -> Vec<Row> {
    vec![
        //                                                           alice paul wanda mike gina gary ivan uma hana gwen ed anon
        row!(POST |i| format!("/api/workspaces/{}/partners", i.payments), Some(|| json!({"email": "uma@umbrella.test", "role": "viewer"})) =>
                                                                      [201, 201, 201, 403, 422, 403, 403, 404, 404, 404, 403, 401]),
        // gina, Partner Lead of Payments API, removes a Globex colleague.
        row!(DELETE |i| format!("/api/workspaces/{}/partners/{}", i.payments, i.gary), None =>
                                                                      [204, 204, 204, 403, 204, 403, 403, 404, 404, 404, 403, 401]),
        // A Partner Lead invites a colleague of their own team; nobody else's.
        row!(POST |i| format!("/api/workspaces/{}/partners", i.payments), Some(|| json!({"email": "gwen@globex.test", "role": "viewer"})) =>
                                                                      [201, 201, 201, 403, 201, 403, 403, 404, 404, 404, 403, 401]),
        row!(DELETE |i| format!("/api/workspaces/{}/partners/{}", i.payments, i.ivan), None =>
                                                                      [204, 204, 204, 403, 404, 403, 403, 404, 404, 404, 403, 401]),
        // A Partner Lead is made by the publisher only; nobody removes themselves as lead.
        row!(PUT |i| format!("/api/workspaces/{}/partners/{}/lead", i.payments, i.gary), Some(|| json!({"lead": true})) =>
                                                                      [200, 200, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        row!(DELETE |i| format!("/api/workspaces/{}/partners/{}", i.payments, i.gina), None =>
                                                                      [204, 204, 204, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        // Team Settings: Team Admins change their own team only.
        row!(PATCH |_| "/api/team".into(), Some(|| json!({"sso_enforced": false})) =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(POST |i| format!("/api/team/invitations/{}/resend", i.nora_invitation), None =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(DELETE |i| format!("/api/team/invitations/{}", i.nora_invitation), None =>
                                                                      [204, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(POST |_| "/api/team/invitations".into(), Some(|| json!({"email": "zed@example.test"})) =>
                                                                      [201, 403, 403, 403, 403, 403, 403, 403, 201, 201, 403, 401]),
        row!(DELETE |i| format!("/api/team/members/{}", i.mike), None =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(PATCH |i| format!("/api/team/members/{}", i.mike), Some(|| json!({"is_partner_manager": true})) =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        // External access: a partner team's Team Admin ends their own people's access;
        // Acme's and Hooli's people have none with Acme (404).
        row!(POST |_| "/api/team/external-access/end".into(), Some(|| json!({"grants": []})) =>
                                                                      [422, 403, 403, 403, 403, 403, 403, 403, 422, 422, 403, 401]),
        row!(PATCH |i| format!("/api/workspaces/{}/settings", i.payments), Some(|| json!({"multi_partner_mode": true})) =>
                                                                      [200, 403, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        row!(POST |i| format!("/api/access-requests/{}/deny", i.gary_request), None =>
                                                                      [200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(POST |i| format!("/api/reviews/{}/decisions", i.review), Some(|| json!({"grants": [], "decision": "keep"})) =>
                                                                      [422, 422, 404, 404, 404, 404, 404, 404, 404, 404, 403, 401]),
        // Extending access: the publisher's partner managers; a Partner Lead can't.
        row!(POST |i| format!("/api/workspaces/{}/partners/{}/extend", i.payments, i.gary), None =>
                                                                      [200, 200, 200, 403, 403, 403, 403, 404, 404, 404, 403, 401]),
        row!(PATCH |_| "/api/team".into(), Some(|| json!({"default_access": "days30", "audit_retention_days": 500})) =>
                                                                      [200, 403, 403, 403, 403, 403, 403, 403, 200, 200, 403, 401]),
        row!(POST |i| format!("/api/access-requests/{}/approve", i.gary_request), Some(|| json!({"ends": {"period": "days7"}})) =>
                                                                      [200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(POST |i| format!("/api/access-requests/{}/approve", i.gary_request), None =>
                                                                      [200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        row!(DELETE |i| format!("/api/partnerships/{}", i.umbrella), None =>
                                                                      [200, 200, 403, 403, 403, 403, 403, 403, 404, 404, 403, 401]),
        // Migrate now answers at once (202, the run); Hooli has nothing to migrate (409).
        row!(POST |_| "/api/migration".into(), Some(|| json!({"dry_run": false})) =>
                                                                      [202, 403, 403, 403, 403, 403, 403, 403, 409, 409, 403, 401]),
        // Publisher members already have access (409); gary's request is pending (200);
        // ed has no team to hold access (403).
        row!(POST |i| format!("/api/workspaces/{}/access-requests", i.fraud), Some(|| json!({"message": "please"})) =>
                                                                      [409, 409, 409, 409, 201, 200, 409, 409, 201, 201, 403, 401]),
    ]
}

impl Row {
    /// Sends the row's request as the persona of `column` (their place in `PERSONAS`); what
    /// went wrong when the status is not the one the row expects of them.
    async fn mismatch(&self, ids: &DemoIds, column: usize, session: &Session) -> Option<String> {
        let path = (self.path)(ids);
        let status = session
            .status(self.method.clone(), &path, self.body.map(|b| b()))
            .await;
        let expected = self.expect[column];
        (status != expected).then(|| {
            format!(
                "{}: {} {path} → {status}, expected {expected}",
                PERSONAS[column], self.method
            )
        })
    }
}

#[tokio::test]
async fn every_read_answers_each_persona_as_the_rules_say() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let mut sessions = Vec::new();
    for persona in PERSONAS {
        sessions.push(app.session(persona).await);
    }
    let mut failures = Vec::new();
    for row in reads() {
        for (column, session) in sessions.iter().enumerate() {
            failures.extend(row.mismatch(&ids, column, session).await);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[tokio::test]
async fn every_write_answers_each_persona_as_the_rules_say() {
    let mut failures = Vec::new();
    for row in writes() {
        for (column, persona) in PERSONAS.iter().enumerate() {
            let app = spawn_demo().await;
            let ids = demo_ids(&app).await;
            let session = app.session(persona).await;
            failures.extend(row.mismatch(&ids, column, &session).await);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// For list answers, the exact sets of names each persona sees.
#[tokio::test]
async fn lists_show_each_persona_exactly_their_own() {
    let app = spawn_demo().await;
    let names = |v: &Value, key: &str| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| {
                let mut value = item;
                for part in key.split('.') {
                    value = &value[part];
                }
                value.as_str().unwrap().to_owned()
            })
            .collect()
    };
    let shared = [
        ("alice", vec![]),
        ("gina", vec!["Payments API"]),
        ("gary", vec!["Payments API"]),
        (
            "ivan",
            vec![
                "Fraud Signals",
                "Payments API",
                "Refunds API",
                "Hooli Search API",
            ],
        ),
        ("uma", vec!["Fraud Signals"]),
        ("hana", vec![]),
        ("ed", vec![]),
    ];
    for (persona, expected) in shared {
        let session = app.session(persona).await;
        let list = session.get_json("/api/workspaces?tab=shared_partner").await;
        assert_eq!(
            names(&list, "name"),
            expected,
            "{persona}'s External Workspaces"
        );
        assert_eq!(list["total"], expected.len(), "{persona}'s total");
    }
    let own = [
        (
            "mike",
            vec![
                "Fraud Signals",
                "Internal Tools",
                "Payments API",
                "Refunds API",
            ],
        ),
        ("hana", vec!["Hooli Search API"]),
        ("ivan", vec![]),
        ("ed", vec![]),
    ];
    for (persona, expected) in own {
        let session = app.session(persona).await;
        let list = session.get_json("/api/workspaces?tab=all").await;
        assert_eq!(names(&list, "name"), expected, "{persona}'s own workspaces");
    }
    let alice = app.session("alice").await;
    let teams = alice.get_json("/api/partnerships").await;
    assert_eq!(
        names(&teams, "team.name"),
        ["Globex", "Initech", "Umbrella"]
    );
    let hana = app.session("hana").await;
    assert_eq!(
        names(&hana.get_json("/api/partnerships").await, "team.name"),
        ["Initech", "Soylent"]
    );
    let requests = alice.get_json("/api/access-requests").await;
    assert_eq!(names(&requests, "user.email"), ["gary@globex.test"]);
    assert!(names(&hana.get_json("/api/access-requests").await, "user.email").is_empty());
}
