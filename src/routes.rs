//! Every client-side path of the app, so links are built in one place.

use partner_api::WorkspaceTab;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// A page of the app; [`Page::href`] gives its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page<'a> {
    /// Team Settings > General.
    TeamGeneral,
    /// Team Settings > Members.
    TeamMembers,
    /// Team Settings > Single sign-on.
    TeamSso,
    /// Team Settings > Partnerships.
    Partnerships,
    /// Team Settings > External access.
    ExternalAccess,
    /// Team Settings > Audit log.
    AuditLog,
    /// Team Settings > Access reviews.
    AccessReviews,
    /// One access review, by its id.
    AccessReview(&'a str),
    /// The page a team invitation's link opens.
    JoinTeam(&'a str),
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

/// The path of Team Settings > General.
pub const TEAM_GENERAL_PATH: &str = "/settings/team/general";

/// The path of Team Settings > Single sign-on.
pub const TEAM_SSO_PATH: &str = "/settings/team/sso";

/// The path of Team Settings > Members.
pub const TEAM_MEMBERS_PATH: &str = "/settings/team/members";

/// The path of Team Settings > External access.
pub const EXTERNAL_ACCESS_PATH: &str = "/settings/team/external-access";

/// The path of Team Settings > Audit log.
pub const AUDIT_LOG_PATH: &str = "/settings/team/audit-log";

/// The path of Team Settings > Access reviews (one review's page is below it).
pub const ACCESS_REVIEWS_PATH: &str = "/settings/team/access-reviews";

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
            Self::TeamGeneral => TEAM_GENERAL_PATH.to_owned(),
            Self::TeamMembers => TEAM_MEMBERS_PATH.to_owned(),
            Self::TeamSso => TEAM_SSO_PATH.to_owned(),
            Self::Partnerships => PARTNERSHIPS_PATH.to_owned(),
            Self::ExternalAccess => EXTERNAL_ACCESS_PATH.to_owned(),
            Self::AuditLog => AUDIT_LOG_PATH.to_owned(),
            Self::AccessReviews => ACCESS_REVIEWS_PATH.to_owned(),
            Self::AccessReview(id) => format!(
                "{ACCESS_REVIEWS_PATH}/{}",
                utf8_percent_encode(id, QUERY_VALUE)
            ),
            Self::JoinTeam(token) => format!("/join/{}", utf8_percent_encode(token, QUERY_VALUE)),
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

/// The page to open after signing in, for a page whose origin is `origin`
/// (`http://host:port`): the path, query and fragment of the URL the browser resolves
/// `next` to, when that URL is on this origin and that path leads back to it; otherwise
/// Workspaces. `next` comes from a link anyone can craft, so it is decided on the URL
/// rules a browser applies (dot segments, backslashes, tabs…), not on its text alone.
pub fn safe_next(next: &str, origin: &str) -> String {
    resolve_next(next, origin).unwrap_or_else(|| AFTER_SIGNIN_PATH.to_owned())
}

/// [`safe_next`] for the page the app runs in.
pub fn next_after_sign_in(next: &str) -> String {
    safe_next(next, &page_origin())
}

/// The origin of the page the app runs in (empty when there is none: nothing then passes).
fn page_origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

fn resolve_next(next: &str, origin: &str) -> Option<String> {
    // The text must already look like a path of this site: anything else is refused
    // rather than repaired, even where a browser would make a same-site path of it.
    if !is_plain_path(next) {
        return None;
    }
    let resolved = resolve(next, origin)?;
    let path = resolved.path.as_deref()?;
    if is_signin_path(path) {
        return None;
    }
    // `/.//host` resolves to the path `//host`, which itself is another site: only a path
    // that resolves back to this very URL is kept.
    let fixpoint = resolve(path, origin)?.href == resolved.href;
    (fixpoint && is_plain_path(path)).then(|| path.to_owned())
}

/// A URL resolved against an origin by the WHATWG URL rules.
struct Resolved {
    /// The whole URL.
    href: String,
    /// Its path, query and fragment, when it is on that origin.
    path: Option<String>,
}

/// `input` resolved against `origin` with the url crate (the WHATWG parser): the host's
/// tests check the rules with it.
#[cfg(not(target_arch = "wasm32"))]
fn resolve(input: &str, origin: &str) -> Option<Resolved> {
    let base = url::Url::parse(origin).ok()?;
    let url = base.join(input).ok()?;
    let path = (url.origin() == base.origin()).then(|| url[url::Position::BeforePath..].to_owned());
    Some(Resolved {
        href: url.into(),
        path,
    })
}

/// `input` resolved against `origin` by the browser's own URL parser: the rules navigation
/// itself applies (the url crate follows the same standard but adds 55 KB of brotli to the
/// bundle; tests/web/next.rs compares the two).
#[cfg(target_arch = "wasm32")]
fn resolve(input: &str, origin: &str) -> Option<Resolved> {
    let origin = web_sys::Url::new(origin).ok()?.origin();
    let url = web_sys::Url::new_with_base(input, &origin).ok()?;
    let href = url.href();
    // On this origin and without user info, the URL is the origin followed by the path.
    let path = (url.origin() == origin)
        .then(|| {
            href.strip_prefix(&origin)
                .filter(|path| path.starts_with('/'))
        })
        .flatten()
        .map(str::to_owned);
    Some(Resolved { href, path })
}

/// Whether `next` is text that starts a path on this site: `/` but not `//` or `/\`, no
/// backslash or control character, in the text and in every layer of percent-decoding (in
/// case something downstream decodes it again).
fn is_plain_path(next: &str) -> bool {
    if next.len() > NEXT_MAX_LEN {
        return false;
    }
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
            return true;
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

    /// The origin the app is served from in these tests.
    const ORIGIN: &str = "http://127.0.0.1:8080";

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
        assert_eq!(Page::AccessReviews.href(), "/settings/team/access-reviews");
        assert_eq!(
            Page::AccessReview("r_1").href(),
            "/settings/team/access-reviews/r_1"
        );
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
            assert_eq!(
                safe_next(next, ORIGIN),
                next,
                "{next:?} is a path on this site"
            );
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
                safe_next(next, ORIGIN),
                "/workspaces",
                "{next:?} must not be followed"
            );
        }
        assert_eq!(
            safe_next(&format!("/{}", "a".repeat(3000)), ORIGIN),
            "/workspaces"
        );
    }

    #[test]
    fn a_path_whose_resolved_form_is_another_site_goes_to_workspaces() {
        // Each passes a check of the text; the browser resolves its path to `//host…`,
        // which leptos_router's replaceState refuses (SecurityError) and the app crashed.
        for next in [
            "/.//elsewhere.example",
            "/..//elsewhere.example",
            "/././/elsewhere.example/workspaces",
            "/a/..//elsewhere.example",
            "/%2e//elsewhere.example",
            "/%2E%2E//elsewhere.example",
            "/.%2e//elsewhere.example",
            "/workspaces/../..//elsewhere.example?x#y",
        ] {
            assert_eq!(
                safe_next(next, ORIGIN),
                "/workspaces",
                "{next:?} resolves to another site"
            );
        }
    }

    #[test]
    fn a_kept_path_is_the_one_the_browser_resolves() {
        for (next, resolved) in [
            ("/workspaces/../workspace/w1", "/workspace/w1"),
            ("/./workspaces?tab=mine", "/workspaces?tab=mine"),
            ("/workspace/%2e%2e/workspaces", "/workspaces"),
            ("/workspace/é", "/workspace/%C3%A9"),
            ("/workspaces?q=a b#c d", "/workspaces?q=a%20b#c%20d"),
            ("/workspaces/..", "/"),
        ] {
            assert_eq!(safe_next(next, ORIGIN), resolved, "{next:?}");
        }
    }

    #[test]
    fn without_a_page_origin_nothing_is_followed() {
        assert_eq!(safe_next("/workspace/w1", ""), "/workspaces");
        assert_eq!(safe_next("/workspace/w1", "null"), "/workspaces");
    }

    #[test]
    fn the_sign_in_page_itself_is_not_a_destination() {
        for next in [
            "/signin",
            "/signin/",
            "/signin?next=/workspaces",
            "/signin#x",
            "/signin/.",
            "/workspaces/../signin",
            "/%2e/signin",
        ] {
            assert_eq!(
                safe_next(next, ORIGIN),
                "/workspaces",
                "{next:?} would loop"
            );
        }
        assert_eq!(safe_next("/signing-policy", ORIGIN), "/signing-policy");
    }
}

