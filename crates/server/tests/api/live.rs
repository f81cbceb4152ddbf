//! Live updates (`GET /api/events`) over real HTTP: who receives which event (a matrix over
//! the demo's people), resuming with `Last-Event-ID`, resync, the caps, and the streams that
//! end (sign-out, expiry, leaving the team). Across servers on PostgreSQL in `scale_out`-style
//! tests below.

use std::collections::BTreeMap;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    DemoIds, Options, Session, TestApp, demo_ids, json, on_postgres, spawn_app_with, spawn_demo,
};

/// What one read of a stream found.
#[derive(Debug)]
pub enum Next {
    /// An event: its id, if any, and its JSON.
    Message(Option<i64>, Value),
    /// Nothing within the wait.
    Quiet,
    /// The server ended the stream.
    Closed,
}

/// One open event stream, read as a browser's EventSource would.
pub struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

impl EventStream {
    /// Opens the session's stream (resuming after `last` when given), asserting 200.
    pub async fn open(session: &Session, last: Option<i64>) -> Self {
        let response = Self::request(session, last).await;
        assert_eq!(response.status(), StatusCode::OK, "the stream opens");
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The stream's answer, whatever it is.
    pub async fn request(session: &Session, last: Option<i64>) -> reqwest::Response {
        let mut request = session.client.get(format!("{}/api/events", session.base));
        if let Some(last) = last {
            request = request.header("last-event-id", last.to_string());
        }
        request.send().await.expect("the server answers")
    }

    /// The next event within `wait`.
    pub async fn next(&mut self, wait: Duration) -> Next {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut id = None;
                let mut data = None;
                for line in block.lines() {
                    if let Some(value) = line.strip_prefix("data:") {
                        data = Some(value.trim().to_owned());
                    } else if let Some(value) = line.strip_prefix("id:") {
                        id = value.trim().parse().ok();
                    }
                }
                if let Some(data) = data {
                    let value = serde_json::from_str(&data).expect("an event is JSON");
                    return Next::Message(id, value);
                }
            }
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Err(_) => return Next::Quiet,
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                Ok(Ok(None) | Err(_)) => return Next::Closed,
            }
        }
    }

    /// Every event until the stream has been quiet for `quiet` (and whether it closed).
    pub async fn drain(&mut self, quiet: Duration) -> (Vec<(Option<i64>, Value)>, bool) {
        let mut got = Vec::new();
        loop {
            match self.next(quiet).await {
                Next::Message(id, value) => got.push((id, value)),
                Next::Quiet => return (got, false),
                Next::Closed => return (got, true),
            }
        }
    }

    /// Events until `count` have come (within `wait`), then whatever follows within a
    /// short quiet time: every event the step caused (the fan-out queues all of one change's
    /// receivers at once).
    pub async fn collect(&mut self, count: usize, wait: Duration) -> (Vec<Value>, bool) {
        let mut got = Vec::new();
        let deadline = tokio::time::Instant::now() + wait;
        while got.len() < count {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match self.next(left).await {
                Next::Message(_, value) => got.push(value),
                Next::Quiet => break,
                Next::Closed => return (got, true),
            }
        }
        let (more, closed) = self.drain(Duration::from_millis(250)).await;
        got.extend(more.into_iter().map(|(_, value)| value));
        (got, closed)
    }
}

/// An event as a line to compare: kind, the workspace's demo name, what changed, who.
fn describe(event: &Value, ids: &DemoIds) -> String {
    let mut text = event["kind"].as_str().unwrap_or("?").to_owned();
    if let Some(workspace) = event["workspace"].as_str() {
        let name = [
            (&ids.payments, "payments"),
            (&ids.fraud, "fraud"),
            (&ids.refunds, "refunds"),
            (&ids.internal, "internal"),
            (&ids.hooli_search, "hooli_search"),
        ]
        .into_iter()
        .find(|(id, _)| id.as_str() == workspace)
        .map_or("another", |(_, name)| name);
        text.push(' ');
        text.push_str(name);
    }
    if let Some(what) = event["change"]["what"].as_str() {
        text.push(' ');
        text.push_str(what);
        if let Some(on) = event["change"]["on"].as_bool() {
            text.push_str(if on { ":on" } else { ":off" });
        }
    }
    if let Some(by) = event["by"].as_str() {
        text.push_str(" by ");
        text.push_str(by);
    }
    text
}

