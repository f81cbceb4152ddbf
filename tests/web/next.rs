//! `safe_next` in the browser, where it resolves URLs with Chromium's own parser: every
//! kept `next` is the path Chromium resolves it to, on this origin, and Chromium and the
//! url crate (which decides `next` in the host's fuzz test, src/routes.rs) resolve every
//! generated `next` alike.

use partner_workspaces::routes::{AFTER_SIGNIN_PATH, safe_next};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Url;

/// Pieces of crafted `next` values (see the host fuzz test in src/routes.rs).
const PIECES: [&str; 26] = [
    "/",
    "//",
    "\\",
    ".",
    "..",
    "%2e",
    "%2E.",
    "%2F",
    "%5C",
    "%09",
    "\t",
    "\n",
    " ",
    "@",
    ":",
    "javascript:",
    "https:",
    "//evil.example",
    "evil.example",
    "?",
    "#",
    "a",
    "é",
    "%",
    "~",
    "signin",
];

/// The path, query and fragment `input` leads to on `origin`; `None` when it leads to
/// another origin or is no URL (both are refused, and the two parsers differ on some
/// hosts: Chromium reads `///.` as `http://./`, the url crate refuses it). By Chromium.
fn in_chromium(input: &str, origin: &str) -> Option<String> {
    let url = Url::new_with_base(input, origin).ok()?;
    let href = url.href();
    (url.origin() == origin)
        .then(|| href.strip_prefix(origin).map(str::to_owned))
        .flatten()
}

/// The same, by the url crate.
fn in_url_crate(input: &str, origin: &str) -> Option<String> {
    let base = url::Url::parse(origin).unwrap();
    let url = base.join(input).ok()?;
    (url.origin() == base.origin()).then(|| url[url::Position::BeforePath..].to_owned())
}

#[wasm_bindgen_test]
fn every_kept_next_is_the_path_chromium_resolves_on_this_origin() {
    let origin = leptos::prelude::window().location().origin().unwrap();
    let mut kept = 0;
    let mut checked = 0;
    for a in PIECES {
        for b in PIECES {
            for c in PIECES {
                for start in ["/", ""] {
                    let next = format!("{start}{a}{b}{c}");
                    checked += 1;
                    let chromium = in_chromium(&next, &origin);
                    assert_eq!(chromium, in_url_crate(&next, &origin), "{next:?}");
                    let answer = safe_next(&next, &origin);
                    if answer == AFTER_SIGNIN_PATH && next != AFTER_SIGNIN_PATH {
                        continue;
                    }
                    kept += 1;
                    assert!(
                        answer.starts_with('/') && !answer.starts_with("//"),
                        "{next:?} -> {answer:?}"
                    );
                    assert!(!answer.chars().any(char::is_control), "{next:?}");
                    assert_eq!(chromium.as_deref(), Some(answer.as_str()), "{next:?}");
                    // The answer itself leads to the same place (what replaceState gets).
                    assert_eq!(in_chromium(&answer, &origin), chromium, "{next:?}");
                }
            }
        }
    }
    // The pieces make enough paths that are kept for the comparison to mean something.
    assert!(kept > 1_000, "only {kept} of {checked} kept");
}
