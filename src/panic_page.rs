//! What a person sees when the app panics: a plain "Something went wrong" page with a link
//! that reloads it, instead of a page that no longer reacts. The release build aborts on
//! panic, so the wasm is dead afterwards: the page is built with DOM calls only, needs no
//! wasm (a real link; no inline script, which the server's CSP forbids) and is styled by
//! `style/main.css` (`.crash-*`).

use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// Whether the page is shown already (a dead app may panic again on the next event).
static SHOWN: AtomicBool = AtomicBool::new(false);

/// Logs panics to the console (as `console_error_panic_hook` does) and replaces the page
/// with the "Something went wrong" page.
pub fn install() {
    std::panic::set_hook(Box::new(on_panic));
}

fn on_panic(info: &PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    if !SHOWN.swap(true, Ordering::SeqCst) {
        show();
    }
}

/// Replaces the whole body with the "Something went wrong — Reload" page.
pub fn show() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    // A DOM call can only fail here if the document is gone: there is nothing else to try.
    _ = render(&document);
}

fn render(document: &Document) -> Result<(), JsValue> {
    let location = document.location().ok_or("no location")?;
    // Without the fragment: a link to the same URL with a fragment only scrolls.
    let here = format!(
        "{}{}{}",
        location.origin()?,
        location.pathname()?,
        location.search()?
    );

    let element = |tag: &str, class: &str, text: &str| -> Result<Element, JsValue> {
        let element = document.create_element(tag)?;
        element.set_class_name(class);
        if !text.is_empty() {
            element.set_text_content(Some(text));
        }
        Ok(element)
    };
    let page = element("main", "crash-page", "")?;
    let card = element("div", "crash-card", "")?;
    let title = element("h1", "crash-title", "Something went wrong")?;
    title.set_id("crash-title");
    let text = element(
        "p",
        "crash-text",
        "This page stopped working because of an error in the app. Reload it to carry on \
         where you were; anything you had not saved yet may need to be entered again.",
    )?;
    text.set_id("crash-text");
    let reload = element("a", "button button-primary crash-reload", "Reload")?;
    reload.set_attribute("href", &here)?;
    // The router's click handler lives in the dead wasm: it must leave this link alone.
    reload.set_attribute("rel", "external")?;
    // Focus starts on the link (below): it says what happened too.
    reload.set_attribute("aria-describedby", "crash-title crash-text")?;
    card.append_child(&title)?;
    card.append_child(&text)?;
    card.append_child(&reload)?;
    page.append_child(&card)?;

    // A new body: what the app still holds (nodes, an open modal dialog) goes with the old one.
    let body: HtmlElement = element("body", "", "")?.unchecked_into();
    body.append_child(&page)?;
    document.set_body(Some(&body));
    document.set_title("Something went wrong — Partner Workspaces");
    // Keyboard and screen reader users start at the way forward.
    _ = reload.unchecked_ref::<HtmlElement>().focus();
    Ok(())
}
