//! Every client-side path of the app, so links are built in one place.

use partner_api::WorkspaceTab;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// A page of the app; [`Page::href`] gives its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page<'a> {
    /// Team Settings > Partnerships.
    Partnerships,
    /// Workspaces, on one tab.
    Workspaces(WorkspaceTab),
    /// One workspace (the page email links open).
    Workspace(&'a str),
    /// One workspace's settings.
    WorkspaceSettings(&'a str),
    /// The sign-in page; `next` is where to go once signed in.
    SignIn { next: Option<&'a str> },
}

/// The path of Team Settings > Partnerships.
pub const PARTNERSHIPS_PATH: &str = "/settings/team/partnerships/external-partners";

/// The path of the sign-in page.
pub const SIGNIN_PATH: &str = "/signin";

/// Where a sign-in goes when it has no usable `next`.
pub const AFTER_SIGNIN_PATH: &str = "/workspaces";

/// What a query value escapes: everything but unreserved characters, and `/` (which a query
/// allows) so a `next` path stays readable in the address bar.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~')
    .remove(b'/');

/// Longest `next` accepted; longer ones are not links a person made.
const NEXT_MAX_LEN: usize = 2048;

impl Page<'_> {
    /// The path (and query) of this page.
    pub fn href(&self) -> String {
        match self {
            Self::Partnerships => PARTNERSHIPS_PATH.to_owned(),
            Self::Workspaces(WorkspaceTab::All) => AFTER_SIGNIN_PATH.to_owned(),
            Self::Workspaces(tab) => format!("/workspaces?tab={tab}"),
            Self::Workspace(id) => format!("/workspace/{id}"),
            Self::WorkspaceSettings(id) => format!("/workspace/{id}/settings"),
            Self::SignIn { next: None } => SIGNIN_PATH.to_owned(),
            Self::SignIn { next: Some(next) } => {
                format!(
                    "{SIGNIN_PATH}?next={}",
                    utf8_percent_encode(next, QUERY_VALUE)
                )
            }
        }
    }
}

/// `path` with `?q=` for a search of the list on that page (nothing when `q` is blank).
pub fn with_search(path: &str, q: &str) -> String {
    match q.trim() {
        "" => path.to_owned(),
        q => format!("{path}?q={}", utf8_percent_encode(q, QUERY_VALUE)),
    }
}

/// The path, query and fragment of a location, as `next` carries it (`search` is the query
/// without its `?`, `hash` the fragment with its `#`, as the router gives them).
pub fn location_path(pathname: &str, search: &str, hash: &str) -> String {
    let query = if search.is_empty() { "" } else { "?" };
    format!("{pathname}{query}{search}{hash}")
}

/// The page to open after signing in: `next` when it is a path on this site, otherwise
/// Workspaces. `next` comes from a link anyone can craft, so anything that a browser could
/// read as another site (`//host`, `/\host`, `https:`, `javascript:`, the same hidden behind
/// percent-encoding, tabs or newlines) is refused rather than repaired.
pub fn safe_next(next: &str) -> String {
    if is_same_site_path(next) {
        next.to_owned()
    } else {
        AFTER_SIGNIN_PATH.to_owned()
    }
}

fn is_same_site_path(next: &str) -> bool {
    if next.len() > NEXT_MAX_LEN {
        return false;
    }
    // Check the text and every layer of percent-decoding, in case something downstream
    // decodes it again.
    let mut layer = next.to_owned();
    for _ in 0..4 {
        let plain = layer.starts_with('/')
            && !layer.starts_with("//")
            && !layer.contains('\\')
            && !layer.chars().any(char::is_control);
        if !plain {
            return false;
        }
        let decoded = percent_decode_str(&layer).decode_utf8_lossy().into_owned();
        if decoded == layer {
            return !is_signin_path(next);
        }
        layer = decoded;
    }
    // Still changing after four decodings: not a link a person made.
    false
}

/// Whether `path` is the sign-in page itself (returning there would loop).
fn is_signin_path(path: &str) -> bool {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    path[..end].trim_end_matches('/') == SIGNIN_PATH
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_have_the_paths_of_the_product_brief() {
        assert_eq!(
            Page::Workspaces(WorkspaceTab::SharedPartner).href(),
            "/workspaces?tab=shared_partner"
        );
        assert_eq!(
            Page::WorkspaceSettings("w1").href(),
            "/workspace/w1/settings"
        );
        assert_eq!(
            Page::Partnerships.href(),
            "/settings/team/partnerships/external-partners"
        );
        assert_eq!(Page::SignIn { next: None }.href(), "/signin");
    }

    #[test]
    fn the_sign_in_link_carries_next_encoded_as_one_query_value() {
        assert_eq!(
            Page::SignIn {
                next: Some(PARTNERSHIPS_PATH)
            }
            .href(),
            "/signin?next=/settings/team/partnerships/external-partners"
        );
        assert_eq!(
            Page::SignIn {
                next: Some("/workspaces?tab=shared_partner&q=a b#top")
            }
            .href(),
            "/signin?next=/workspaces%3Ftab%3Dshared_partner%26q%3Da%20b%23top"
        );
        assert_eq!(
            Page::SignIn {
                next: Some("/workspace/é+%")
            }
            .href(),
            "/signin?next=/workspace/%C3%A9%2B%25"
        );
    }

    #[test]
    fn a_search_is_one_query_value_of_the_page() {
        assert_eq!(with_search("/workspace/w1", " "), "/workspace/w1");
        assert_eq!(
            with_search("/workspace/w1", " gina&x=1 "),
            "/workspace/w1?q=gina%26x%3D1"
        );
    }

    #[test]
    fn a_location_becomes_one_path_with_its_query_and_fragment() {
        assert_eq!(location_path("/workspaces", "", ""), "/workspaces");
        assert_eq!(
            location_path("/workspaces", "tab=mine", "#list"),
            "/workspaces?tab=mine#list"
        );
    }

    #[test]
    fn paths_on_this_site_are_kept_with_their_query_and_fragment() {
        for next in [
            "/workspaces",
            "/workspaces?tab=shared_partner",
            "/workspaces?tab=shared_partner&q=payments&page=2",
            "/workspace/w_123/settings",
            "/settings/team/partnerships/external-partners?q=globex&sso=enforced#requests",
            "/workspace/a%20b",
            "/search?q=https://elsewhere.example",
            "/",
        ] {
            assert_eq!(safe_next(next), next, "{next:?} is a path on this site");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_goes_to_workspaces() {
        for next in [
            "",
            " ",
            "//elsewhere.example",
            "//elsewhere.example/workspaces",
            "///elsewhere.example",
            "https://elsewhere.example",
            "http:elsewhere.example",
            "HTTPS://elsewhere.example",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "/\\elsewhere.example",
            "\\\\elsewhere.example",
            "/workspaces\\..\\\\elsewhere.example",
            "elsewhere.example",
            "workspaces",
            " /workspaces",
            "%2F%2Felsewhere.example",
            "/%2F%2Felsewhere.example",
            "/%2f%2felsewhere.example",
            "/%5Celsewhere.example",
            "/%5celsewhere.example",
            "/%252F%252Felsewhere.example",
            "/%25252F%25252Felsewhere.example",
            "/\t/elsewhere.example",
            "/\n/elsewhere.example",
            "/%09/elsewhere.example",
            "/%0D%0A/elsewhere.example",
            "/workspaces\0",
            "/workspaces%00",
        ] {
            assert_eq!(
                safe_next(next),
                "/workspaces",
                "{next:?} must not be followed"
            );
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(3000))), "/workspaces");
    }

    #[test]
    fn the_sign_in_page_itself_is_not_a_destination() {
        for next in [
            "/signin",
            "/signin/",
            "/signin?next=/workspaces",
            "/signin#x",
        ] {
            assert_eq!(safe_next(next), "/workspaces", "{next:?} would loop");
        }
        assert_eq!(safe_next("/signing-policy"), "/signing-policy");
    }
}
