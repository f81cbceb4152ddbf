//! One access review's state in the URL: "Only undecided" and the page of grants. Reload,
//! back/forward and a copied link all open the same view.

use std::fmt;

use leptos_router::params::{Params, ParamsError, ParamsMap};
use partner_api::pagination::DEFAULT_PER_PAGE;
use partner_api::reviews::ReviewQuery;

use crate::routes::Page;

/// Grants shown per page.
pub const PER_PAGE: u32 = DEFAULT_PER_PAGE;

/// `?undecided=true&page=` of an access review's page. Values that make no sense (page 0,
/// `undecided=maybe`) read as their defaults, so an edited link still opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewParams {
    /// Only the grants nobody decided yet.
    pub undecided: bool,
    /// 1-based.
    pub page: u32,
}

impl Default for ReviewParams {
    /// Every grant, first page.
    fn default() -> Self {
        Self {
            undecided: false,
            page: 1,
        }
    }
}

impl ReviewParams {
    /// Reads the query's key/value pairs (already percent-decoded); later values win.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "undecided" => params.undecided = matches!(value, "true" | "1" | "yes"),
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

    /// The review's URL for this view.
    pub fn href(&self, review: &str) -> String {
        format!("{}{self}", Page::AccessReview(review).href())
    }

    /// What to ask `GET /api/reviews/{id}` for.
    pub fn api_query(&self) -> ReviewQuery {
        ReviewQuery {
            undecided: self.undecided.then_some(true),
            page: Some(self.page.max(1)),
            per_page: Some(PER_PAGE),
        }
    }

    /// Only undecided grants (or all), from the first page.
    pub fn with_undecided(&self, undecided: bool) -> Self {
        Self { undecided, page: 1 }
    }

    /// Another page of the same list.
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page: page.max(1),
            ..self.clone()
        }
    }
}

impl Params for ReviewParams {
    fn from_map(map: &ParamsMap) -> Result<Self, ParamsError> {
        Ok(Self::from_pairs(
            ["undecided", "page"]
                .into_iter()
                .filter_map(|key| map.get_str(key).map(|value| (key, value))),
        ))
    }
}

/// The query string, with its `?`, leaving out defaults (`""` for the default view).
impl fmt::Display for ReviewParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut query = super::QueryWriter::new(f);
        query.text("undecided", if self.undecided { "true" } else { "" })?;
        query.page(self.page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_view_is_the_bare_path() {
        let params = ReviewParams::from_query_str("");
        assert_eq!(params, ReviewParams::default());
        assert_eq!(params.href("r_1"), "/settings/team/access-reviews/r_1");
        assert_eq!(
            params.api_query(),
            ReviewQuery {
                undecided: None,
                page: Some(1),
                per_page: Some(PER_PAGE),
            }
        );
    }

    #[test]
    fn the_filter_and_the_page_round_trip_through_the_url() {
        let params = ReviewParams {
            undecided: true,
            page: 3,
        };
        assert_eq!(params.to_string(), "?undecided=true&page=3");
        assert_eq!(
            ReviewParams::from_query_str("?undecided=true&page=3"),
            params
        );
        assert_eq!(params.api_query().undecided, Some(true));
        for params in [
            ReviewParams::default().with_page(2),
            ReviewParams::default().with_undecided(true),
        ] {
            let url = params.to_string();
            assert_eq!(ReviewParams::from_query_str(&url), params, "{url}");
        }
    }

    #[test]
    fn changing_the_filter_starts_again_from_the_first_page() {
        let params = ReviewParams::default().with_page(4).with_undecided(true);
        assert_eq!(params.page, 1);
        assert!(params.undecided);
    }

    #[test]
    fn links_people_write_by_hand_read_sensibly() {
        assert_eq!(
            ReviewParams::from_query_str("undecided=maybe&page=0&x=1"),
            ReviewParams::default()
        );
        assert_eq!(
            ReviewParams::from_query_str("page=two"),
            ReviewParams::default()
        );
        assert!(ReviewParams::from_query_str("undecided=1").undecided);
    }
}
