//! The partnership summaries (migration 0003) stay exactly what the partner grants say,
//! whatever changes them: the API's writes, team removals, sign-ins, `generate`, and plain
//! SQL. The oracle is the aggregate the list used to compute on every request.

use partner_server::db::Db;
use reqwest::Method;
use serde_json::{Value, json};

use partner_api::PageRequest;
use partner_api::partnerships::{PartnershipSort, SsoFilter};

use crate::helpers::{
    Options, Session, demo_ids, email, fresh_database, json, on_postgres, rows, spawn_app_with,
    spawn_demo, text,
};

type Summary = (
    String,
    String,
    String,
    String,
    bool,
    i64,
    i64,
    i64,
    Option<String>,
    i64,
);

/// The summaries recomputed from the grants, by the rule of `active_grant!`.
const ORACLE: &str = "
    SELECT g.publisher_team_id, g.partner_team_id, t.name, t.domain, t.sso_enforced,
           COUNT(DISTINCT g.user_id), COUNT(DISTINCT CASE WHEN u.last_sign_in_sso THEN g.user_id END),
           COUNT(DISTINCT g.workspace_id), MAX(u.last_sign_in_at),
           COUNT(CASE WHEN g.role = 'editor' THEN 1 END)
    FROM partner_grants g JOIN users u ON u.id = g.user_id JOIN teams t ON t.id = g.partner_team_id
    WHERE g.revoked_at IS NULL
      AND g.partner_team_id = (SELECT team_id FROM users WHERE users.id = g.user_id)
    GROUP BY g.publisher_team_id, g.partner_team_id, t.name, t.domain, t.sso_enforced
    ORDER BY 1, 2";

