//! The Members page's state in the URL: the search and the page of the member list, so
//! reload, back/forward and a copied link all show the same people.

use std::fmt;

use leptos_router::params::{Params, ParamsError, ParamsMap};
use partner_api::pagination::DEFAULT_PER_PAGE;
use partner_api::team::TeamMembersQuery;

use crate::routes::TEAM_MEMBERS_PATH;

/// Members shown per page.
pub const PER_PAGE: u32 = DEFAULT_PER_PAGE;

/// `?q=&page=` of Team Settings > Members. A page that makes no sense (0, -2, text) reads
/// as the first, so an edited link still opens a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMembersParams {
    /// The search as typed (the API trims it); empty for none.
    pub q: String,
    /// 1-based.
    pub page: u32,
}

impl Default for TeamMembersParams {
    /// Everyone, first page.
    fn default() -> Self {
        Self {
            q: String::new(),
            page: 1,
        }
    }
}

impl TeamMembersParams {
    /// Reads the query's key/value pairs (already percent-decoded); later values win.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            match key.as_ref() {
                "q" => params.q = value.as_ref().to_owned(),
                "page" => params.page = value.as_ref().parse().unwrap_or(1),
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
        format!("{TEAM_MEMBERS_PATH}{self}")
    }

    /// What to ask `GET /api/team/members` for.
    pub fn api_query(&self) -> TeamMembersQuery {
        let q = self.q.trim();
        TeamMembersQuery {
            q: (!q.is_empty()).then(|| q.to_owned()),
            page: Some(self.page.max(1)),
            per_page: Some(PER_PAGE),
        }
    }

    /// A new search, from its first page.
    pub fn with_search(&self, q: &str) -> Self {
        Self {
            q: q.to_owned(),
            page: 1,
        }
    }

    /// Another page of the same list.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }
}

impl Params for TeamMembersParams {
    fn from_map(map: &ParamsMap) -> Result<Self, ParamsError> {
        Ok(Self::from_pairs(["q", "page"].into_iter().filter_map(
            |key| map.get_str(key).map(|value| (key, value)),
        )))
    }
}

/// The query string, with its `?`, leaving out defaults (`""` for the default view).
impl fmt::Display for TeamMembersParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut query = super::QueryWriter::new(f);
        query.text("q", &self.q)?;
        query.page(self.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_view_is_the_bare_path() {
        let params = TeamMembersParams::from_query_str("");
        assert_eq!(params, TeamMembersParams::default());
        assert_eq!(params.to_string(), "");
        assert_eq!(params.href(), "/settings/team/members");
    }

    #[test]
    fn search_and_page_round_trip_through_the_url() {
        let params = TeamMembersParams {
            q: "Mi ke & co/ä+%".to_owned(),
            page: 3,
        };
        let url = params.to_string();
        assert_eq!(url, "?q=Mi%20ke%20%26%20co%2F%C3%A4%2B%25&page=3");
        assert_eq!(TeamMembersParams::from_query_str(&url), params);
        for params in [
            TeamMembersParams::default().with_search("mike"),
            TeamMembersParams::default().with_page(2),
        ] {
            let url = params.to_string();
            assert_eq!(TeamMembersParams::from_query_str(&url), params, "{url}");
        }
    }

    #[test]
    fn links_people_write_by_hand_read_sensibly() {
        let params = TeamMembersParams::from_query_str("?q=mike+moore&page=0&sort=name");
        assert_eq!(params.q, "mike moore");
        assert_eq!(params.page, 1);
        assert_eq!(
            TeamMembersParams::from_query_str("page=-2&page=x"),
            TeamMembersParams::default()
        );
    }

    #[test]
    fn a_new_search_starts_at_the_first_page_and_the_api_query_trims_it() {
        let params = TeamMembersParams::default().with_page(4);
        assert_eq!(params.with_search("ana").page, 1);
        let query = params.with_search("  ana ").api_query();
        assert_eq!(query.q.as_deref(), Some("ana"));
        assert_eq!((query.page, query.per_page), (Some(1), Some(PER_PAGE)));
        assert_eq!(params.with_search(" ").api_query().q, None);
        assert_eq!(params.api_query().page, Some(4));
    }
}
