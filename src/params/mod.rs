//! The query-string state of the pages, typed: each struct reads the URL and renders it
//! back (`Display`), so the URL is the single source of truth of a list's view. Pages and
//! components read them; they depend on nothing but the routes.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

pub mod access_review;
pub mod audit_log;
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

/// What a query value escapes: everything but unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The `key=value` pairs of a query string (with or without its leading `?`); one that
/// can't be read gives none (the default view).
fn query_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query.trim_start_matches('?')).unwrap_or_default()
}

/// A query string being written: only what differs from the default view, each value
/// escaped, `?` before the first pair and `&` between them (nothing at all for the default
/// view).
struct QueryWriter<'f, 'a> {
    f: &'f mut fmt::Formatter<'a>,
    first: bool,
}

impl<'f, 'a> QueryWriter<'f, 'a> {
    fn new(f: &'f mut fmt::Formatter<'a>) -> Self {
        Self { f, first: true }
    }

    /// `key=value`, escaped, unless `value` is empty.
    fn text(&mut self, key: &str, value: &str) -> fmt::Result {
        if value.is_empty() {
            return Ok(());
        }
        let separator = if std::mem::take(&mut self.first) {
            "?"
        } else {
            "&"
        };
        write!(
            self.f,
            "{separator}{key}={}",
            utf8_percent_encode(value, QUERY_VALUE)
        )
    }

    /// `page=n`, unless it is the first page.
    fn page(&mut self, page: u32) -> fmt::Result {
        if page > 1 {
            self.text("page", &page.to_string())
        } else {
            Ok(())
        }
    }
}
