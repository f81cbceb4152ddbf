//! Team Settings > External access: `GET /api/team/external-access` (filtered and paged on
//! the server), the CSV of the same rows, and `POST /api/team/external-access/end`.

use gloo_net::http::Method;
use partner_api::external_access::{AccessEnded, EndAccess, ExternalAccess, ExternalAccessQuery};

use super::{ApiError, client};

/// The list's path.
const LIST_PATH: &str = "/api/team/external-access";

/// The CSV download's path.
const CSV_PATH: &str = "/api/team/external-access.csv";

/// `query` with a blank search left out, serialized (percent-encoded) for a URL.
fn encoded(query: &ExternalAccessQuery) -> String {
    let query = ExternalAccessQuery {
        q: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
        ..query.clone()
    };
    // Only strings, enums and numbers: serializing cannot fail.
    serde_urlencoded::to_string(&query).unwrap_or_default()
}

fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The path and query of `GET /api/team/external-access` (empty values are left out).
pub fn list_path(query: &ExternalAccessQuery) -> String {
    with_query(LIST_PATH, &encoded(query))
}

/// Where "Download CSV" links: the same filters as the list, every page of it.
pub fn csv_url(query: &ExternalAccessQuery) -> String {
    let filters = ExternalAccessQuery {
        page: None,
        per_page: None,
        ..query.clone()
    };
    with_query(CSV_PATH, &encoded(&filters))
}

/// One page of what the team's people can open in other companies' workspaces, and every
/// publisher they can open something of (for the filter).
pub async fn list(query: &ExternalAccessQuery) -> Result<ExternalAccess, ApiError> {
    client::get(&list_path(query)).await
}

/// Ends some grants, or every grant with one publisher; the publishers are told by email.
pub async fn end(what: &EndAccess) -> Result<AccessEnded, ApiError> {
    client::send(Method::POST, &format!("{LIST_PATH}/end"), Some(what)).await
}

#[cfg(test)]
mod tests {
    use partner_api::PartnerRole;
    use partner_api::external_access::GrantKey;

    use super::*;

    fn every_filter() -> ExternalAccessQuery {
        ExternalAccessQuery {
            q: Some(" gary & co/ä ".to_owned()),
            publisher: Some("t_acme".into()),
            role: Some(PartnerRole::Viewer),
            page: Some(2),
            per_page: Some(50),
        }
    }

    #[test]
    fn the_list_query_is_percent_encoded_and_leaves_out_what_is_empty() {
        assert_eq!(
            list_path(&ExternalAccessQuery::default()),
            "/api/team/external-access"
        );
        assert_eq!(
            list_path(&every_filter()),
            "/api/team/external-access?q=gary+%26+co%2F%C3%A4&publisher=t_acme&role=viewer&page=2&per_page=50"
        );
        assert_eq!(
            list_path(&ExternalAccessQuery {
                q: Some("  ".to_owned()),
                ..Default::default()
            }),
            "/api/team/external-access"
        );
    }

    #[test]
    fn the_csv_has_the_lists_filters_but_no_page() {
        assert_eq!(
            csv_url(&every_filter()),
            "/api/team/external-access.csv?q=gary+%26+co%2F%C3%A4&publisher=t_acme&role=viewer"
        );
        assert_eq!(
            csv_url(&ExternalAccessQuery {
                page: Some(3),
                ..Default::default()
            }),
            "/api/team/external-access.csv"
        );
    }

    #[test]
    fn ending_access_is_sent_as_the_contract_says() {
        let grants = EndAccess::Grants(vec![GrantKey {
            workspace_id: "w1".into(),
            user_id: "u1".into(),
        }]);
        assert_eq!(
            serde_json::to_string(&grants).unwrap(),
            r#"{"grants":[{"workspace_id":"w1","user_id":"u1"}]}"#
        );
        assert_eq!(
            serde_json::to_string(&EndAccess::Publisher("t_acme".into())).unwrap(),
            r#"{"publisher":"t_acme"}"#
        );
    }
}
