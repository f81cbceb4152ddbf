//! The Partnerships page's state in the URL: search, SSO filter, sort, page and the open
//! partner team. The URL is the single source of truth, so reload, back/forward and a
//! copied link all restore the same view.

use std::fmt;

use leptos_router::params::{Params, ParamsError, ParamsMap};
use partner_api::TeamId;
use partner_api::pagination::DEFAULT_PER_PAGE;
use partner_api::partnerships::{
    PartnershipSort, PartnershipSortKey, PartnershipsQuery, SsoFilter,
};

use super::SortState;
use crate::routes::PARTNERSHIPS_PATH;

/// Partner teams shown per page.
pub const PER_PAGE: u32 = DEFAULT_PER_PAGE;

/// `?q=&sso=&sort=&page=&team=` of Team Settings > Partnerships. Values that make no sense
/// (an unknown filter, page 0) read as their defaults, so an edited link still opens a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnershipsParams {
    /// The search as typed (the API trims it); empty for none.
    pub q: String,
    pub sso: Option<SsoFilter>,
    pub sort: PartnershipSort,
    /// 1-based.
    pub page: u32,
    /// The partner team whose detail is open.
    pub team: Option<TeamId>,
}

impl Default for PartnershipsParams {
    /// Every partner team, by name, first page, nothing open.
    fn default() -> Self {
        Self {
            q: String::new(),
            sso: None,
            sort: PartnershipSort::default(),
            page: 1,
            team: None,
        }
    }
}

