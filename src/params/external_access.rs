//! The External access page's state in the URL: search, publisher, role and page. The URL
//! is the single source of truth, so reload, back/forward and a copied link all restore
//! the same view, and "Download CSV" exports exactly the rows it filters.

use std::fmt;

use leptos_router::params::{Params, ParamsError, ParamsMap};
use partner_api::external_access::ExternalAccessQuery;
use partner_api::pagination::DEFAULT_PER_PAGE;
use partner_api::{PartnerRole, TeamId};

use crate::routes::EXTERNAL_ACCESS_PATH;

/// Rows shown per page.
pub const PER_PAGE: u32 = DEFAULT_PER_PAGE;

/// `?q=&publisher=&role=&page=` of Team Settings > External access. Values that make no
/// sense (an unknown role, page 0) read as their defaults, so an edited link still opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalAccessParams {
    /// The search as typed (the API trims it); empty for none.
    pub q: String,
    /// Only this publisher's workspaces.
    pub publisher: Option<TeamId>,
    pub role: Option<PartnerRole>,
    /// 1-based.
    pub page: u32,
}

impl Default for ExternalAccessParams {
    /// Everything, first page.
    fn default() -> Self {
        Self {
            q: String::new(),
            publisher: None,
            role: None,
            page: 1,
        }
    }
}

impl ExternalAccessParams {
    /// Reads the query's key/value pairs (already percent-decoded); later values win.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "q" => params.q = value.to_owned(),
                "publisher" => {
                    params.publisher = (!value.is_empty()).then(|| TeamId::from(value));
                }
                "role" => params.role = value.parse().ok(),
                "page" => params.page = value.parse().unwrap_or(1),
                _ => {}
            }
        }
        params.page = params.page.max(1);
        params
    }

    /// Reads a query string (with or without its leading `?`).
    pub fn from_query_str(query: &str) -> Self {
        Self::from_pairs(super::query_pairs(query))
    }

    /// The page's URL for this view.
    pub fn href(&self) -> String {
        format!("{EXTERNAL_ACCESS_PATH}{self}")
    }

    /// What to ask `GET /api/team/external-access` for.
    pub fn api_query(&self) -> ExternalAccessQuery {
        let q = self.q.trim();
        ExternalAccessQuery {
            q: (!q.is_empty()).then(|| q.to_owned()),
            publisher: self.publisher.clone(),
            role: self.role,
            page: Some(self.page.max(1)),
            per_page: Some(PER_PAGE),
        }
    }

    /// Whether a search or filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty() || self.publisher.is_some() || self.role.is_some()
    }

    /// A new search, from the first page.
    pub fn with_search(&self, q: &str) -> Self {
        Self {
            q: q.to_owned(),
            page: 1,
            ..self.clone()
        }
    }

    /// Another publisher (or every one), from the first page.
    pub fn with_publisher(&self, publisher: Option<TeamId>) -> Self {
        Self {
            publisher,
            page: 1,
            ..self.clone()
        }
    }

    /// Another role (or both), from the first page.
    pub fn with_role(&self, role: Option<PartnerRole>) -> Self {
        Self {
            role,
            page: 1,
            ..self.clone()
        }
    }

    /// Another page of the same list.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }

    /// No search and no filter.
    pub fn cleared(&self) -> Self {
        Self::default()
    }
}

impl Params for ExternalAccessParams {
    fn from_map(map: &ParamsMap) -> Result<Self, ParamsError> {
        Ok(Self::from_pairs(
            ["q", "publisher", "role", "page"]
                .into_iter()
                .filter_map(|key| map.get_str(key).map(|value| (key, value))),
        ))
    }
}

/// The query string, with its `?`, leaving out defaults (`""` for the default view).
impl fmt::Display for ExternalAccessParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut query = super::QueryWriter::new(f);
        query.text("q", &self.q)?;
        query.text(
            "publisher",
            self.publisher.as_ref().map_or("", TeamId::as_str),
        )?;
        query.text("role", self.role.map_or("", |role| role.as_str()))?;
        query.page(self.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_filter() -> ExternalAccessParams {
        ExternalAccessParams {
            q: "Ga ry & co/ä+%".to_owned(),
            publisher: Some(TeamId::from("t_acme")),
            role: Some(PartnerRole::Editor),
            page: 3,
        }
    }

    #[test]
    fn the_default_view_is_the_bare_path() {
        let params = ExternalAccessParams::from_query_str("");
        assert_eq!(params, ExternalAccessParams::default());
        assert_eq!(params.to_string(), "");
        assert_eq!(params.href(), EXTERNAL_ACCESS_PATH);
        assert!(!params.is_filtered());
    }

    #[test]
    fn every_filter_round_trips_through_the_url() {
        let params = every_filter();
        let url = params.to_string();
        assert_eq!(
            url,
            "?q=Ga%20ry%20%26%20co%2F%C3%A4%2B%25&publisher=t_acme&role=editor&page=3"
        );
        assert_eq!(ExternalAccessParams::from_query_str(&url), params);
        for params in [
            ExternalAccessParams::default().with_search("gary"),
            ExternalAccessParams::default().with_publisher(Some(TeamId::from("a b&c"))),
            ExternalAccessParams::default().with_role(Some(PartnerRole::Viewer)),
            ExternalAccessParams::default().with_page(2),
        ] {
            let url = params.to_string();
            assert_eq!(ExternalAccessParams::from_query_str(&url), params, "{url}");
        }
    }

    #[test]
    fn links_people_write_by_hand_read_sensibly() {
        let params =
            ExternalAccessParams::from_query_str("?q=gary+green&page=0&role=owner&publisher=");
        assert_eq!(params.q, "gary green");
        assert_eq!(params.page, 1);
        assert_eq!(params.role, None);
        assert_eq!(params.publisher, None);
        assert_eq!(
            ExternalAccessParams::from_query_str("page=-2&unknown=1"),
            ExternalAccessParams::default()
        );
    }

    #[test]
    fn the_api_query_trims_the_search_and_asks_for_one_page() {
        let query = every_filter().api_query();
        assert_eq!(query.q.as_deref(), Some("Ga ry & co/ä+%"));
        assert_eq!(query.publisher, Some(TeamId::from("t_acme")));
        assert_eq!(query.role, Some(PartnerRole::Editor));
        assert_eq!((query.page, query.per_page), (Some(3), Some(PER_PAGE)));
        let query = ExternalAccessParams::default()
            .with_search("  ")
            .api_query();
        assert_eq!(query.q, None);
    }

    #[test]
    fn changing_what_is_listed_goes_back_to_the_first_page() {
        let params = every_filter();
        assert_eq!(params.with_search("gi").page, 1);
        assert_eq!(params.with_publisher(None).page, 1);
        assert_eq!(params.with_role(None).page, 1);
        assert_eq!(params.with_page(4).page, 4);
        assert_eq!(params.with_page(4).publisher, params.publisher);
        assert!(!params.cleared().is_filtered());
    }
}