/// Fails the test unless summaries, totals and the search index all match the grants.
pub(crate) async fn assert_exact(db: &Db, after: &str) {
    let expected: Vec<Summary> = rows(db, ORACLE).await;
    let stored: Vec<Summary> = rows(
        db,
        "SELECT publisher_team_id, partner_team_id, name, domain, sso_enforced, partner_count,
                partners_sso, workspace_count, last_active_at, editor_grants
         FROM partnership_summaries ORDER BY 1, 2",
    )
    .await;
    assert_eq!(stored, expected, "summaries after {after}");

    let mut expected_totals: Vec<(String, i64, i64, i64, i64, i64)> = Vec::new();
    for s in &expected {
        match expected_totals.last_mut() {
            Some(t) if t.0 == s.0 => {
                t.1 += 1;
                t.2 += i64::from(s.4);
                t.3 += s.5;
                t.4 += s.6;
                t.5 += s.9;
            }
            _ => expected_totals.push((s.0.clone(), 1, i64::from(s.4), s.5, s.6, s.9)),
        }
    }
    let totals: Vec<(String, i64, i64, i64, i64, i64)> = rows(db, "SELECT publisher_team_id, teams, teams_sso_enforced, partners, partners_sso, editor_grants
         FROM partnership_totals WHERE teams <> 0 OR partners <> 0 OR editor_grants <> 0 ORDER BY 1").await;
    assert_eq!(totals, expected_totals, "totals after {after}");

    // The character totals count the teams whose mask has each bit.
    let expected_chars: Vec<(String, i64, i64, i64)> = rows(
        db,
        "WITH RECURSIVE b(bit) AS (SELECT 0 UNION ALL SELECT bit + 1 FROM b WHERE bit < 37)
         SELECT s.publisher_team_id, CAST(b.bit AS BIGINT),
                COUNT(*), CAST(SUM(CASE WHEN s.sso_enforced THEN 1 ELSE 0 END) AS BIGINT)
         FROM partnership_summaries s JOIN b ON s.chars_mask & (CAST(1 AS BIGINT) << b.bit) <> 0
         GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .await;
    let chars: Vec<(String, i64, i64, i64)> = rows(
        db,
        "SELECT publisher_team_id, bit, teams, teams_sso_enforced FROM partnership_char_totals
         WHERE teams <> 0 OR teams_sso_enforced <> 0 ORDER BY 1, 2",
    )
    .await;
    assert_eq!(chars, expected_chars, "character totals after {after}");

    // No bulk load left maintenance paused or a recomputation pending.
    let (paused, pending): (i64, i64) = rows(
        db,
        "SELECT (SELECT COUNT(*) FROM partnership_refresh_paused),
                (SELECT COUNT(*) FROM partnership_refresh_pending)",
    )
    .await[0];
    assert_eq!((paused, pending), (0, 0), "maintenance after {after}");

    // The trigram index holds exactly the trigrams of the summaries' names and domains
    // (lowered as LIKE folds case, each closed by a unit separator), under their publisher.
    let summaries: Vec<(String, i64, String, String)> = rows(
        db,
        "SELECT publisher_team_id, id, name, domain FROM partnership_summaries",
    )
    .await;
    let mut expected_trigrams = std::collections::BTreeSet::new();
    for (publisher, id, name, domain) in summaries {
        for text in [name, domain] {
            let chars: Vec<char> = text
                .chars()
                .map(|c| c.to_ascii_lowercase())
                .chain(['\u{1f}'])
                .collect();
            for window in chars.windows(3) {
                expected_trigrams.insert((
                    publisher.clone(),
                    window.iter().collect::<String>(),
                    id,
                ));
            }
        }
    }
    let indexed: std::collections::BTreeSet<(String, String, i64)> = rows(
        db,
        "SELECT k.publisher_team_id, t.trigram, t.summary_id
         FROM partnership_trigrams t JOIN partnership_publisher_keys k ON k.key = t.publisher_key",
    )
    .await
    .into_iter()
    .collect();
    assert!(
        indexed == expected_trigrams,
        "search index after {after}: {} entries missing, {} extra",
        expected_trigrams.difference(&indexed).count(),
        indexed.difference(&expected_trigrams).count()
    );
}

async fn sql(db: &Db, statement: &str) {
    crate::helpers::sql(db, statement, &[]).await;
}

/// The list pages a Partnerships user looks at, as the API serves them (pages it kept from
/// before the change included) and as the database answers them now: the same.
async fn assert_served_fresh(alice: &Session, db: &Db, after: &str) {
    let acme: String = text(db, "SELECT id FROM teams WHERE domain = 'acme.test'", &[]).await;
    let pages = [
        ("", None, None, "name", 1, 50),
        ("q=init", Some("init"), None, "name", 1, 50),
        ("q=g", Some("g"), None, "name", 1, 50),
        (
            "sso=enforced",
            None,
            Some(SsoFilter::Enforced),
            "name",
            1,
            50,
        ),
        ("sort=-last_active", None, None, "-last_active", 1, 50),
        (
            "sort=-partners&per_page=1&page=2",
            None,
            None,
            "-partners",
            2,
            1,
        ),
    ];
    for (query, q, sso, sort, page, per_page) in pages {
        let served = alice.get_json(&format!("/api/partnerships?{query}")).await;
        let now = partner_server::service::partnerships::list(
            db,
            &acme,
            q,
            sso,
            sort.parse::<PartnershipSort>().unwrap(),
            PageRequest::new(Some(page), Some(per_page)).unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            served,
            serde_json::to_value(now).unwrap(),
            "after {after}: /api/partnerships?{query}"
        );
    }
}

#[tokio::test]
async fn summaries_stay_exact_through_every_change_to_partner_access() {
    let app = spawn_demo().await;
    let ids = demo_ids(&app).await;
    let db = app.db().await;
    assert_exact(&db, "the demo data").await;
    let alice = app.session("alice").await;
    assert_served_fresh(&alice, &db, "the demo data").await;
    let ws = |id: &str| format!("/api/workspaces/{id}");

    // Invitations: a new workspace for a partner team, and a new partner team.
    let invite = |workspace: &str, login: &str, role: &str| {
        let alice = alice.clone();
        let path = format!("{}/partners", ws(workspace));
        let body = json!({ "email": email(login), "role": role });
        async move { alice.status(Method::POST, &path, Some(body)).await }
    };
    assert_eq!(invite(&ids.payments, "uma", "viewer").await, 201);
    assert_exact(&db, "inviting uma to Payments API").await;
    assert_served_fresh(&alice, &db, "inviting uma to Payments API").await;
    assert_eq!(invite(&ids.refunds, "gary", "editor").await, 201);
    assert_exact(&db, "inviting gary as an Editor").await;
    assert_served_fresh(&alice, &db, "inviting gary as an Editor").await;
    let hana = app.session("hana").await;
    let hooli_invite = hana
        .status(
            Method::POST,
            &format!("{}/partners", ws(&ids.hooli_search)),
            Some(json!({ "email": email("gina"), "role": "viewer" })),
        )
        .await;
    assert_eq!(hooli_invite, 201);
    assert_exact(&db, "Hooli inviting gina").await;
    assert_served_fresh(&alice, &db, "Hooli inviting gina").await;

    // Role changes move Editor seats.
    let role = |user: &str, to: &'static str| {
        let alice = alice.clone();
        let path = format!("{}/partners/{user}", ws(&ids.payments));
        async move {
            alice
                .status(Method::PATCH, &path, Some(json!({ "role": to })))
                .await
        }
    };
    assert_eq!(role(&ids.ivan, "editor").await, 200);
    assert_exact(&db, "ivan becoming an Editor").await;
    assert_served_fresh(&alice, &db, "ivan becoming an Editor").await;
    assert_eq!(role(&ids.gina, "viewer").await, 200);
    assert_exact(&db, "gina becoming a Viewer").await;
    assert_served_fresh(&alice, &db, "gina becoming a Viewer").await;
    assert_eq!(alice.get_json("/api/seats").await["editor_seats_used"], 2);

    // Removals: one grant, then a whole partner team, then re-inviting into it.
    assert_eq!(
        alice
            .status(
                Method::DELETE,
                &format!("{}/partners/{}", ws(&ids.refunds), ids.ivan),
                None
            )
            .await,
        204
    );
    assert_exact(&db, "removing ivan from Refunds API").await;
    assert_served_fresh(&alice, &db, "removing ivan from Refunds API").await;
    assert_eq!(
        alice
            .status(
                Method::DELETE,
                &format!("/api/partnerships/{}", ids.umbrella),
                None
            )
            .await,
        200
    );
    assert_exact(&db, "removing the Umbrella partnership").await;
    assert_served_fresh(&alice, &db, "removing the Umbrella partnership").await;
    assert_eq!(invite(&ids.fraud, "uma", "viewer").await, 201);
    assert_exact(&db, "re-inviting uma").await;
    assert_served_fresh(&alice, &db, "re-inviting uma").await;

    // Access requests, multi-partner mode, converting to internal.
    assert_eq!(
        alice
            .status(
                Method::POST,
                &format!("/api/access-requests/{}/approve", ids.gary_request),
                None
            )
            .await,
        200
    );
    assert_exact(&db, "approving gary's request").await;
    assert_served_fresh(&alice, &db, "approving gary's request").await;
    assert_eq!(
        alice
            .status(
                Method::PATCH,
                &format!("{}/settings", ws(&ids.payments)),
                Some(json!({ "multi_partner_mode": true })),
            )
            .await,
        200
    );
    assert_exact(&db, "multi-partner mode making Editors Viewers").await;
    assert_served_fresh(&alice, &db, "multi-partner mode making Editors Viewers").await;
    assert_eq!(
        alice
            .status(
                Method::PATCH,
                &format!("{}/settings", ws(&ids.fraud)),
                Some(json!({ "visibility": "internal" })),
            )
            .await,
        200
    );
    assert_exact(&db, "Fraud Signals becoming internal").await;
    assert_served_fresh(&alice, &db, "Fraud Signals becoming internal").await;

    // Leaving a team ends that person's share at once.
    partner_server::service::membership::remove_from_team(&db, &ids.gina, None)
        .await
        .unwrap();
    assert_exact(&db, "gina leaving Globex").await;
    assert_served_fresh(&alice, &db, "gina leaving Globex").await;

    // A sign-in moves the team's last activity and SSO share.
    let before = alice.get_json("/api/partnerships?q=initech").await;
    app.session("ivan").await;
    assert_exact(&db, "ivan signing in").await;
    assert_served_fresh(&alice, &db, "ivan signing in").await;
    let after = alice.get_json("/api/partnerships?q=initech").await;
    let signed_in: String = text(
        &db,
        "SELECT last_sign_in_at FROM users WHERE id = ?",
        &[&ids.ivan],
    )
    .await;
    assert_eq!(after["items"][0]["last_active_at"], signed_in.as_str());
    assert_ne!(
        before["items"][0]["last_active_at"],
        after["items"][0]["last_active_at"]
    );

    // Changes the API cannot make, made in SQL, are followed all the same.
    sql(&db, "UPDATE teams SET name = 'Initrode', domain = 'initrode.test', sso_enforced = TRUE WHERE domain = 'initech.test'").await;
    assert_exact(&db, "renaming a team and enforcing its SSO").await;
    assert_served_fresh(&alice, &db, "renaming a team and enforcing its SSO").await;
    assert_eq!(
        alice.get_json("/api/partnerships?q=initech").await["total"],
        0
    );
    assert_eq!(
        alice.get_json("/api/partnerships?q=initrode").await["total"],
        1
    );
    sql(
        &db,
        "UPDATE users SET team_id = NULL, team_role = NULL WHERE email = 'uma@umbrella.test'",
    )
    .await;
    assert_exact(&db, "uma leaving without her grants being revoked").await;
    assert_served_fresh(&alice, &db, "uma leaving without her grants being revoked").await;
    sql(&db, "UPDATE users SET team_id = (SELECT id FROM teams WHERE domain = 'umbrella.test'), team_role = 'member' WHERE email = 'uma@umbrella.test'").await;
    assert_exact(&db, "uma coming back").await;
    assert_served_fresh(&alice, &db, "uma coming back").await;
    sql(&db, "UPDATE partner_grants SET partner_team_id = (SELECT id FROM teams WHERE domain = 'hooli.test') WHERE user_id = (SELECT id FROM users WHERE email = 'gary@globex.test')").await;
    assert_exact(&db, "a grant moving to another team").await;
    assert_served_fresh(&alice, &db, "a grant moving to another team").await;
    sql(&db, "DELETE FROM workspaces WHERE name = 'Refunds API'").await;
    assert_exact(&db, "deleting a workspace").await;
    assert_served_fresh(&alice, &db, "deleting a workspace").await;
    sql(&db, "DELETE FROM users WHERE email = 'ivan@initech.test'").await;
    assert_exact(&db, "deleting a user").await;
    assert_served_fresh(&alice, &db, "deleting a user").await;
}

/// The list before migration 0003, kept as the oracle of what the summaries must answer:
/// ?1 publisher, ?2 LIKE pattern, ?3 SSO enforced.
const LIST_ORACLE: &str = "
    WITH active AS (
        SELECT g.partner_team_id, g.user_id, g.workspace_id, u.last_sign_in_at
        FROM partner_grants g JOIN users u ON u.id = g.user_id
        WHERE g.publisher_team_id = ?1 AND g.revoked_at IS NULL
          AND g.partner_team_id = (SELECT team_id FROM users WHERE users.id = g.user_id))
    SELECT t.id, t.name, t.domain, t.sso_enforced,
           COUNT(DISTINCT a.user_id) AS partner_count,
           COUNT(DISTINCT a.workspace_id) AS workspace_count,
           MAX(a.last_sign_in_at) AS last_active_at
    FROM active a JOIN teams t ON t.id = a.partner_team_id
    WHERE (?2 IS NULL OR {name_like} OR {domain_like})
      AND (?3 IS NULL OR t.sso_enforced = ?3)
    GROUP BY t.id";

type Listed = (String, String, String, bool, i64, i64, Option<String>);

/// The oracle's answer, sorted the way the API documents.
async fn oracle(
    db: &Db,
    publisher: &str,
    q: Option<&str>,
    sso: Option<bool>,
    sort: &str,
) -> Vec<Listed> {
    let pattern = q.map(partner_server::db::like_pattern);
    let d = db.dialect();
    let statement = db.sql(
        &LIST_ORACLE
            .replace("{name_like}", &d.like("t.name", "?2"))
            .replace("{domain_like}", &d.like("t.domain", "?2")),
    );
    let mut rows: Vec<Listed> = partner_server::on_pool!(db, pool => {
        sqlx::query_as(&statement)
            .bind(publisher)
            .bind(pattern)
            .bind(sso)
            .fetch_all(pool)
            .await
            .unwrap()
    });
    let (descending, key) = match sort.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, sort),
    };
    // SQLite's NOCASE folds ASCII only.
    let name = |r: &Listed| r.1.to_ascii_lowercase();
    rows.sort_by(|a, b| {
        let by_name = name(a).cmp(&name(b)).then_with(|| a.0.cmp(&b.0));
        let primary = match key {
            "name" => by_name,
            "partners" => a.4.cmp(&b.4),
            "workspaces" => a.5.cmp(&b.5),
            "last_active" => {
                // Teams nobody has signed in from come last either way.
                match (&a.6, &b.6) {
                    (None, None) => std::cmp::Ordering::Equal,
                    (None, Some(_)) => return std::cmp::Ordering::Greater,
                    (Some(_), None) => return std::cmp::Ordering::Less,
                    (Some(x), Some(y)) => x.cmp(y),
                }
            }
            other => panic!("no sort {other}"),
        };
        let primary = if descending {
            primary.reverse()
        } else {
            primary
        };
        if key == "name" {
            primary
        } else {
            primary.then_with(|| name(a).cmp(&name(b)).then_with(|| a.0.cmp(&b.0)))
        }
    });
    rows
}

