//! The query-string state of the pages, typed: each struct reads the URL and renders it
//! back (`Display`), so the URL is the single source of truth of a list's view. Pages and
//! components read them; they depend on nothing but the routes.

pub mod external_access;
pub mod partnerships;
pub mod team_members;

/// Which way a column is sorted, for `aria-sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortState {
    None,
    Ascending,
    Descending,
}
