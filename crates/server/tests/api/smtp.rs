//! Delivery over SMTP to a real listener: headers, and both parts of every email; claims
//! that keep two server processes on one database from sending the same email; an email
//! sent again, under the same Message-ID, when its sender died before recording it.

use std::time::Duration;

use partner_server::db::PendingEmail;
use partner_server::db::{Db, new_id, now};
use reqwest::Method;
use serde_json::json;
use time::OffsetDateTime;

use crate::crash::Server;
use crate::helpers::{
    Options, count, demo_ids, eventually, fresh_database, hold_write_lock, spawn_app_with, sql,
    text, texts,
};
use crate::smtp_listener::{Received, SmtpListener, parse};

#[tokio::test]
async fn emails_go_out_over_smtp_with_headers_and_a_text_and_an_html_part() {
    let smtp = SmtpListener::start().await;
    let app = spawn_app_with(Options {
        demo: true,
        smtp_url: Some(smtp.url()),
        ..Options::default()
    })
    .await;
    let ids = demo_ids(&app).await;
    let alice = app.session("alice").await;

    let invited = alice
        .status(
            Method::POST,
            &format!("/api/workspaces/{}/partners", ids.payments),
            Some(json!({ "email": "uma@umbrella.test", "role": "viewer" })),
        )
        .await;

    assert_eq!(invited, 201);
    let received = eventually(10, "the SMTP listener to accept the email", || async {
        smtp.accepted().into_iter().next()
    })
    .await;
    assert_eq!(received.mail_from, "no-reply@partner-workspaces.test");
    assert_eq!(received.rcpt_to, ["uma@umbrella.test"]);
    let message = parse(&received.data);
    assert_eq!(
        message.headers["from"],
        "\"Partner Workspaces\" <no-reply@partner-workspaces.test>"
    );
    assert_eq!(message.headers["to"], "uma@umbrella.test");
    assert_eq!(
        message.headers["subject"],
        "You're invited to Payments API by Acme Payments"
    );
    assert!(message.headers["message-id"].ends_with("@partner-workspaces.test>"));
    assert!(
        message.headers["content-type"].starts_with("multipart/alternative;"),
        "{:?}",
        message.headers
    );
    assert_eq!(message.parts.len(), 2, "{message:#?}");
    let link = format!("http://127.0.0.1:8080/workspace/{}", ids.payments);
    let (text_headers, text) = &message.parts[0];
    assert!(text_headers["content-type"].starts_with("text/plain; charset=utf-8"));
    assert!(text.contains(&format!("Go to workspace: {link}")), "{text}");
    let (html_headers, html) = &message.parts[1];
    assert!(html_headers["content-type"].starts_with("text/html; charset=utf-8"));
    assert!(html.contains(&format!("href=\"{link}\"")), "{html}");
    assert!(html.contains(">Go to workspace</a>"));

    // The outbox records the delivery; the email stays readable in the dev mailbox.
    let emails = app.delivered(1).await;
    assert_eq!(emails.len(), 1);
    assert_eq!(smtp.accepted().len(), 1, "sent once");
}

/// Writes `count` due emails straight into the outbox (as the changes that cause emails
/// would) and returns their ids, sorted.
async fn write_due_emails(db: &Db, count: usize) -> Vec<String> {
    let mut ids = Vec::with_capacity(count);
    for chunk in (0..count).collect::<Vec<_>>().chunks(100) {
        let mut values = Vec::new();
        for n in chunk {
            let id = new_id();
            values.push(format!(
                "('{id}', 'test:{n}', 'person{n}@example.test', 'Email {n}', 'Hello', '<p>Hello</p>', '{}')",
                now()
            ));
            ids.push(id);
        }
        sql(db, &format!(
            "INSERT INTO email_outbox (id, dedupe_key, to_email, subject, text_body, html_body, created_at)
             VALUES {}", values.join(", ")
        ), &[]).await;
    }
    ids.sort();
    ids
}

/// The outbox id in a received message's Message-ID.
fn outbox_id(received: &Received) -> String {
    let message_id = parse(&received.data).headers["message-id"].clone();
    message_id
        .trim_start_matches('<')
        .trim_end_matches("@partner-workspaces.test>")
        .to_owned()
}