impl PartnershipsParams {
    /// Reads the query's key/value pairs (already percent-decoded); later values win.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                "q" => params.q = value.to_owned(),
                "sso" => params.sso = value.parse().ok(),
                "sort" => params.sort = value.parse().unwrap_or_default(),
                "page" => params.page = value.parse().unwrap_or(1),
                "team" => params.team = (!value.is_empty()).then(|| TeamId::from(value)),
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
        format!("{PARTNERSHIPS_PATH}{self}")
    }

    /// What to ask `GET /api/partnerships` for (the open team does not change the list).
    pub fn api_query(&self) -> PartnershipsQuery {
        let q = self.q.trim();
        PartnershipsQuery {
            q: (!q.is_empty()).then(|| q.to_owned()),
            sso: self.sso,
            sort: (self.sort != PartnershipSort::default()).then_some(self.sort),
            page: Some(self.page.max(1)),
            per_page: Some(PER_PAGE),
        }
    }

    /// Whether a search or filter narrows the list.
    pub fn is_filtered(&self) -> bool {
        !self.q.trim().is_empty() || self.sso.is_some()
    }

    /// A new search, from its first page.
    pub fn with_search(&self, q: &str) -> Self {
        Self {
            q: q.to_owned(),
            page: 1,
            ..self.clone()
        }
    }

    /// A new SSO filter, from the first page.
    pub fn with_sso(&self, sso: Option<SsoFilter>) -> Self {
        Self {
            sso,
            page: 1,
            ..self.clone()
        }
    }

    /// No search and no filter.
    pub fn cleared(&self) -> Self {
        Self {
            q: String::new(),
            sso: None,
            page: 1,
            ..self.clone()
        }
    }

    /// Sorted by `key`: the current column flips direction; a new one starts A–Z for names
    /// and largest / most recent first for numbers and times.
    pub fn with_sort(&self, key: PartnershipSortKey) -> Self {
        let descending = if self.sort.key == key {
            !self.sort.descending
        } else {
            key != PartnershipSortKey::Name
        };
        Self {
            sort: PartnershipSort { key, descending },
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

    /// The same list with a partner team's detail open (or closed).
    pub fn with_team(&self, team: Option<TeamId>) -> Self {
        Self {
            team,
            ..self.clone()
        }
    }

    /// How column `key` is sorted, for `aria-sort`.
    pub fn sort_state(&self, key: PartnershipSortKey) -> SortState {
        match (self.sort.key == key, self.sort.descending) {
            (false, _) => SortState::None,
            (true, false) => SortState::Ascending,
            (true, true) => SortState::Descending,
        }
    }
}

impl Params for PartnershipsParams {
    fn from_map(map: &ParamsMap) -> Result<Self, ParamsError> {
        Ok(Self::from_pairs(
            ["q", "sso", "sort", "page", "team"]
                .into_iter()
                .filter_map(|key| map.get_str(key).map(|value| (key, value))),
        ))
    }
}

/// The query string, with its `?`, leaving out defaults (`""` for the default view).
impl fmt::Display for PartnershipsParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut query = super::QueryWriter::new(f);
        query.text("q", &self.q)?;
        query.text("sso", self.sso.map_or("", |sso| sso.as_str()))?;
        if self.sort != PartnershipSort::default() {
            query.text("sort", &self.sort.to_string())?;
        }
        query.page(self.page)?;
        query.text("team", self.team.as_ref().map_or("", TeamId::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_filter() -> PartnershipsParams {
        PartnershipsParams {
            q: "Glo bex & co/ä+%".to_owned(),
            sso: Some(SsoFilter::NotEnforced),
            sort: PartnershipSort {
                key: PartnershipSortKey::LastActive,
                descending: true,
            },
            page: 3,
            team: Some(TeamId::from("t_globex")),
        }
    }

    #[test]
    fn the_default_view_is_the_bare_path() {
        let params = PartnershipsParams::from_query_str("");
        assert_eq!(params.page, 1);
        assert_eq!(params.to_string(), "");
        assert_eq!(params.href(), PARTNERSHIPS_PATH);
    }

    #[test]
    fn every_filter_round_trips_through_the_url() {
        let params = every_filter();
        let url = params.to_string();
        assert_eq!(
            url,
            "?q=Glo%20bex%20%26%20co%2F%C3%A4%2B%25&sso=not_enforced&sort=-last_active&page=3&team=t_globex"
        );
        assert_eq!(PartnershipsParams::from_query_str(&url), params);

        for params in [
            PartnershipsParams::default().with_search("glo"),
            PartnershipsParams::default().with_sso(Some(SsoFilter::Enforced)),
            PartnershipsParams::default().with_sort(PartnershipSortKey::Name),
            PartnershipsParams::default().with_sort(PartnershipSortKey::Partners),
            PartnershipsParams::default().with_page(2),
            PartnershipsParams::default().with_team(Some(TeamId::from("a b&c"))),
        ] {
            let url = params.to_string();
            assert_eq!(PartnershipsParams::from_query_str(&url), params, "{url}");
        }
    }

    #[test]
    fn links_people_write_by_hand_read_sensibly() {
        // `+` is a space in a query, as browsers send forms.
        let params =
            PartnershipsParams::from_query_str("?q=globex+corp&page=0&sso=maybe&sort=size");
        assert_eq!(params.q, "globex corp");
        assert_eq!(params.page, 1);
        assert_eq!(params.sso, None);
        assert_eq!(params.sort, PartnershipSort::default());
        let params = PartnershipsParams::from_query_str("page=-2&team=&unknown=1");
        assert_eq!(params, PartnershipsParams::default());
    }

    #[test]
    fn the_api_query_trims_the_search_and_ignores_the_open_team() {
        let query = every_filter().api_query();
        assert_eq!(query.q.as_deref(), Some("Glo bex & co/ä+%"));
        assert_eq!(query.sso, Some(SsoFilter::NotEnforced));
        assert_eq!(query.page, Some(3));
        assert_eq!(query.per_page, Some(PER_PAGE));
        assert_eq!(
            every_filter().with_team(None).api_query(),
            every_filter().api_query()
        );
        let query = PartnershipsParams::default().with_search("  ").api_query();
        assert_eq!((query.q, query.sort), (None, None));
    }

    #[test]
    fn changing_what_is_listed_goes_back_to_the_first_page() {
        let params = every_filter();
        assert_eq!(params.with_search("ini").page, 1);
        assert_eq!(params.with_sso(None).page, 1);
        assert_eq!(params.with_sort(PartnershipSortKey::Name).page, 1);
        let cleared = params.cleared();
        assert!(!cleared.is_filtered());
        assert_eq!(cleared.sort, params.sort);
        assert_eq!(cleared.team, params.team);
        assert_eq!(params.with_team(None).page, 3);
    }

    #[test]
    fn sorting_flips_the_current_column_and_starts_new_ones_sensibly() {
        let by_name = PartnershipsParams::default();
        assert_eq!(
            by_name.sort_state(PartnershipSortKey::Name),
            SortState::Ascending
        );
        assert_eq!(
            by_name.sort_state(PartnershipSortKey::Partners),
            SortState::None
        );
        let desc = by_name.with_sort(PartnershipSortKey::Name);
        assert_eq!(desc.to_string(), "?sort=-name");
        assert_eq!(
            desc.sort_state(PartnershipSortKey::Name),
            SortState::Descending
        );
        assert_eq!(
            by_name
                .with_sort(PartnershipSortKey::LastActive)
                .to_string(),
            "?sort=-last_active"
        );
        assert_eq!(
            by_name
                .with_sort(PartnershipSortKey::Workspaces)
                .with_sort(PartnershipSortKey::Workspaces)
                .to_string(),
            "?sort=workspaces"
        );
    }
}
