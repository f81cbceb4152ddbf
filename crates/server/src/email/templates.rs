//! What each email says, as plain functions of plain data. The subjects of the migration
//! emails are the FAQ's, word for word.

use std::fmt::Write as _;

use partner_api::PartnerRole;

use super::html::escape;
use super::layout::Email;
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

/// Who invited a partner: someone of the publisher, or a Partner Lead of the partner's own
/// team (named with that team).
#[derive(Debug, Clone, Copy)]
pub enum Inviter<'a> {
    Publisher(&'a str),
    Lead { name: &'a str, team: &'a str },
}

/// A partner was invited to a workspace: one email, with "Go to workspace".
pub fn invitation(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspace: WorkspaceLink<'_>,
    role: PartnerRole,
    invited_by: Inviter<'_>,
) -> Message {
    let link = links.workspace(workspace.id);
    let subject = one_line(&format!(
        "You're invited to {} by {publisher}",
        workspace.name
    ));
    let role = partner_role(role);
    let (who, who_html) = match invited_by {
        Inviter::Publisher(name) => (
            format!("{name} of {publisher}"),
            format!("{} of {}", escape(name), escape(publisher)),
        ),
        Inviter::Lead { name, team } => (
            format!("{name}, {team}'s Partner Lead for it,"),
            format!("{}, {}'s Partner Lead for it,", escape(name), escape(team)),
        ),
    };
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "{who} invited you to {publisher}'s Partner Workspace \"{}\" as a {role}.",
                workspace.name
            ),
            &format!(
                "{who_html} invited you to {}'s Partner Workspace <strong>{}</strong> as a {}.",
                escape(publisher),
                escape(workspace.name),
                escape(role),
            ),
        )
        .next_line(
            &format!(
                "You open it from your own team's account ({}); no separate partner account is needed.",
                to.email
            ),
            &format!(
                "You open it from your own team's account ({}); no separate partner account is needed.",
                escape(to.email)
            ),
        )
        .action("Go to workspace", "Go to workspace", &link)
        .external_workspaces("You'll also find it", &links.external_workspaces())
        .message(to.email, subject, link)
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
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "{publisher} approved your request: you're now a {role} in the Partner Workspace \"{}\".",
                workspace.name
            ),
            &format!(
                "{} approved your request: you're now a {} in the Partner Workspace <strong>{}</strong>.",
                escape(publisher),
                escape(role),
                escape(workspace.name),
            ),
        )
        .action("Go to workspace", "Go to workspace", &link)
        .message(to.email, subject, link)
}

/// An invitation to join a team: the link opens the page where the person signs in (or
/// creates their account) with this address and joins.
pub fn team_invitation(
    link: String,
    to_email: &str,
    team: &str,
    invited_by: &str,
    role: partner_api::TeamRole,
) -> Message {
    let subject = one_line(&format!("{invited_by} invited you to join {team}"));
    let role = match role {
        partner_api::TeamRole::Admin => "a Team Admin",
        partner_api::TeamRole::Member => "a member",
    };
    Email::greeting("there")
        .paragraph(
            &format!("{invited_by} invited you to join the team {team} on Partner Workspaces as {role}."),
            &format!(
                "{} invited you to join the team <strong>{}</strong> on Partner Workspaces as {}.",
                escape(invited_by),
                escape(team),
                escape(role),
            ),
        )
        .next_line(
            &format!(
                "Sign in (or create your account) with this address, {to_email}, to join. The link works for 14 days."
            ),
            &format!(
                "Sign in (or create your account) with this address, {}, to join. The link works for 14 days.",
                escape(to_email)
            ),
        )
        .action("Join the team", "Join the team", &link)
        .message(to_email, subject, link)
}

/// One person's access a partner team ended, as the publisher is told.
#[derive(Debug, Clone, Copy)]
pub struct EndedLine<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub workspace: &'a str,
}

