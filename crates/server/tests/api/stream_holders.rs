//! Many live update streams held open by a process of their own (scripts/bench/streams.py)
//! while the load test runs, so the server's memory per stream can be read from this
//! process and delivery is measured where a browser would see it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

use partner_server::db::Db;
use partner_server::domain::session_token;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::helpers::{rows, text, texts};

/// The stream holders' process.
pub struct StreamHolders {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<std::process::ChildStdout>,
    dir: tempfile::TempDir,
    pub opened: usize,
}

/// What the holders saw.
#[derive(Debug, serde::Deserialize)]
pub struct Seen {
    pub streams: usize,
    pub opened: usize,
    pub failed: usize,
    pub ended_early: usize,
    pub deliveries: u64,
    pub resyncs: u64,
    pub streams_with_events: usize,
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    pub max_ms: Option<f64>,
}

/// The people who watch: Acme's alice and paul on every change of the load (8 tabs each),
/// one stream for each load client's first person (their own team's changes), and the rest
/// people of other tenants, whom the load doesn't concern (each stream its own session).
pub async fn watchers(db: &Db, count: usize, clients: usize) -> Vec<String> {
    db.generate_tenants((count / 10) as u32 + 1).await.unwrap();
    let mut people = Vec::new();
    for login in ["alice@acme.test", "paul@acme.test"] {
        let id = text(db, "SELECT id FROM users WHERE email = ?1", &[&login]).await;
        people.extend(std::iter::repeat_n(id, 8));
    }
    people.extend((0..clients).map(|t| format!("gen-{t:05}-1")));
    let bystanders = texts(
        db,
        "SELECT u.id FROM users u WHERE u.team_id IS NOT NULL AND u.email NOT LIKE '%acme.test'
           AND u.email NOT LIKE '%@gen%'
           AND NOT EXISTS (SELECT 1 FROM partner_grants g JOIN workspaces w ON w.id = g.workspace_id
                           JOIN users a ON a.team_id = w.team_id AND a.email = 'alice@acme.test'
                           WHERE g.user_id = u.id)
         ORDER BY u.id",
        &[],
    )
    .await;
    assert!(!bystanders.is_empty(), "other tenants' people");
    let mut n = 0;
    while people.len() < count {
        people.push(bystanders[n % bystanders.len()].clone());
        n += 1;
    }
    people.truncate(count);
    people
}

impl StreamHolders {
    /// Opens one stream per person (a session each) on `base`, and waits until every
    /// stream has answered.
    pub async fn open(db: &Db, base: &str, cookie: &str, people: &[String]) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut tokens = String::new();
        for person in people {
            let token = session_token::generate();
            db.start_session(person, &session_token::hash(&token), "password")
                .await
                .unwrap();
            tokens.push_str(&token);
            tokens.push('\n');
        }
        let tokens_file = dir.path().join("tokens");
        std::fs::write(&tokens_file, tokens).unwrap();
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/bench/streams.py"
        );
        let mut child = Command::new("python3")
            .arg(script)
            .arg(base)
            .arg(cookie)
            .arg(&tokens_file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 runs the stream holders");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (line, stdout) = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            (line, stdout)
        })
        .await
        .unwrap();
        let mut words = line.split_whitespace();
        assert_eq!(words.next(), Some("ready"), "the holders answer: {line}");
        let opened: usize = words.next().unwrap().parse().unwrap();
        let failed: usize = words.next().unwrap().parse().unwrap();
        assert_eq!(failed, 0, "every stream opens");
        Self {
            child,
            stdin,
            stdout,
            dir,
            opened,
        }
    }

    /// Stops holding, and reads what the holders saw, each delivery's latency measured
    /// from its change's record in the database (written inside its transaction).
    pub async fn finish(mut self, db: &Db) -> Seen {
        let changes: Vec<(i64, String)> = rows(db, "SELECT id, at FROM change_log").await;
        let times: serde_json::Map<String, serde_json::Value> = changes
            .into_iter()
            .map(|(id, at)| {
                let at = OffsetDateTime::parse(&at, &Rfc3339).unwrap();
                let seconds = at.unix_timestamp_nanos() as f64 / 1e9;
                (id.to_string(), serde_json::json!(seconds))
            })
            .collect();
        let times_file = self.dir.path().join("times.json");
        std::fs::write(&times_file, serde_json::to_string(&times).unwrap()).unwrap();
        let mut stdin = self.stdin.take().unwrap();
        writeln!(stdin, "{}", times_file.display()).unwrap();
        drop(stdin);
        let mut stdout = self.stdout;
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            line
        })
        .await
        .unwrap();
        let _ = self.child.wait();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"))
    }
}

/// This process's resident memory, in MB.
pub fn rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
