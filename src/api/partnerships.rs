//! Team Settings > Partnerships: `GET /api/partnerships` (searched, filtered, sorted, paged
//! on the server), `GET /api/partnerships/sso-coverage`, and one partner team's detail and
//! removal (`GET` / `DELETE /api/partnerships/{team_id}`).

use gloo_net::http::Method;
use partner_api::partnerships::{
    PartnerTeamDetail, PartnerTeamQuery, PartnerTeamSummary, PartnershipRemoved, PartnershipsQuery,
    SsoCoverage,
};
use partner_api::{Paginated, TeamId};

use super::{ApiError, client, path};

/// `/api/partnerships/{team_id}` with the id escaped: it comes from the address bar.
fn team_path(team: &TeamId) -> String {
    format!("/api/partnerships/{}", path::segment(team.as_str()))
}

/// The path and query of `GET /api/partnerships` (empty values are left out; the query
/// type serializes to the URL, percent-encoded).
pub fn list_path(query: &PartnershipsQuery) -> String {
    let query = PartnershipsQuery {
        q: query
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
        ..query.clone()
    };
    // Only strings, enums and numbers: serializing cannot fail.
    let encoded = serde_urlencoded::to_string(&query).unwrap_or_default();
    if encoded.is_empty() {
        "/api/partnerships".to_owned()
    } else {
        format!("/api/partnerships?{encoded}")
    }
}

/// One page of the caller's team's partner teams.
pub async fn list(query: &PartnershipsQuery) -> Result<Paginated<PartnerTeamSummary>, ApiError> {
    client::get(&list_path(query)).await
}

/// How many partner teams enforce SSO, and how many partners last signed in with it.
pub async fn sso_coverage() -> Result<SsoCoverage, ApiError> {
    client::get("/api/partnerships/sso-coverage").await
}

/// The path and query of one partner team's detail, only the partners whose name or email
/// contains `q` when it is given.
pub fn detail_path(team: &TeamId, q: Option<&str>) -> String {
    let query = PartnerTeamQuery {
        q: q.map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned),
    };
    match serde_urlencoded::to_string(&query).unwrap_or_default() {
        encoded if encoded.is_empty() => team_path(team),
        encoded => format!("{}?{encoded}", team_path(team)),
    }
}

/// One partner team: its partners with their role per workspace, and the shared workspaces
/// (capped, with totals; `q` finds other partners).
pub async fn detail(team: &TeamId, q: Option<&str>) -> Result<PartnerTeamDetail, ApiError> {
    client::get(&detail_path(team, q)).await
}

/// Ends the partnership: every partner of that team leaves every workspace of ours.
pub async fn remove(team: &TeamId) -> Result<PartnershipRemoved, ApiError> {
    client::send::<(), _>(Method::DELETE, &team_path(team), None).await
}

#[cfg(test)]
mod tests {
    use partner_api::partnerships::{PartnershipSort, PartnershipSortKey, SsoFilter};

    use super::*;

    #[test]
    fn a_partner_search_in_the_detail_is_one_query_value() {
        let team = TeamId::from("t1");
        assert_eq!(detail_path(&team, None), "/api/partnerships/t1");
        assert_eq!(detail_path(&team, Some(" ")), "/api/partnerships/t1");
        assert_eq!(
            detail_path(&team, Some("gina&x")),
            "/api/partnerships/t1?q=gina%26x"
        );
    }

    #[test]
    fn the_list_query_is_percent_encoded_and_leaves_out_what_is_empty() {
        assert_eq!(
            list_path(&PartnershipsQuery::default()),
            "/api/partnerships"
        );
        assert_eq!(
            list_path(&PartnershipsQuery {
                q: Some(" globex & co/ä ".to_owned()),
                sso: Some(SsoFilter::NotEnforced),
                sort: Some(PartnershipSort {
                    key: PartnershipSortKey::LastActive,
                    descending: true,
                }),
                page: Some(3),
                per_page: Some(50),
            }),
            "/api/partnerships?q=globex+%26+co%2F%C3%A4&sso=not_enforced&sort=-last_active&page=3&per_page=50"
        );
        assert_eq!(
            list_path(&PartnershipsQuery {
                q: Some("   ".to_owned()),
                page: Some(1),
                ..Default::default()
            }),
            "/api/partnerships?page=1"
        );
    }

    #[test]
    fn team_ids_stay_one_path_segment() {
        assert_eq!(
            team_path(&TeamId::from("t_globex")),
            "/api/partnerships/t_globex"
        );
        assert_eq!(
            team_path(&TeamId::from("../seats")),
            "/api/partnerships/%2E%2E%2Fseats"
        );
    }
}
