//! Delivery over SMTP to a real listener: headers, and both parts of every email.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{Options, demo_ids, eventually, spawn_app_with};
use crate::smtp_listener::{SmtpListener, parse};

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
