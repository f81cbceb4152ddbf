use std::time::Duration;

use leptos::mount::mount_to;
use leptos::prelude::*;
use partner_api::session::{MyTeam, UserRef};
use partner_api::{Me, Plan, TeamRole};
use wasm_bindgen::{JsCast, JsValue};

use web_sys::{Event, EventInit, HtmlElement, HtmlInputElement};

/// Paul, Partner Manager of Acme Payments, as `GET /api/me` describes him.
pub fn paul() -> Me {
    Me {
        user: UserRef {
            id: "u_paul".into(),
            name: "Paul Partner".to_owned(),
            email: "paul@acme.test".to_owned(),
        },
        team: Some(MyTeam {
            id: "t_acme".into(),
            name: "Acme Payments".to_owned(),
            plan: Plan::Professional,
        }),
        team_role: Some(TeamRole::Member),
        is_partner_manager: true,
    }
}

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

    /// The first element matching `selector`, which must exist.
    fn expect(&self, selector: &str) -> web_sys::Element {
        self.find(selector).unwrap_or_else(|| {
            panic!(
                "no element matches {selector}; the DOM says: {}",
                self.root.inner_html()
            )
        })
    }

    /// An attribute of the first element matching `selector`.
    pub fn attr(&self, selector: &str, name: &str) -> Option<String> {
        self.expect(selector).get_attribute(name)
    }

    /// Types `value` into the input matching `selector`, the way a person does: the value
    /// changes and an `input` event bubbles up.
    pub fn type_into(&self, selector: &str, value: &str) {
        let input: HtmlInputElement = self.expect(selector).unchecked_into();
        input.set_value(value);
        let init = EventInit::new();
        init.set_bubbles(true);
        let event = Event::new_with_event_init_dict("input", &init).unwrap();
        input.dispatch_event(&event).unwrap();
    }

    /// Clicks the element matching `selector`.
    pub fn click(&self, selector: &str) {
        self.expect(selector)
            .unchecked_into::<HtmlElement>()
            .click();
    }

    /// Presses `key` ("Escape") on the element matching `selector`: a `keydown` that bubbles.
    pub fn key(&self, selector: &str, key: &str) {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(key);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event =
            web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.expect(selector).dispatch_event(&event).unwrap();
    }

    /// The id of the element that has focus, if it has one.
    pub fn focused_id(&self) -> Option<String> {
        document()
            .active_element()
            .map(|element| element.id())
            .filter(|id| !id.is_empty())
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

/// Records the requests the page sends through `fetch`, as "METHOD /path", from the moment
/// it starts (requests still go out, to the test runner's server).
pub struct FetchLog;

impl FetchLog {
    /// Starts a fresh log.
    pub fn start() -> Self {
        js_sys::Function::new_no_args(
            "if (!window.__fetchLog) {
                 const fetch = window.fetch.bind(window);
                 window.fetch = (input, init) => {
                     // Read, never copy, the request: copying would use up its body.
                     const method = (init && init.method) || input.method || 'GET';
                     const url = new URL(input.url || String(input), location.href);
                     window.__fetchLog.push(method.toUpperCase() + ' ' + url.pathname);
                     return fetch(input, init);
                 };
             }
             window.__fetchLog = [];",
        )
        .call0(&JsValue::NULL)
        .unwrap();
        Self
    }

    /// The requests sent since [`FetchLog::start`].
    pub fn requests(&self) -> Vec<String> {
        let log = js_sys::Reflect::get(&window(), &JsValue::from_str("__fetchLog")).unwrap();
        js_sys::Array::from(&log)
            .iter()
            .filter_map(|entry| entry.as_string())
            .collect()
    }

    /// How many requests went to `request` ("POST /api/session").
    pub fn count(&self, request: &str) -> usize {
        self.requests().iter().filter(|r| *r == request).count()
    }
}

/// Holds back every PATCH the page sends until [`HeldPatches::release`], so the state
/// between Confirm and the server's answer can be seen; the request then goes out as sent.
pub struct HeldPatches;

impl HeldPatches {
    pub fn start() -> Self {
        js_sys::Function::new_no_args(
            "if (!window.__holdPatches) {
                 const fetch = window.fetch.bind(window);
                 window.fetch = (input, init) => {
                     const method = ((init && init.method) || input.method || 'GET').toUpperCase();
                     if (!window.__holdPatches.on || method !== 'PATCH') {
                         return fetch(input, init);
                     }
                     return new Promise(resolve => {
                         window.__holdPatches.waiting.push(() => resolve(fetch(input, init)));
                     });
                 };
                 window.__holdPatches = { on: false, waiting: [] };
             }
             window.__holdPatches.on = true;",
        )
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
        Self
    }

    pub fn release(self) {
        js_sys::Function::new_no_args(
            "window.__holdPatches.on = false;
             window.__holdPatches.waiting.splice(0).forEach(send => send());",
        )
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
    }
}