fn listed(item: &Value) -> Listed {
    (
        item["team"]["id"].as_str().unwrap().to_owned(),
        item["team"]["name"].as_str().unwrap().to_owned(),
        item["team"]["domain"].as_str().unwrap().to_owned(),
        item["sso_enforced"].as_bool().unwrap(),
        item["partner_count"].as_i64().unwrap(),
        item["workspace_count"].as_i64().unwrap(),
        item["last_active_at"].as_str().map(str::to_owned),
    )
}

#[tokio::test]
async fn generated_data_is_summarised_exactly_and_listed_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let db = Db::open(database.clone()).await.unwrap();
    db.generate(150, 3).await.unwrap();
    db.generate_legacy(4, 2).await.unwrap();
    assert_exact(&db, "generate").await;
    // Names that test the search: LIKE's wildcards, case, non-ASCII, equal names.
    for (id, name, domain) in [
        ("odd-1", "50%_Off \\ Deals", "percent.test"),
        ("odd-2", "ÜBER Straße Labs", "uber.test"),
        ("odd-3", "Same Name", "same-a.test"),
        ("odd-4", "same name", "same-b.test"),
        ("odd-5", "NORTHWIND caps", "caps.test"),
    ] {
        crate::helpers::sql(
            &db,
            "INSERT INTO teams (id, name, domain, plan, sso_enforced, created_at)
             VALUES (?, ?, ?, 'professional', FALSE, '2025-01-01T00:00:00Z')",
            &[&id, &name, &domain],
        )
        .await;
        sql(
            &db,
            &format!(
                "INSERT INTO users (id, email, name, password_hash, team_id, team_role, created_at)
             VALUES ('{id}-u', 'p@{domain}', 'P', 'x', '{id}', 'member', '2025-01-01T00:00:00Z')"
            ),
        )
        .await;
        sql(&db, &format!(
            "INSERT INTO partner_grants (workspace_id, user_id, partner_team_id, publisher_team_id, role, created_at)
             SELECT id, '{id}-u', '{id}', team_id, 'viewer', '2025-01-01T00:00:00Z'
             FROM workspaces WHERE name = 'Payments API'"
        ))
        .await;
    }
    assert_exact(&db, "adding odd teams").await;
    let publisher: String = text(&db, "SELECT id FROM teams WHERE domain = 'acme.test'", &[]).await;
    drop(db);

    let app = spawn_app_with(Options {
        database: Some(database.clone()),
        ..Options::default()
    })
    .await;
    let paul = app.session("paul").await;
    let db = app.db().await;
    let searches = [
        None,
        Some("n"),
        Some("No"),
        Some("A"),
        Some("5"),
        Some("."),
        Some("-"),
        Some("s."),
        Some("0."),
        Some("ü"),
        Some("Ü"),
        Some("ß"),
        Some("\\"),
        Some("q"),
        Some("Lu"),
        Some("_o"),
        Some("%_"),
        Some("\"q"),
        Some("ÜB"),
        Some("nor"),
        Some("NORTH"),
        Some("northwind labs"),
        Some("00042"),
        Some("gen001"),
        Some(".test"),
        Some("%"),
        Some("50%_"),
        Some("_off"),
        Some("\\ d"),
        Some("über"),
        Some("ÜBER"),
        Some("straße"),
        Some("same name"),
        Some("\"quoted\""),
        Some("zzz"),
    ];
    for q in searches {
        for sso in [None, Some(true), Some(false)] {
            for sort in [
                "name",
                "-name",
                "partners",
                "-workspaces",
                "last_active",
                "-last_active",
            ] {
                let expected = oracle(&db, &publisher, q, sso, sort).await;
                let mut query = format!("sort={sort}&per_page=40");
                if let Some(q) = q {
                    query.push_str(&format!("&q={}", urlencode(q)));
                }
                if let Some(sso) = sso {
                    query.push_str(if sso {
                        "&sso=enforced"
                    } else {
                        "&sso=not_enforced"
                    });
                }
                let pages = expected.len().div_ceil(40).max(1) + 1;
                let mut got = Vec::new();
                for page in 1..=pages {
                    let answer = paul
                        .get_json(&format!("/api/partnerships?{query}&page={page}"))
                        .await;
                    assert_eq!(answer["total"], expected.len(), "{query}");
                    got.extend(answer["items"].as_array().unwrap().iter().map(listed));
                }
                assert_eq!(got, expected, "{query}");
            }
        }
    }
    let coverage = paul.get_json("/api/partnerships/sso-coverage").await;
    let all = oracle(&db, &publisher, None, None, "name").await;
    assert_eq!(coverage["partner_teams"], all.len());
    assert_eq!(coverage["partners"], all.iter().map(|r| r.4).sum::<i64>());
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn the_list_answers_json_errors_never_500_for_odd_searches() {
    let app = spawn_demo().await;
    let paul = app.session("paul").await;
    for q in [
        "%22%22",
        "%22",
        "*",
        "NEAR(a b)",
        "a%20OR%20b",
        "%E2%80%AE",
        "%F0%9F%98%80%F0%9F%98%80%F0%9F%98%80",
    ] {
        let response = paul
            .send(Method::GET, &format!("/api/partnerships?q={q}"), None)
            .await;
        assert_eq!(response.status(), 200, "q={q}");
        assert!(json(response).await["total"].is_u64(), "q={q}");
    }
}

