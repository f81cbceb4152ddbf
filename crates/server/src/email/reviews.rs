//! The emails of access reviews: the request to each reviewer, and the summary when the
//! review is applied.

use super::html::escape;
use super::layout::Email;
use super::templates::{Recipient, one_line};
use super::{Links, Message};

/// A reviewer is asked to review partner access by a day.
pub fn review_requested(
    links: &Links,
    to: Recipient<'_>,
    review_id: &str,
    started_by: &str,
    scope: &str,
    grants: u64,
    due_day: &str,
) -> Message {
    let link = links.review(review_id);
    let subject = one_line(&format!("Review partner access: {scope}, by {due_day}"));
    let what = match grants {
        1 => "1 partner grant".to_owned(),
        n => format!("{n} partner grants"),
    };
    Email::greeting(to.name)
        .paragraph(
            &format!(
                "{started_by} asked you to review {what} ({scope}) by {due_day}: keep or remove \
                 each. What is undecided then follows the review's default."
            ),
            &format!(
                "{} asked you to review {} (<strong>{}</strong>) by <strong>{}</strong>: keep or \
                 remove each. What is undecided then follows the review's default.",
                escape(started_by),
                escape(&what),
                escape(scope),
                escape(due_day)
            ),
        )
        .action("Open the review", "Open the review", &link)
        .message(to.email, subject, link)
}

/// A review was applied: what it kept and removed.
pub fn review_applied(
    links: &Links,
    to: Recipient<'_>,
    review_id: &str,
    scope: &str,
    kept: u64,
    removed: u64,
) -> Message {
    let link = links.review(review_id);
    let subject = one_line(&format!("Access review applied: {scope}"));
    let text = format!(
        "The access review of {scope} reached its due date: {kept} kept, {removed} removed. \
         Its results are on the review's page, with a CSV."
    );
    Email::greeting(to.name)
        .paragraph(
            &text,
            &format!(
                "The access review of <strong>{}</strong> reached its due date: {kept} kept, \
                 {removed} removed. Its results are on the review's page, with a CSV.",
                escape(scope)
            ),
        )
        .action("See the results", "Open the review", &link)
        .message(to.email, subject, link)
}