/// The people who watch, each with an open stream.
struct Watchers {
    streams: BTreeMap<&'static str, (Session, EventStream)>,
}

impl Watchers {
    async fn open(app: &TestApp, logins: &[&'static str]) -> Self {
        let mut streams = BTreeMap::new();
        for login in logins {
            let session = app.session(login).await;
            let stream = EventStream::open(&session, None).await;
            streams.insert(*login, (session, stream));
        }
        Self { streams }
    }

    /// Checks that each watcher received exactly `expected[login]` (none for the rest).
    async fn expect(&mut self, ids: &DemoIds, step: &str, expected: &[(&str, &[&str])]) {
        for (login, (_, stream)) in &mut self.streams {
            let mut want: Vec<String> = expected
                .iter()
                .find(|(who, _)| who == login)
                .map(|(_, events)| events.iter().map(|e| (*e).to_owned()).collect())
                .unwrap_or_default();
            let (got, _) = stream.collect(want.len(), Duration::from_secs(5)).await;
            let mut got: Vec<String> = got.iter().map(|e| describe(e, ids)).collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{step}: what {login} received");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn each_change_reaches_exactly_the_people_who_may_read_it() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let mut people = Watchers::open(
        &app,
        &[
            "alice", "paul", "wanda", "mike", "ivan", "uma", "gina", "gary", "hana", "gwen",
        ],
    )
    .await;
    let wanda = app.session("wanda").await;
    let alice = app.session("alice").await;
    let paul = app.session("paul").await;
    let hana = app.session("hana").await;

    // Multi-partner mode in Payments API: Acme's people hear who did it; Payments' partners
    // hear that it changed; nobody else hears anything.
    let on = json!({ "multi_partner_mode": true });
    let path = format!("/api/workspaces/{}/settings", ids.payments);
    assert_eq!(wanda.status(Method::PATCH, &path, Some(on)).await, 200);
    let by_wanda = "workspace_changed payments multi_partner_mode:on by Wanda Wells";
    let told = "workspace_changed payments multi_partner_mode:on";
    people
        .expect(
            &ids,
            "multi-partner mode",
            &[
                ("alice", &[by_wanda]),
                ("paul", &[by_wanda]),
                ("wanda", &[by_wanda]),
                ("mike", &[by_wanda]),
                ("ivan", &[told]),
                ("gina", &[told]),
                ("gary", &[told]),
            ],
        )
        .await;

    // Ivan removed from Fraud Signals (multi-partner mode on): he hears his access ended;
    // Uma, the other partner there, hears nothing of Initech.
    let path = format!("/api/workspaces/{}/partners/{}", ids.fraud, ids.ivan);
    assert_eq!(alice.status(Method::DELETE, &path, None).await, 204);
    let by_alice = "workspace_changed fraud partners by Alice Adams";
    people
        .expect(
            &ids,
            "ivan removed from Fraud Signals",
            &[
                ("alice", &[by_alice, "partnerships_changed"]),
                ("paul", &[by_alice, "partnerships_changed"]),
                ("wanda", &[by_alice]),
                ("mike", &[by_alice]),
                ("ivan", &["access_ended fraud"]),
            ],
        )
        .await;

    // Paul approves Gary's request to Fraud Signals: those who decide requests hear it, and
    // Gary; Uma (Umbrella) hears nothing of Globex.
    let path = format!("/api/access-requests/{}/approve", ids.gary_request);
    assert_eq!(paul.status(Method::POST, &path, Some(json!({}))).await, 200);
    let by_paul = "workspace_changed fraud partners by Paul Parker";
    people
        .expect(
            &ids,
            "gary's request approved",
            &[
                (
                    "alice",
                    &[
                        by_paul,
                        "partnerships_changed",
                        "access_requests_changed fraud",
                    ],
                ),
                (
                    "paul",
                    &[
                        by_paul,
                        "partnerships_changed",
                        "access_requests_changed fraud",
                    ],
                ),
                ("wanda", &[by_paul, "access_requests_changed fraud"]),
                ("mike", &[by_paul]),
                (
                    "gary",
                    &[
                        "workspace_changed fraud partners",
                        "access_requests_changed fraud",
                    ],
                ),
            ],
        )
        .await;

    // Hooli renamed: its people, and its partners (whose lists show its name).
    let renamed = json!({ "name": "Hooli XYZ" });
    assert_eq!(
        hana.status(Method::PATCH, "/api/team", Some(renamed)).await,
        200
    );
    people
        .expect(
            &ids,
            "Hooli renamed",
            &[
                ("hana", &["team_changed"]),
                ("ivan", &["workspaces_changed"]),
            ],
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_partner_asking_for_access_shows_on_the_publishers_open_pages_only() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let mut people = Watchers::open(&app, &["alice", "paul", "mike", "gina", "uma", "ivan"]).await;
    // Gina (Globex) asks for Fraud Signals, where Uma and Ivan are partners in
    // multi-partner mode.
    let gina = app.session("gina").await;
    let path = format!("/api/workspaces/{}/access-requests", ids.fraud);
    let body = json!({ "role": "viewer", "message": "For the fraud feed" });
    assert!(
        gina.send(Method::POST, &path, Some(body))
            .await
            .status()
            .is_success()
    );
    people
        .expect(
            &ids,
            "gina asks for access",
            &[
                (
                    "alice",
                    &["access_requests_changed fraud", "partnerships_changed"],
                ),
                (
                    "paul",
                    &["access_requests_changed fraud", "partnerships_changed"],
                ),
                ("gina", &["access_requests_changed fraud"]),
            ],
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_view_as_partner_hears_what_the_partner_would_within_the_view() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    // Alice views Fraud Signals as Uma; Ivan (Initech) is removed there, then Uma's own
    // grant is extended, then Hooli changes one of Ivan's workspaces (outside the view).
    let alice = app.session("alice").await;
    let start = json!({ "partner": ids.uma, "workspace": ids.fraud });
    assert_eq!(
        alice
            .status(Method::POST, "/api/view-as", Some(start))
            .await,
        200
    );
    let mut view = EventStream::open(&alice, None).await;

    let paul = app.session("paul").await;
    let path = format!("/api/workspaces/{}/partners/{}", ids.fraud, ids.ivan);
    assert_eq!(paul.status(Method::DELETE, &path, None).await, 204);
    let hana = app.session("hana").await;
    let on = json!({ "multi_partner_mode": true });
    let path = format!("/api/workspaces/{}/settings", ids.hooli_search);
    assert_eq!(hana.status(Method::PATCH, &path, Some(on)).await, 200);
    let path = format!("/api/workspaces/{}/partners/{}/extend", ids.fraud, ids.uma);
    let extend = json!({});
    let extended = paul.status(Method::POST, &path, Some(extend)).await;
    assert_eq!(extended, 200, "uma's access extended");

    let (got, _) = view.collect(1, Duration::from_secs(5)).await;
    let got: Vec<String> = got.iter().map(|e| describe(e, &ids)).collect();
    assert_eq!(
        got,
        ["workspace_changed fraud partners"],
        "the view hears Uma's change only"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_stream_ends_at_sign_out_at_expiry_and_when_its_person_leaves_the_team() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;

    // Sign-out (from another tab of the same session): the stream says so and ends.
    let ivan = app.session("ivan").await;
    let mut ivan_stream = EventStream::open(&ivan, None).await;
    assert_eq!(ivan.status(Method::DELETE, "/api/session", None).await, 204);
    let (got, closed) = ivan_stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(got, [json!({ "kind": "session_ended" })]);
    assert!(closed, "the stream ended at sign-out");
    assert_eq!(EventStream::request(&ivan, None).await.status(), 401);

    // Expiry: the sweep ends the stream of a session past its time.
    let uma = app.session("uma").await;
    let mut uma_stream = EventStream::open(&uma, None).await;
    app.sql(
        "UPDATE sessions SET expires_at = '2000-01-01T00:00:00.000000000Z' WHERE user_id = ?1",
        &[&ids.uma],
    )
    .await;
    partner_server::live::sweep(&app.state).await;
    let (got, closed) = uma_stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(got, [json!({ "kind": "session_ended" })]);
    assert!(closed, "the stream ended at expiry");

    // Mike removed from Acme: removal ends his sessions, and his stream with them.
    let mike = app.session("mike").await;
    let mut mike_stream = EventStream::open(&mike, None).await;
    let alice = app.session("alice").await;
    let path = format!("/api/team/members/{}", ids.mike);
    let removed = alice.send(Method::DELETE, &path, None).await.status();
    assert!(removed.is_success(), "mike removed: {removed}");
    let (got, closed) = mike_stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(got, [json!({ "kind": "session_ended" })]);
    assert!(closed, "a removed member's stream ends");

    // Someone whose team changed under a session that lives (arranged here): the stream
    // tells the browser to read everything again and ends; it reconnects as who they are.
    let gary = app.session("gary").await;
    let mut gary_stream = EventStream::open(&gary, None).await;
    app.sql(
        "UPDATE users SET team_id = NULL, team_role = NULL WHERE id = ?1",
        &[&ids.gary],
    )
    .await;
    partner_server::live::sweep(&app.state).await;
    let (got, closed) = gary_stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(got, [json!({ "kind": "resync" })]);
    assert!(closed, "an ex-member's stream ends");
    let mut again = EventStream::open(&gary, None).await;
    assert!(matches!(
        again.next(Duration::from_millis(200)).await,
        Next::Quiet
    ));
    drop(again);
    crate::helpers::eventually(5, "every stream gone from the hub", || async {
        app.state.live.is_empty().then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_browser_that_reconnects_is_sent_what_it_missed_or_told_to_resync() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let gina = app.session("gina").await;
    let wanda = app.session("wanda").await;
    let settings = format!("/api/workspaces/{}/settings", ids.payments);

    let mut stream = EventStream::open(&gina, None).await;
    let on = json!({ "multi_partner_mode": true });
    assert_eq!(wanda.status(Method::PATCH, &settings, Some(on)).await, 200);
    let Next::Message(Some(seen), _) = stream.next(Duration::from_secs(5)).await else {
        panic!("an event with an id");
    };
    drop(stream);

    // Missed while away: off, then on again.
    for on in [false, true] {
        let body = json!({ "multi_partner_mode": on });
        assert_eq!(
            wanda.status(Method::PATCH, &settings, Some(body)).await,
            200
        );
    }
    let mut resumed = EventStream::open(&gina, Some(seen)).await;
    let (got, _) = resumed.drain(Duration::from_millis(500)).await;
    // A change can come twice (live and in the replay, when it committed as the stream
    // reopened): by number, once each.
    let after: Vec<String> = got
        .iter()
        .filter_map(|(id, e)| id.filter(|id| *id > seen).map(|id| (id, describe(e, &ids))))
        .collect::<BTreeMap<i64, String>>()
        .into_values()
        .collect();
    assert_eq!(
        after,
        [
            "workspace_changed payments multi_partner_mode:off",
            "workspace_changed payments multi_partner_mode:on"
        ],
        "what gina missed, in order"
    );

    // A stream the web app opens itself says where it was in the query (EventSource can't
    // set the header): the same events.
    let query = format!("{}/api/events?last_event_id={seen}", gina.base);
    let response = gina.client.get(query).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut reopened = EventStream {
        response,
        buffer: String::new(),
    };
    let (again, _) = reopened.drain(Duration::from_millis(500)).await;
    let again: Vec<String> = again
        .iter()
        .filter_map(|(id, e)| id.filter(|id| *id > seen).map(|id| (id, describe(e, &ids))))
        .collect::<BTreeMap<i64, String>>()
        .into_values()
        .collect();
    assert_eq!(again, after, "resumed by the query parameter");
    let bad = format!("{}/api/events?last_event_id=yesterday", gina.base);
    let refused = gina.client.get(bad).send().await.unwrap();
    assert!(refused.status().is_client_error());
    assert!(json(refused).await["error"]["code"].is_string());

    // A number the log doesn't hold (never, or no longer): one resync.
    let mut unknown = EventStream::open(&gina, Some(seen + 1_000_000)).await;
    let (got, _) = unknown.drain(Duration::from_millis(300)).await;
    assert_eq!(got, [(None, json!({ "kind": "resync" }))]);
    partner_server::jobs::prune_changes(&app.state)
        .await
        .unwrap();
    app.sql("DELETE FROM change_log", &[]).await;
    let mut pruned = EventStream::open(&gina, Some(seen)).await;
    let (got, _) = pruned.drain(Duration::from_millis(300)).await;
    assert_eq!(got, [(None, json!({ "kind": "resync" }))]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn streams_are_capped_per_session_and_answer_json_errors() {
    let app = spawn_demo().await;
    assert_eq!(
        EventStream::request(&app.anonymous(), None).await.status(),
        401
    );
    let paul = app.session("paul").await;
    let mut open = Vec::new();
    for _ in 0..partner_server::live::STREAMS_PER_SESSION {
        open.push(EventStream::open(&paul, None).await);
    }
    let refused = EventStream::request(&paul, None).await;
    assert_eq!(refused.status(), 429);
    let body = json(refused).await;
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(body["error"]["message"].as_str().unwrap().contains("tabs"));
    // Another session of the same person is not held back.
    let other = app.session("paul").await;
    let _other = EventStream::open(&other, None).await;
    // A closed tab frees its place.
    open.pop();
    crate::helpers::eventually(5, "a freed stream place", || async {
        (EventStream::request(&paul, None).await.status() == 200).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn streams_on_another_server_hear_the_change_and_resync_after_a_lost_listener() {
    if !on_postgres() {
        // SQLite is one process: its broadcast is in-process (see live::fan_out).
        return;
    }
    let a = spawn_demo().await;
    let b = spawn_app_with(Options {
        database: Some(a.database.clone()),
        ..Options::default()
    })
    .await;
    let ids = demo_ids(&a).await;
    let ivan_b = b.session("ivan").await;
    let mut stream = EventStream::open(&ivan_b, None).await;
    let wanda_a = a.session("wanda").await;
    let on = json!({ "multi_partner_mode": true });
    let path = format!("/api/workspaces/{}/settings", ids.payments);
    assert_eq!(wanda_a.status(Method::PATCH, &path, Some(on)).await, 200);
    let (got, _) = stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(
        got.iter().map(|e| describe(e, &ids)).collect::<Vec<_>>(),
        ["workspace_changed payments multi_partner_mode:on"]
    );

    // Server B's LISTEN connection dies: what was sent meanwhile is lost, so B's streams
    // are told to resync.
    let killed: i64 = crate::helpers::count(
        &a.state.db,
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN%'",
        &[],
    )
    .await;
    assert!(killed >= 1, "the listeners were found");
    let (got, _) = stream.collect(1, Duration::from_secs(5)).await;
    assert_eq!(got, [json!({ "kind": "resync" })]);
    // And it listens again (once reconnected: a change made before that is lost too).
    let mut heard = false;
    for round in 0..10 {
        let body = json!({ "multi_partner_mode": round % 2 == 1 });
        assert_eq!(wanda_a.status(Method::PATCH, &path, Some(body)).await, 200);
        let (got, _) = stream.collect(1, Duration::from_secs(1)).await;
        if got.iter().any(|e| e["kind"] == "workspace_changed") {
            heard = true;
            break;
        }
    }
    assert!(heard, "server B listens again after losing its connection");
}

#[tokio::test]
async fn a_workspace_read_for_many_people_is_what_each_of_them_reads() {
    let app = spawn_demo().await;
    let db = &app.state.db;
    let people = crate::helpers::texts(db, "SELECT id FROM users ORDER BY id", &[]).await;
    let workspaces = crate::helpers::texts(db, "SELECT id FROM workspaces ORDER BY id", &[]).await;
    assert!(people.len() > 10 && workspaces.len() > 4);
    for workspace in &workspaces {
        let many = db.workspace_for_people(workspace, &people).await.unwrap();
        assert_eq!(many.len(), people.len(), "one row per person");
        for row in many {
            let caller = partner_server::domain::authz::Caller {
                user_id: row.person_id.as_str().into(),
                name: String::new(),
                email: String::new(),
                team_id: None,
                team_role: None,
                is_partner_manager: false,
                sso_session: false,
                view: None,
            };
            let alone = db.workspace(workspace, &caller).await.unwrap().unwrap();
            assert_eq!(row.workspace.facts(), alone.facts(), "{}", row.person_id);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_tab_is_not_sent_back_what_it_did_itself_and_its_other_tabs_are() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let wanda = app.session("wanda").await;
    let open_tab = |tab: &'static str, after: Option<i64>| {
        let wanda = wanda.clone();
        async move {
            let resume = after.map_or(String::new(), |id| format!("&last_event_id={id}"));
            let url = format!("{}/api/events?tab={tab}{resume}", wanda.base);
            let response = wanda.client.get(url).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            EventStream {
                response,
                buffer: String::new(),
            }
        }
    };
    let mut acting = open_tab("tab-aaaaaaaa", None).await;
    let mut other = open_tab("tab-bbbbbbbb", None).await;
    let patch = |workspace: &str, on: bool, tab: Option<&'static str>| {
        let mut request = wanda
            .client
            .patch(format!(
                "{}/api/workspaces/{workspace}/settings",
                wanda.base
            ))
            .header(partner_api::CSRF_HEADER, partner_api::CSRF_VALUE)
            .json(&json!({ "multi_partner_mode": on }));
        if let Some(tab) = tab {
            request = request.header("x-tab-id", tab);
        }
        request.send()
    };
    // A change from no tab in particular (an API client): every tab hears it.
    assert_eq!(patch(&ids.fraud, false, None).await.unwrap().status(), 200);
    let Next::Message(Some(before), _) = acting.next(Duration::from_secs(5)).await else {
        panic!("the acting tab hears a change it didn't make");
    };
    let _ = other.next(Duration::from_secs(5)).await;
    // Tab A turns on multi-partner mode in Payments API.
    let on = patch(&ids.payments, true, Some("tab-aaaaaaaa"))
        .await
        .unwrap();
    assert_eq!(on.status(), 200);
    let (got, _) = other.collect(1, Duration::from_secs(5)).await;
    assert_eq!(
        got.iter().map(|e| describe(e, &ids)).collect::<Vec<_>>(),
        ["workspace_changed payments multi_partner_mode:on by Wanda Wells"],
        "the same person's other tab hears it"
    );
    let (got, _) = acting.drain(Duration::from_millis(300)).await;
    assert_eq!(got, [], "the tab that did it is not told again");
    // Nor when it resumes from before the change; the other tab is.
    let mut resumed = open_tab("tab-aaaaaaaa", Some(before)).await;
    let (got, _) = resumed.drain(Duration::from_millis(300)).await;
    assert!(
        got.iter()
            .all(|(_, e)| e["workspace"] != json!(ids.payments)),
        "{got:?}"
    );
    let mut resumed = open_tab("tab-bbbbbbbb", Some(before)).await;
    let (got, _) = resumed.drain(Duration::from_millis(300)).await;
    assert!(
        got.iter().any(|(_, e)| describe(e, &ids)
            == "workspace_changed payments multi_partner_mode:on by Wanda Wells"),
        "{got:?}"
    );
}
