//! Early data: the answers `index.html`'s inline script asked for at navigation start, while
//! the wasm was still on its way (`/api/me`, `/api/session` and the first page's first read).
//! The client adopts one instead of asking again when its path is exactly the one about to be
//! requested, once, and only while the app still shows the page it was loaded on: the first
//! navigation or write forgets them all, so nothing adopted can be older than what the page
//! shows.

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The global the inline script fills: `{ "<path>": Promise<Response> }`.
const GLOBAL: &str = "__partnerEarly";

/// An answer older than this is asked for again (a wasm that took this long to arrive).
const MAX_AGE_MS: f64 = 10_000.0;

fn requests() -> Option<Object> {
    let window = web_sys::window()?;
    Reflect::get(&window, &JsValue::from_str(GLOBAL))
        .ok()?
        .dyn_into::<Object>()
        .ok()
}

/// The early request for exactly `path`, taken (a second ask goes to the server).
pub(super) fn take(path: &str) -> Option<Promise> {
    let requests = requests()?;
    let key = JsValue::from_str(path);
    let promise = Reflect::get(&requests, &key)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = Reflect::delete_property(&requests, &key);
    let now = web_sys::window()?.performance()?.now();
    (now <= MAX_AGE_MS).then_some(promise)
}

/// Forgets every early request: the app moved on from the page it was loaded on (a
/// navigation, a write, a sign-in), so their answers may no longer be what it would read.
pub fn forget() {
    if let Some(window) = web_sys::window() {
        let _ = Reflect::delete_property(&window, &JsValue::from_str(GLOBAL));
    }
}

/// The table of `index.html`'s inline script: page (path and query, exactly as in the
/// address bar) to the read it starts. Tests hold it against the paths the pages ask for.
#[cfg(test)]
pub(crate) fn index_html_reads() -> std::collections::BTreeMap<String, String> {
    let html = include_str!("../../index.html");
    let start = html
        .find("var reads = ")
        .expect("index.html has `var reads = `")
        + 12;
    let end = start + html[start..].find(";\n").expect("the table ends with `;`");
    serde_json::from_str(&html[start..end]).expect("the table is JSON")
}
