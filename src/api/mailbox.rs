//! `GET /api/dev/mailbox`: the server's outbox, in demo/dev mode only.

use partner_api::Paginated;
use partner_api::mailbox::{MailboxEmail, MailboxQuery};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};

use super::{ApiError, client};

/// The path and query string of a mailbox request.
pub fn path(query: &MailboxQuery) -> String {
    let mut params = Vec::new();
    if let Some(to) = query.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        params.push(format!("to={}", utf8_percent_encode(to, NON_ALPHANUMERIC)));
    }
    if let Some(page) = query.page {
        params.push(format!("page={page}"));
    }
    if let Some(per_page) = query.per_page {
        params.push(format!("per_page={per_page}"));
    }
    if params.is_empty() {
        "/api/dev/mailbox".to_owned()
    } else {
        format!("/api/dev/mailbox?{}", params.join("&"))
    }
}

/// The outbox, newest first. 404 `not_found` when the server is not in demo/dev mode.
pub async fn list(query: &MailboxQuery) -> Result<Paginated<MailboxEmail>, ApiError> {
    client::get(&path(query)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_encoded() {
        assert_eq!(path(&MailboxQuery::default()), "/api/dev/mailbox");
        assert_eq!(
            path(&MailboxQuery {
                to: Some("ivan+x@initech.test".into()),
                page: None,
                per_page: Some(200),
            }),
            "/api/dev/mailbox?to=ivan%2Bx%40initech%2Etest&per_page=200"
        );
    }
}