async fn unsent(db: &Db) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM email_outbox WHERE sent_at IS NULL",
        &[],
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_deliver_each_of_500_due_emails_exactly_once() {
    let smtp = SmtpListener::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = fresh_database(dir.path()).await;
    let db = Db::open(path.clone()).await.unwrap();
    let ids = write_due_emails(&db, 500).await;
    // Each server's first email is held at the listener until both are sending: from then
    // on they race for the rest.
    smtp.accept_at_most(0);
    let url = smtp.url();
    let args = ["--smtp-url", url.as_str()];

    let (first, second) = tokio::join!(
        Server::start(&path, dir.path(), &args),
        Server::start(&path, dir.path(), &args)
    );
    eventually(20, "both servers to be sending", || async {
        // A server sends one email at a time: two held are one from each.
        (smtp.held() == 2).then_some(())
    })
    .await;
    smtp.accept_at_most(usize::MAX);
    eventually(30, "every email to be delivered", || async {
        (unsent(&db).await == 0).then_some(())
    })
    .await;
    drop((first, second));

    let accepted = smtp.accepted();
    let mut delivered: Vec<String> = accepted.iter().map(outbox_id).collect();
    delivered.sort();
    assert_eq!(delivered.len(), 500, "each email delivered once");
    assert_eq!(delivered, ids, "every email, under its own Message-ID");
    let senders: Vec<(String, i64)> = {
        let by = texts(
            &db,
            "SELECT claimed_by FROM email_outbox WHERE claimed_until IS NULL
             GROUP BY claimed_by ORDER BY claimed_by",
            &[],
        )
        .await;
        let sent = texts(
            &db,
            "SELECT CAST(COUNT(*) AS TEXT) FROM email_outbox WHERE claimed_until IS NULL
             GROUP BY claimed_by ORDER BY claimed_by",
            &[],
        )
        .await;
        by.into_iter()
            .zip(sent.iter().map(|n| n.parse().unwrap()))
            .collect()
    };
    eprintln!("emails delivered by each server: {senders:?}");
    assert_eq!(senders.len(), 2, "both servers delivered: {senders:?}");
    assert_eq!(senders.iter().map(|(_, sent)| sent).sum::<i64>(), 500);
    let attempts: i64 = count(
        &db,
        "SELECT CAST(SUM(attempts) AS BIGINT) FROM email_outbox",
        &[],
    )
    .await;
    assert_eq!(attempts, 500, "no email was tried twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_whose_sender_died_before_recording_it_is_sent_again_with_the_same_message_id() {
    let smtp = SmtpListener::start().await;
    let dir = tempfile::tempdir().unwrap();
    let path = fresh_database(dir.path()).await;
    let db = Db::open(path.clone()).await.unwrap();
    let ids = write_due_emails(&db, 3).await;
    let url = smtp.url();
    let args = ["--smtp-url", url.as_str(), "--email-lease-secs", "4"];
    smtp.accept_at_most(0);
    let mut first = Server::start(&path, dir.path(), &args).await;
    eventually(20, "the first email to be held", || async {
        (smtp.held() == 1).then_some(())
    })
    .await;

    // The listener accepts the email while the database is locked, so the server cannot
    // record the delivery before it dies.
    let lock = hold_write_lock(&db).await;
    smtp.accept_at_most(1);
    eventually(10, "the listener to accept the email", || async {
        (smtp.accepted().len() == 1).then_some(())
    })
    .await;
    first.kill();
    drop(lock);
    let in_flight = outbox_id(&smtp.accepted()[0]);
    let attempts = count(
        &db,
        "SELECT attempts FROM email_outbox WHERE id = ? AND sent_at IS NULL",
        &[&in_flight],
    )
    .await;
    let claimed_by = text(
        &db,
        "SELECT claimed_by FROM email_outbox WHERE id = ? AND sent_at IS NULL",
        &[&in_flight],
    )
    .await;
    assert_eq!(attempts, 1);
    smtp.accept_at_most(usize::MAX);

    // The next server sends it again once the dead one's claim has run out.
    let second = Server::start(&path, dir.path(), &args).await;
    eventually(30, "every email to be delivered", || async {
        (unsent(&db).await == 0).then_some(())
    })
    .await;
    drop(second);

    let mut delivered: Vec<String> = smtp.accepted().iter().map(outbox_id).collect();
    assert_eq!(delivered.len(), 4, "{delivered:?}");
    assert_eq!(
        delivered.iter().filter(|id| **id == in_flight).count(),
        2,
        "the email accepted before the crash went out again, under the same Message-ID"
    );
    delivered.sort();
    delivered.dedup();
    assert_eq!(delivered, ids);
    let attempts = count(
        &db,
        "SELECT attempts FROM email_outbox WHERE id = ?",
        &[&in_flight],
    )
    .await;
    let sender = text(
        &db,
        "SELECT claimed_by FROM email_outbox WHERE id = ?",
        &[&in_flight],
    )
    .await;
    assert_eq!(attempts, 2, "one attempt by each server");
    assert_ne!(sender, claimed_by, "sent by the second server");
}

#[tokio::test]
async fn a_claim_keeps_other_processes_off_an_email_until_it_runs_out() {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(fresh_database(dir.path()).await).await.unwrap();
    let ids = write_due_emails(&db, 3).await;
    let lease = Duration::from_secs(60);
    let at = OffsetDateTime::now_utc();
    let claimed_ids = |emails: Vec<PendingEmail>| {
        let mut ids: Vec<String> = emails.into_iter().map(|e| e.id).collect();
        ids.sort();
        ids
    };

    let first = db.claim_due_emails("one", at, lease, 10).await.unwrap();
    let meanwhile = db
        .claim_due_emails("two", at + Duration::from_secs(59), lease, 10)
        .await
        .unwrap();
    let after = db
        .claim_due_emails("two", at + Duration::from_secs(61), lease, 10)
        .await
        .unwrap();

    assert_eq!(claimed_ids(first), ids);
    assert!(meanwhile.is_empty(), "claimed by one: {meanwhile:?}");
    assert_eq!(claimed_ids(after), ids, "one's claims ran out");
    let later = at + Duration::from_secs(62);
    assert!(
        !db.start_email_attempt(&ids[0], "one", later, lease)
            .await
            .unwrap(),
        "one lost its claim"
    );
    assert!(!db.mark_email_sent(&ids[0], "one").await.unwrap());
    assert!(
        db.start_email_attempt(&ids[0], "two", later, lease)
            .await
            .unwrap()
    );
    assert!(db.mark_email_sent(&ids[0], "two").await.unwrap());
    assert!(
        !db.mark_email_sent(&ids[0], "two").await.unwrap(),
        "recorded once"
    );
    let failed_until = later + Duration::from_secs(10);
    assert!(
        db.mark_email_failed(&ids[1], "two", "refused", failed_until)
            .await
            .unwrap()
    );
    let retry = db
        .claim_due_emails("three", failed_until + Duration::from_secs(1), lease, 10)
        .await
        .unwrap();
    assert_eq!(
        claimed_ids(retry),
        [ids[1].clone()],
        "the failed email once its retry is due; the third is still two's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dev_mailbox_marks_each_email_once_and_leaves_claimed_ones_to_their_sender() {
    let dir = tempfile::tempdir().unwrap();
    let path = fresh_database(dir.path()).await;
    let (one, two) = (
        Db::open(path.clone()).await.unwrap(),
        Db::open(path.clone()).await.unwrap(),
    );
    let ids = write_due_emails(&one, 200).await;
    let at = OffsetDateTime::now_utc();
    let lease = Duration::from_secs(60);
    let claimed = one.claim_due_emails("smtp", at, lease, 1).await.unwrap();
    assert_eq!(claimed.len(), 1);

    let (a, b) = tokio::join!(
        one.deliver_to_dev_mailbox(at),
        two.deliver_to_dev_mailbox(at)
    );

    assert_eq!(
        a.unwrap() + b.unwrap(),
        199,
        "each unclaimed email marked once"
    );
    assert_eq!(unsent(&one).await, 1, "the claimed one is its sender's");
    let after = at + Duration::from_secs(61);
    assert_eq!(one.deliver_to_dev_mailbox(after).await.unwrap(), 1);
    assert_eq!(one.deliver_to_dev_mailbox(after).await.unwrap(), 0);
    let tried_once: i64 = count(
        &one,
        "SELECT COUNT(*) FROM email_outbox WHERE attempts = 1 AND sent_at IS NOT NULL",
        &[],
    )
    .await;
    assert_eq!(tried_once, ids.len() as i64);
}