/// A partner team's Team Admin ended their people's access to a publisher's workspaces:
/// one email per Partner Manager and Team Admin of the publisher, per batch.
pub fn external_access_ended(
    links: &Links,
    to: Recipient<'_>,
    partner_team: &str,
    ended_by: &str,
    lines: &[EndedLine<'_>],
) -> Message {
    let link = links.partnerships();
    let subject = one_line(&match lines.len() {
        1 => format!("{partner_team} ended 1 partner's access to your workspaces"),
        n => format!("{partner_team} ended {n} partners' access to your workspaces"),
    });
    let items = lines.iter().map(|line| {
        (
            format!("{} ({}) in {}", line.name, line.email, line.workspace),
            format!(
                "<strong>{}</strong> ({}) in <strong>{}</strong>",
                escape(line.name),
                escape(line.email),
                escape(line.workspace)
            ),
        )
    });
    Email::greeting(to.name)
        .paragraph(
            &format!("{ended_by} of {partner_team} ended their people's access to your partner workspaces:"),
            &format!(
                "{} of {} ended their people's access to your partner workspaces:",
                escape(ended_by),
                escape(partner_team)
            ),
        )
        .list("8px", items)
        .action("See your partner teams", "Open Partnerships", &link)
        .message(to.email, subject, link)
}

/// Access requests that arrived together: one email per Partner Manager and Team Admin of
/// the publisher, with a link to the access requests on Partnerships, where they are decided.
pub fn access_request_digest(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    requests: &[RequestLine<'_>],
) -> Message {
    let link = links.access_requests();
    let subject = one_line(&match requests.len() {
        1 => format!("1 new access request to {publisher} workspaces"),
        n => format!("{n} new access requests to {publisher} workspaces"),
    });
    let items = requests.iter().map(|r| {
        let role = partner_role(r.role);
        let mut text = format!(
            "{} ({}, {}) asked to join {} as a {role}.",
            r.name, r.email, r.team, r.workspace
        );
        let mut html = format!(
            "<strong>{}</strong> ({}, {}) asked to join <strong>{}</strong> as a {}.",
            escape(r.name),
            escape(r.email),
            escape(r.team),
            escape(r.workspace),
            escape(role),
        );
        if !r.message.is_empty() {
            let _ = write!(text, "\n  \"{}\"", r.message);
            let _ = write!(
                html,
                "<br><span style=\"color:#59636e\">\u{201c}{}\u{201d}</span>",
                escape(r.message)
            );
        }
        (text, html)
    });
    Email::greeting(to.name)
        .paragraph(
            &format!("People from partner teams asked for access to {publisher} workspaces:"),
            &format!(
                "People from partner teams asked for access to {} workspaces:",
                escape(publisher)
            ),
        )
        .list("8px", items)
        .action(
            "Approve or deny them on the Partnerships page",
            "Review requests",
            &link,
        )
        .message(to.email, subject, link)
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
    let items = workspaces.iter().map(|ws| {
        let url = links.workspace(ws.id);
        let html = format!("<a href=\"{}\">{}</a>", escape(&url), escape(ws.name));
        (format!("{}: {url}", ws.name), html)
    });
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "We've migrated these legacy Partner Workspaces of {publisher} to team-to-team Partner Workspaces:"
            ),
            &format!(
                "We've migrated these legacy Partner Workspaces of {} to team-to-team Partner Workspaces:",
                escape(publisher)
            ),
        )
        .list("4px", items)
        .fixed_paragraph(
            "Partners now open them from their own team and can sign in with their team's SSO. \
             Each partner has received an email with a direct link. No action is required from you.",
        )
        .action(
            "See which partners use SSO on the Partnerships page",
            "Open Partnerships",
            &link,
        )
        .message(to.email, MIGRATED_SUBJECT.to_owned(), link)
}

/// After a migration: each partner gets one email per publisher, listing that publisher's
/// workspaces they are in, each with "Go to workspace".
pub fn partner_workspace_upgraded(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspaces: &[WorkspaceLink<'_>],
) -> Message {
    // One workspace: the email is its link. Several: External Workspaces lists them all.
    let link = match workspaces {
        [only] => links.workspace(only.id),
        _ => links.external_workspaces(),
    };
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "{publisher} has upgraded the Partner Workspaces you work in to team-to-team Partner \
                 Workspaces. You now open them from your own team ({}), with your team's SSO if it \
                 uses one.",
                to.email
            ),
            &format!(
                "{} has upgraded the Partner Workspaces you work in to team-to-team Partner \
                 Workspaces. You now open them from your own team ({}), with your team's SSO if it \
                 uses one.",
                escape(publisher),
                escape(to.email)
            ),
        )
        .actions(
            "Go to workspace",
            workspaces
                .iter()
                .map(|ws| (ws.name, links.workspace(ws.id))),
        )
        .external_workspaces(
            "All your Partner Workspaces are also",
            &links.external_workspaces(),
        )
        .message(to.email, upgraded_subject(publisher), link)
}

fn partner_role(role: PartnerRole) -> &'static str {
    match role {
        PartnerRole::Viewer => "Partner Viewer",
        PartnerRole::Editor => "Partner Editor",
    }
}

/// A subject is one header line: control characters (a newline in a name) become spaces.
pub(super) fn one_line(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    line.trim().to_owned()
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
            Inviter::Publisher("Paul Parker"),
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
            Inviter::Publisher(EVIL),
        ));
        assert_escaped(&invitation(
            &links(),
            evil_person,
            EVIL,
            evil_ws,
            PartnerRole::Viewer,
            Inviter::Lead {
                name: EVIL,
                team: EVIL,
            },
        ));
        assert_escaped(&team_invitation(
            "https://partners.test/join/t".into(),
            "x@evil.test",
            EVIL,
            EVIL,
            partner_api::TeamRole::Member,
        ));
        let ended = EndedLine {
            name: EVIL,
            email: "x@evil.test",
            workspace: EVIL,
        };
        assert_escaped(&external_access_ended(
            &links(),
            evil_person,
            EVIL,
            EVIL,
            &[ended],
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
            Some(
                "https://partners.test/settings/team/partnerships/external-partners#access-requests"
            )
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
