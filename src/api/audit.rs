//! Team Settings > Audit log: `GET /api/team/audit-log` (filtered, newest first, a keyset
//! cursor for older entries), the filters' choices, and the CSV of the same filters.

use partner_api::audit::{AuditFilter, AuditFilterChoices, AuditPage, AuditQuery};

use super::{ApiError, client};

/// The log's path.
const LOG_PATH: &str = "/api/team/audit-log";

/// The filters' choices.
const FILTERS_PATH: &str = "/api/team/audit-log/filters";

/// The CSV download's path.
const CSV_PATH: &str = "/api/team/audit-log.csv";

fn with_query(path: &str, query: &AuditQuery) -> String {
    // Only strings, ids, enums and numbers: serializing cannot fail.
    match serde_urlencoded::to_string(query).unwrap_or_default() {
        encoded if encoded.is_empty() => path.to_owned(),
        encoded => format!("{path}?{encoded}"),
    }
}

/// The path and query of `GET /api/team/audit-log` (absent values are left out).
pub fn list_path(query: &AuditQuery) -> String {
    with_query(LOG_PATH, query)
}

/// Where "Download CSV" links: the same filters as the page, every entry of them.
pub fn csv_url(filter: &AuditFilter) -> String {
    with_query(CSV_PATH, &AuditQuery::from(filter.clone()))
}

/// One page of the team's audit log, newest first; `next` asks for the older ones.
pub async fn list(query: &AuditQuery) -> Result<AuditPage, ApiError> {
    client::get(&list_path(query)).await
}

/// The people, workspaces and other teams the filters offer.
pub async fn filters() -> Result<AuditFilterChoices, ApiError> {
    client::get(FILTERS_PATH).await
}

#[cfg(test)]
mod tests {
    use partner_api::audit::AuditAction;

    use super::*;

    fn every_filter() -> AuditFilter {
        AuditFilter {
            actor: Some("u_wanda".into()),
            workspace: Some("w/1 &x".into()),
            partner_team: Some("t_globex".into()),
            action: Some(AuditAction::MultiPartnerOn),
            from: Some("2026-01-01".to_owned()),
            to: Some("2026-12-31".to_owned()),
        }
    }

    #[test]
    fn the_list_query_is_percent_encoded_and_leaves_out_what_is_absent() {
        assert_eq!(list_path(&AuditQuery::default()), "/api/team/audit-log");
        let query = AuditQuery {
            before: Some("c:1/2".to_owned()),
            per_page: Some(50),
            ..AuditQuery::from(every_filter())
        };
        assert_eq!(
            list_path(&query),
            "/api/team/audit-log?actor=u_wanda&workspace=w%2F1+%26x&partner_team=t_globex\
             &action=workspace.multi_partner_on&from=2026-01-01&to=2026-12-31&before=c%3A1%2F2\
             &per_page=50"
        );
    }

    #[test]
    fn the_csv_has_the_filters_but_no_cursor() {
        assert_eq!(
            csv_url(&every_filter()),
            "/api/team/audit-log.csv?actor=u_wanda&workspace=w%2F1+%26x&partner_team=t_globex\
             &action=workspace.multi_partner_on&from=2026-01-01&to=2026-12-31"
        );
        assert_eq!(csv_url(&AuditFilter::default()), "/api/team/audit-log.csv");
    }
}
