use std::time::Duration;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use web_sys::HtmlElement;

/// A component mounted into its own element of the test page.
pub struct Mounted {
    pub root: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Mounts `view` into a fresh `<div>` appended to the body.
pub fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Mounted {
    let document = document();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), move || view().into_any());
    Mounted {
        root,
        _handle: handle,
    }
}

impl Mounted {
    /// The element's visible text.
    pub fn text(&self) -> String {
        self.root.inner_text()
    }

    /// The first element matching `selector`.
    pub fn find(&self, selector: &str) -> Option<web_sys::Element> {
        self.root.query_selector(selector).unwrap()
    }

    /// Waits (up to 5 s) until `condition` holds; Leptos updates the DOM asynchronously.
    pub async fn until(&self, what: &str, condition: impl Fn(&Self) -> bool) {
        for _ in 0..500 {
            if condition(self) {
                return;
            }
            gloo_timers::future::sleep(Duration::from_millis(10)).await;
        }
        panic!(
            "timed out waiting for {what}; the DOM says: {}",
            self.root.inner_html()
        );
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.root.remove();
    }
}