/// Restores `backup` into the live database file under the running server, with SQLite's
/// online backup API (what the sqlite3 shell's `.restore` does).
async fn restore(db: &Db, backup: &std::path::Path) {
    use libsqlite3_sys as ffi;
    let partner_server::db::Pools::Sqlite(pool) = db.pools() else {
        unreachable!("restored on SQLite only");
    };
    let mut conn = pool.acquire().await.unwrap();
    let mut handle = conn.lock_handle().await.unwrap();
    let live = handle.as_raw_handle().as_ptr();
    let path = std::ffi::CString::new(backup.to_str().unwrap()).unwrap();
    let main = c"main";
    // SAFETY: both handles are open SQLite connections for the whole block; the source is
    // closed once the copy is finished.
    unsafe {
        let mut source = std::ptr::null_mut();
        let opened = ffi::sqlite3_open_v2(
            path.as_ptr(),
            &mut source,
            ffi::SQLITE_OPEN_READONLY,
            std::ptr::null(),
        );
        assert_eq!(opened, ffi::SQLITE_OK, "opening the backup");
        let copy = ffi::sqlite3_backup_init(live, main.as_ptr(), source, main.as_ptr());
        assert!(!copy.is_null(), "starting the restore");
        assert_eq!(ffi::sqlite3_backup_step(copy, -1), ffi::SQLITE_DONE);
        assert_eq!(ffi::sqlite3_backup_finish(copy), ffi::SQLITE_OK);
        ffi::sqlite3_close(source);
    }
}

