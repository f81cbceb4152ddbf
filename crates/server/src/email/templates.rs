//! What each email says, as plain functions of plain data. The subjects of the migration
//! emails are the FAQ's, word for word.

use std::fmt::Write as _;

use partner_api::PartnerRole;

use super::html::escape;
use super::{Links, Message};

/// The subject publishers' Partner Managers, Team Admins and Workspace Admins get.
pub const MIGRATED_SUBJECT: &str = "Your Partner Workspaces have been migrated";

/// The subject partners get, one per publisher.
pub fn upgraded_subject(publisher: &str) -> String {
    one_line(&format!(
        "Your Partner Workspace with {publisher} has been upgraded"
    ))
}

/// Who an email goes to.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub name: &'a str,
    pub email: &'a str,
}

/// A workspace named in an email.
#[derive(Debug, Clone, Copy)]
pub struct WorkspaceLink<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// One request in an access-request digest.
#[derive(Debug, Clone, Copy)]
pub struct RequestLine<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub team: &'a str,
    pub workspace: &'a str,
    pub role: PartnerRole,
    pub message: &'a str,
}

/// A partner was invited to a workspace: one email, with "Go to workspace".
pub fn invitation(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspace: WorkspaceLink<'_>,
    role: PartnerRole,
    invited_by: &str,
) -> Message {
    let link = links.workspace(workspace.id);
    let subject = one_line(&format!(
        "You're invited to {} by {publisher}",
        workspace.name
    ));
    let role = partner_role(role);
    let text = format!(
        "Hi {name},\n\n\
         {invited_by} of {publisher} invited you to the Partner Workspace \"{ws}\" as a {role}.\n\
         You open it from your own team's account ({email}); no separate partner account is needed.\n\n\
         Go to workspace: {link}\n\n\
         You'll also find it under Workspaces > View All Workspaces > External Workspaces:\n{external}\n",
        name = to.name,
        ws = workspace.name,
        email = to.email,
        external = links.external_workspaces(),
    );
    let body = format!(
        "<p style=\"margin:0 0 12px\">Hi {name},</p>\n\
         <p style=\"margin:0 0 12px\">{invited_by} of {publisher} invited you to the Partner Workspace \
         <strong>{ws}</strong> as a {role}.</p>\n\
         <p style=\"margin:0 0 16px\">You open it from your own team's account ({email}); \
         no separate partner account is needed.</p>\n\
         {button}\n\
         <p style=\"margin:16px 0 0\">You'll also find it under Workspaces &gt; View All Workspaces &gt; \
         <a href=\"{external}\">External Workspaces</a>.</p>\n",
        name = escape(to.name),
        invited_by = escape(invited_by),
        publisher = escape(publisher),
        ws = escape(workspace.name),
        role = escape(role),
        email = escape(to.email),
        button = button(&link, "Go to workspace"),
        external = escape(&links.external_workspaces()),
    );
    Message {
        to: to.email.to_owned(),
        html: layout(&subject, &body),
        subject,
        text,
        link: Some(link),
    }
}

/// A partner's access request was approved: one email per workspace, with "Go to workspace".
pub fn access_approved(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspace: WorkspaceLink<'_>,
    role: PartnerRole,
) -> Message {
    let link = links.workspace(workspace.id);
    let subject = one_line(&format!("Your access to {} was approved", workspace.name));
    let role = partner_role(role);
    let text = format!(
        "Hi {name},\n\n\
         {publisher} approved your request: you're now a {role} in the Partner Workspace \"{ws}\".\n\n\
         Go to workspace: {link}\n",
        name = to.name,
        ws = workspace.name,
    );
    let body = format!(
        "<p style=\"margin:0 0 12px\">Hi {name},</p>\n\
         <p style=\"margin:0 0 16px\">{publisher} approved your request: you're now a {role} in the \
         Partner Workspace <strong>{ws}</strong>.</p>\n\
         {button}\n",
        name = escape(to.name),
        publisher = escape(publisher),
        role = escape(role),
        ws = escape(workspace.name),
        button = button(&link, "Go to workspace"),
    );
    Message {
        to: to.email.to_owned(),
        html: layout(&subject, &body),
        subject,
        text,
        link: Some(link),
    }
}