/// `next` fuzzed with strings made of the pieces that change how a URL resolves.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod fuzz {
    use proptest::prelude::*;
    use url::{Position, Url};

    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:8080";

    /// Pieces of a crafted `next`: separators, dot segments, their encodings, whitespace the
    /// URL parser drops, schemes, another host, query and fragment marks, words.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "/",
                "//",
                "\\",
                ".",
                "..",
                "%2e",
                "%2E",
                "%2F",
                "%2f",
                "%5C",
                "%5c",
                "%09",
                "%0A",
                "%00",
                "%25",
                "%252F",
                "\t",
                "\n",
                "\r",
                " ",
                "@",
                ":",
                "javascript:",
                "https:",
                "http:",
                "data:",
                "//evil.example",
                "evil.example",
                "127.0.0.1:8080",
                "?",
                "#",
                "&",
                "=",
                "signin",
                "workspaces",
                "é",
                "ｅ",
                "\u{2028}",
                "\u{0}",
                "\u{7f}",
                "%",
                "~",
            ])
            .prop_map(str::to_owned),
            "[a-z0-9]{1,6}",
            any::<char>().prop_map(String::from),
        ]
    }

    fn crafted() -> impl Strategy<Value = String> {
        // Most start with `/`, where the hard cases are.
        (any::<bool>(), prop::collection::vec(piece(), 0..12)).prop_map(|(slash, pieces)| {
            format!("{}{}", if slash { "/" } else { "" }, pieces.concat())
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn the_answer_is_workspaces_or_a_path_that_resolves_to_itself_on_this_site(next in crafted()) {
            let answer = safe_next(&next, ORIGIN);
            if answer == AFTER_SIGNIN_PATH {
                return Ok(());
            }
            prop_assert!(answer.starts_with('/'), "{next:?} -> {answer:?}");
            prop_assert!(!answer.starts_with("//") && !answer.starts_with("/\\"), "{next:?} -> {answer:?}");
            prop_assert!(!answer.chars().any(char::is_control), "{next:?} -> {answer:?}");
            let base = Url::parse(ORIGIN).unwrap();
            let resolved = base.join(&answer).unwrap();
            prop_assert_eq!(resolved.origin(), base.origin(), "{:?} -> {:?}", next, answer);
            prop_assert_eq!(&resolved[Position::BeforePath..], answer.as_str(), "{:?}", next);
            prop_assert_eq!(safe_next(&answer, ORIGIN), answer.clone(), "{:?}", next);
        }

        #[test]
        fn a_plain_path_with_query_and_fragment_is_kept_as_it_is(
            next in "(/[a-z0-9_-]{1,8}){1,4}(\\?[a-z]{1,4}=[a-z0-9]{0,4}(&[a-z]{1,4}=[a-z0-9]{0,4}){0,2})?(#[a-z]{0,6})?"
        ) {
            prop_assume!(!is_signin_path(next.split(['?', '#']).next().unwrap()));
            prop_assert_eq!(safe_next(&next, ORIGIN), next);
        }
    }
}
