//! `safe_next` against Chromium's own URL parser: every accepted `next` is the path the
//! browser resolves it to, on this origin; anything the browser resolves elsewhere is
//! refused.

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

/// The path, query and fragment of a URL on `origin`, as the browser serialises them
/// (`search` and `hash` would drop an empty `?` or `#`).
fn path_of(url: &Url, origin: &str) -> String {
    url.href().strip_prefix(origin).unwrap().to_owned()
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
                    let answer = safe_next(&next, &origin);
                    let browser = Url::new_with_base(&next, &origin).ok();
                    let same_site = browser.as_ref().is_some_and(|url| url.origin() == origin);
                    if answer == AFTER_SIGNIN_PATH && next != AFTER_SIGNIN_PATH {
                        continue;
                    }
                    kept += 1;
                    assert!(same_site, "{next:?} leaves the site in Chromium");
                    let browser = browser.unwrap();
                    assert_eq!(answer, path_of(&browser, &origin), "{next:?}");
                    // The answer itself resolves to the same URL (what replaceState gets).
                    let again = Url::new_with_base(&answer, &origin).unwrap();
                    assert_eq!(again.href(), browser.href(), "{next:?}");
                }
            }
        }
    }
    // The pieces make enough paths that are kept for the comparison to mean something.
    assert!(kept > 1_000, "only {kept} of {checked} kept");
}