/// Access requests that arrived together: one email per Partner Manager and Team Admin of
/// the publisher, with a link to the Partnerships page where they are decided.
pub fn access_request_digest(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    requests: &[RequestLine<'_>],
) -> Message {
    let link = links.partnerships();
    let subject = one_line(&match requests.len() {
        1 => format!("1 new access request to {publisher} workspaces"),
        n => format!("{n} new access requests to {publisher} workspaces"),
    });
    let mut text = format!(
        "Hi {name},\n\nPeople from partner teams asked for access to {publisher} workspaces:\n\n",
        name = to.name
    );
    let mut items = String::new();
    for r in requests {
        let role = partner_role(r.role);
        let _ = writeln!(
            text,
            "- {} ({}, {}) asked to join {} as a {role}.",
            r.name, r.email, r.team, r.workspace
        );
        let _ = write!(
            items,
            "<li style=\"margin:0 0 8px\"><strong>{}</strong> ({}, {}) asked to join \
             <strong>{}</strong> as a {}.",
            escape(r.name),
            escape(r.email),
            escape(r.team),
            escape(r.workspace),
            escape(role),
        );
        if !r.message.is_empty() {
            let _ = writeln!(text, "  \"{}\"", r.message);
            let _ = write!(
                items,
                "<br><span style=\"color:#59636e\">\u{201c}{}\u{201d}</span>",
                escape(r.message)
            );
        }
        items.push_str("</li>\n");
    }
    let _ = write!(
        text,
        "\nApprove or deny them on the Partnerships page: {link}\n"
    );
    let body = format!(
        "<p style=\"margin:0 0 12px\">Hi {name},</p>\n\
         <p style=\"margin:0 0 12px\">People from partner teams asked for access to {publisher} workspaces:</p>\n\
         <ul style=\"margin:0 0 16px;padding-left:20px\">\n{items}</ul>\n\
         {button}\n",
        name = escape(to.name),
        publisher = escape(publisher),
        button = button(&link, "Review requests"),
    );
    Message {
        to: to.email.to_owned(),
        html: layout(&subject, &body),
        subject,
        text,
        link: Some(link),
    }
}

/// After a migration: Partner Managers, Team Admins and Workspace Admins of the publisher
/// get one email listing the workspaces that concern them.
pub fn workspaces_migrated(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspaces: &[WorkspaceLink<'_>],
) -> Message {
    let link = links.partnerships();
    let subject = MIGRATED_SUBJECT.to_owned();
    let mut text = format!(
        "Hi {name},\n\n\
         We've migrated these legacy Partner Workspaces of {publisher} to team-to-team Partner Workspaces:\n\n",
        name = to.name
    );
    let mut items = String::new();
    for ws in workspaces {
        let url = links.workspace(ws.id);
        let _ = writeln!(text, "- {}: {url}", ws.name);
        let _ = writeln!(
            items,
            "<li style=\"margin:0 0 4px\"><a href=\"{}\">{}</a></li>",
            escape(&url),
            escape(ws.name)
        );
    }
    let _ = write!(
        text,
        "\nPartners now open them from their own team and can sign in with their team's SSO. \
         Each partner has received an email with a direct link. No action is required from you.\n\n\
         See which partners use SSO on the Partnerships page: {link}\n"
    );
    let body = format!(
        "<p style=\"margin:0 0 12px\">Hi {name},</p>\n\
         <p style=\"margin:0 0 12px\">We've migrated these legacy Partner Workspaces of {publisher} \
         to team-to-team Partner Workspaces:</p>\n\
         <ul style=\"margin:0 0 16px;padding-left:20px\">\n{items}</ul>\n\
         <p style=\"margin:0 0 16px\">Partners now open them from their own team and can sign in with \
         their team's SSO. Each partner has received an email with a direct link. \
         No action is required from you.</p>\n\
         {button}\n",
        name = escape(to.name),
        publisher = escape(publisher),
        button = button(&link, "Open Partnerships"),
    );
    Message {
        to: to.email.to_owned(),
        html: layout(&subject, &body),
        subject,
        text,
        link: Some(link),
    }
}

/// After a migration: each partner gets one email per publisher, listing that publisher's
/// workspaces they are in, each with "Go to workspace".
pub fn partner_workspace_upgraded(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspaces: &[WorkspaceLink<'_>],
) -> Message {
    let subject = upgraded_subject(publisher);
    // One workspace: the email is its link. Several: External Workspaces lists them all.
    let link = match workspaces {
        [only] => links.workspace(only.id),
        _ => links.external_workspaces(),
    };
    let mut text = format!(
        "Hi {name},\n\n\
         {publisher} has upgraded the Partner Workspaces you work in to team-to-team Partner Workspaces. \
         You now open them from your own team ({email}), with your team's SSO if it uses one.\n\n",
        name = to.name,
        email = to.email,
    );
    let mut items = String::new();
    for ws in workspaces {
        let url = links.workspace(ws.id);
        let _ = writeln!(text, "{}\nGo to workspace: {url}\n", ws.name);
        let _ = writeln!(
            items,
            "<tr><td style=\"padding:8px 16px 8px 0\"><strong>{}</strong></td>\
             <td style=\"padding:8px 0\">{}</td></tr>",
            escape(ws.name),
            button(&url, "Go to workspace"),
        );
    }
    let _ = write!(
        text,
        "All your Partner Workspaces are also under Workspaces > View All Workspaces > External Workspaces:\n{}\n",
        links.external_workspaces()
    );
    let body = format!(
        "<p style=\"margin:0 0 12px\">Hi {name},</p>\n\
         <p style=\"margin:0 0 12px\">{publisher} has upgraded the Partner Workspaces you work in to \
         team-to-team Partner Workspaces. You now open them from your own team ({email}), with your \
         team's SSO if it uses one.</p>\n\
         <table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px\">\n{items}</table>\n\
         <p style=\"margin:0\">All your Partner Workspaces are also under Workspaces &gt; View All \
         Workspaces &gt; <a href=\"{external}\">External Workspaces</a>.</p>\n",
        name = escape(to.name),
        publisher = escape(publisher),
        email = escape(to.email),
        external = escape(&links.external_workspaces()),
    );
    Message {
        to: to.email.to_owned(),
        html: layout(&subject, &body),
        subject,
        text,
        link: Some(link),
    }
}

fn partner_role(role: PartnerRole) -> &'static str {
    match role {
        PartnerRole::Viewer => "Partner Viewer",
        PartnerRole::Editor => "Partner Editor",
    }
}

/// A subject is one header line: control characters (a newline in a name) become spaces.
fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    line.trim().to_owned()
}

/// The primary action: a link styled as a button (email clients ignore stylesheets).
fn button(href: &str, label: &str) -> String {
    format!(
        "<a href=\"{}\" style=\"display:inline-block;background:#0b5cad;color:#ffffff;\
         text-decoration:none;padding:8px 16px;border-radius:6px;font-weight:600\">{}</a>",
        escape(href),
        escape(label)
    )
}

/// The frame every email shares.
fn layout(subject: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:24px;background:#f6f8fa;color:#1f2328;\
         font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.5\">\n\
         <div style=\"max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d1d9e0;\
         border-radius:10px;padding:24px\">\n\
         <p style=\"margin:0 0 16px;font-size:12px;color:#59636e\">Partner Workspaces</p>\n\
         {body}\
         </div>\n</body>\n</html>\n",
        title = escape(subject),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVIL: &str = "<script>alert(1)</script>";

    fn links() -> Links {
        Links::new("https://partners.test")
    }

    fn ivan() -> Recipient<'static> {
        Recipient {
            name: "Ivan Ito",
            email: "ivan@initech.test",
        }
    }

    fn refunds() -> WorkspaceLink<'static> {
        WorkspaceLink {
            id: "w1",
            name: "Refunds API",
        }
    }

    /// Every part of every email: no markup from names survives into the HTML.
    fn assert_escaped(message: &Message) {
        assert!(!message.html.contains("<script"), "{}", message.html);
        assert!(message.html.contains("&lt;script&gt;"), "{}", message.html);
        // The text part shows names as they are.
        assert!(message.text.contains(EVIL), "{}", message.text);
    }

    #[test]
    fn invitations_link_to_the_workspace() {
        let m = invitation(
            &links(),
            ivan(),
            "Acme Payments",
            refunds(),
            PartnerRole::Viewer,
            "Paul Parker",
        );
        assert_eq!(m.to, "ivan@initech.test");
        assert_eq!(m.subject, "You're invited to Refunds API by Acme Payments");
        assert_eq!(
            m.link.as_deref(),
            Some("https://partners.test/workspace/w1")
        );
        assert!(
            m.text
                .contains("Go to workspace: https://partners.test/workspace/w1")
        );
        assert!(
            m.html
                .contains("href=\"https://partners.test/workspace/w1\"")
        );
        assert!(m.html.contains(">Go to workspace</a>"));
        assert!(m.text.contains("Partner Viewer"));
    }

    #[test]
    fn names_are_escaped_in_every_html_part() {
        let evil_person = Recipient {
            name: EVIL,
            email: "x@evil.test",
        };
        let evil_ws = WorkspaceLink {
            id: "w1",
            name: EVIL,
        };
        assert_escaped(&invitation(
            &links(),
            evil_person,
            EVIL,
            evil_ws,
            PartnerRole::Editor,
            EVIL,
        ));
        assert_escaped(&access_approved(
            &links(),
            evil_person,
            EVIL,
            evil_ws,
            PartnerRole::Viewer,
        ));
        let line = RequestLine {
            name: EVIL,
            email: "x@evil.test",
            team: EVIL,
            workspace: EVIL,
            role: PartnerRole::Viewer,
            message: EVIL,
        };
        assert_escaped(&access_request_digest(&links(), evil_person, EVIL, &[line]));
        assert_escaped(&workspaces_migrated(
            &links(),
            evil_person,
            EVIL,
            &[evil_ws],
        ));
        assert_escaped(&partner_workspace_upgraded(
            &links(),
            evil_person,
            EVIL,
            &[evil_ws],
        ));
    }

    #[test]
    fn migration_subjects_are_the_faqs_word_for_word() {
        let admins = workspaces_migrated(&links(), ivan(), "Acme Payments", &[refunds()]);
        assert_eq!(admins.subject, "Your Partner Workspaces have been migrated");
        let partner = partner_workspace_upgraded(&links(), ivan(), "Acme Payments", &[refunds()]);
        assert_eq!(
            partner.subject,
            "Your Partner Workspace with Acme Payments has been upgraded"
        );
        assert_eq!(
            partner.link.as_deref(),
            Some("https://partners.test/workspace/w1")
        );
        assert!(partner.html.contains(">Go to workspace</a>"));
    }

    #[test]
    fn a_partner_in_several_workspaces_gets_one_email_listing_each() {
        let two = [
            refunds(),
            WorkspaceLink {
                id: "w2",
                name: "Payments API",
            },
        ];
        let m = partner_workspace_upgraded(&links(), ivan(), "Acme Payments", &two);
        assert!(
            m.text
                .contains("Refunds API\nGo to workspace: https://partners.test/workspace/w1")
        );
        assert!(
            m.text
                .contains("Payments API\nGo to workspace: https://partners.test/workspace/w2")
        );
        assert_eq!(m.html.matches(">Go to workspace</a>").count(), 2);
        assert_eq!(
            m.link.as_deref(),
            Some("https://partners.test/workspaces?tab=shared_partner")
        );
    }

    #[test]
    fn a_digest_lists_every_request_and_links_to_partnerships() {
        let lines = [
            RequestLine {
                name: "Gina Gray",
                email: "gina@globex.test",
                team: "Globex",
                workspace: "Fraud Signals",
                role: PartnerRole::Viewer,
                message: "",
            },
            RequestLine {
                name: "Uma Ueda",
                email: "uma@umbrella.test",
                team: "Umbrella",
                workspace: "Payments API",
                role: PartnerRole::Editor,
                message: "For the checkout team",
            },
        ];
        let m = access_request_digest(
            &links(),
            Recipient {
                name: "Paul Parker",
                email: "paul@acme.test",
            },
            "Acme Payments",
            &lines,
        );
        assert_eq!(
            m.subject,
            "2 new access requests to Acme Payments workspaces"
        );
        assert!(
            m.text
                .contains("Gina Gray (gina@globex.test, Globex) asked to join Fraud Signals")
        );
        assert!(m.text.contains("\"For the checkout team\""));
        assert_eq!(
            m.link.as_deref(),
            Some("https://partners.test/settings/team/partnerships/external-partners")
        );
    }

    #[test]
    fn subjects_are_one_line() {
        assert_eq!(
            upgraded_subject("Acme\r\nBcc: x@evil.test"),
            "Your Partner Workspace with Acme  Bcc: x@evil.test has been upgraded"
        );
    }
}
