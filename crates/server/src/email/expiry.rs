//! The emails of access that expires: the partner's reminder and notice, and the digest of
//! ending grants for a publisher's Partner Managers and Team Admins.

use super::html::escape;
use super::layout::Email;
use super::templates::{Recipient, WorkspaceLink, one_line};
use super::{Links, Message};

/// A partner's access ends in a few days: one email per grant.
pub fn access_ending(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspace: WorkspaceLink<'_>,
    day: &str,
) -> Message {
    let link = links.workspace(workspace.id);
    let subject = one_line(&format!("Your access to {} ends on {day}", workspace.name));
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "Your access to the Partner Workspace \"{}\" of {publisher} ends on {day} (UTC). \
                 If you still need it, ask the people you work with at {publisher} to extend it.",
                workspace.name
            ),
            &format!(
                "Your access to the Partner Workspace <strong>{}</strong> of {} ends on \
                 <strong>{}</strong> (UTC). If you still need it, ask the people you work with \
                 at {} to extend it.",
                escape(workspace.name),
                escape(publisher),
                escape(day),
                escape(publisher)
            ),
        )
        .action("Go to workspace", "Go to workspace", &link)
        .message(to.email, subject, link)
}

/// A partner's access reached its end.
pub fn access_expired(
    links: &Links,
    to: Recipient<'_>,
    publisher: &str,
    workspace: WorkspaceLink<'_>,
    day: &str,
) -> Message {
    let link = links.workspace(workspace.id);
    let subject = one_line(&format!("Your access to {} has ended", workspace.name));
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "Your access to the Partner Workspace \"{}\" of {publisher} ended on {day}. \
                 You can ask for it again from the workspace's page.",
                workspace.name
            ),
            &format!(
                "Your access to the Partner Workspace <strong>{}</strong> of {} ended on {}. \
                 You can ask for it again from the workspace's page.",
                escape(workspace.name),
                escape(publisher),
                escape(day)
            ),
        )
        .action("Request access", "Request access", &link)
        .message(to.email, subject, link)
}

/// One grant in a digest of grants that end soon.
#[derive(Debug, Clone, Copy)]
pub struct EndingLine<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub team: &'a str,
    pub workspace: &'a str,
    pub day: &'a str,
}

/// Partner access to the publisher's workspaces that ends soon: one email per Partner
/// Manager and Team Admin per pass, with a link to Partnerships, where it is extended.
pub fn ending_digest(links: &Links, to: Recipient<'_>, lines: &[EndingLine<'_>]) -> Message {
    let link = links.partnerships();
    let subject = one_line(&match lines.len() {
        1 => "1 partner's access to your workspaces ends soon".to_owned(),
        n => format!("{n} partners' access to your workspaces ends soon"),
    });
    let items = lines.iter().map(|line| {
        (
            format!(
                "{} ({}, {}) in {}: ends on {}",
                line.name, line.email, line.team, line.workspace, line.day
            ),
            format!(
                "<strong>{}</strong> ({}, {}) in <strong>{}</strong>: ends on {}",
                escape(line.name),
                escape(line.email),
                escape(line.team),
                escape(line.workspace),
                escape(line.day)
            ),
        )
    });
    Email::greeting(to.name)
        .paragraph(
            "This partner access ends in the next few days. Extend it from the workspace's \
             partner list or from Partnerships if it is still needed:",
            "This partner access ends in the next few days. Extend it from the workspace's \
             partner list or from Partnerships if it is still needed:",
        )
        .list("8px", items)
        .action("Review partner access", "Open Partnerships", &link)
        .message(to.email, subject, link)
}