#[tokio::test]
async fn a_copy_restored_under_the_running_server_never_gets_stale_pages_served() {
    if on_postgres() {
        // A PostgreSQL restore is pg_restore into a stopped service, not a file copied
        // under a running one; the versions are random there too.
        return;
    }
    let app = spawn_demo().await;
    let alice = app.session("alice").await;
    let db = app.db().await;
    assert_served_fresh(&alice, &db, "the start").await;
    let partner_server::db::DatabaseUrl::Sqlite(live) = &app.database else {
        unreachable!("on SQLite");
    };
    let backup = live.with_file_name("backup.db");
    sql(&db, &format!("VACUUM INTO '{}'", backup.display())).await;
    // A change after the copy; its pages are kept.
    sql(
        &db,
        "UPDATE teams SET name = 'Umbrella Holdings' WHERE domain = 'umbrella.test'",
    )
    .await;
    assert_served_fresh(&alice, &db, "renaming Umbrella").await;

    // Nobody looks at the list between the restore and the next change (looking would
    // replace the kept pages). With versions that count, that change reaches the number
    // the Umbrella rename had, whose kept pages show a name the database no longer has.
    restore(&db, &backup).await;
    sql(
        &db,
        "UPDATE teams SET name = 'Initech Labs' WHERE domain = 'initech.test'",
    )
    .await;
    assert_served_fresh(&alice, &db, "renaming Initech after the restore").await;
}
