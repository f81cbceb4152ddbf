use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use stylers_macro::style;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MutationObserver, MutationObserverInit};

/// How long a toast stays.
const TOAST_TIME: Duration = Duration::from_secs(5);

/// The kind of news a toast brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
    undo: Option<Callback<()>>,
}

/// The app's toasts; provided once by `ToastRegion`, used through `use_toasts()`.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Shows a message for 5 s.
    pub fn show(&self, kind: ToastKind, message: impl Into<String>) {
        self.push(kind, message.into(), None);
    }

    /// Shows a message with an Undo button.
    pub fn show_with_undo(&self, message: impl Into<String>, undo: Callback<()>) {
        self.push(ToastKind::Success, message.into(), Some(undo));
    }

    fn push(&self, kind: ToastKind, message: String, undo: Option<Callback<()>>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.list.update(|list| {
            list.push(Toast {
                id,
                kind,
                message,
                undo,
            })
        });
        let list = self.list;
        set_timeout(
            move || list.update(|l| l.retain(|t| t.id != id)),
            TOAST_TIME,
        );
    }

    fn dismiss(&self, id: u64) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }
}

/// The toasts of the nearest `ToastRegion`.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// The open modal dialogs inside `within`, in document order.
fn modal_dialogs(within: &web_sys::Element) -> Vec<web_sys::Element> {
    let Ok(found) = within.query_selector_all("dialog:modal") else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into().ok())
        .collect()
}

/// What to watch: dialogs opening and closing; with `tree`, also elements coming and going.
fn watch(tree: bool) -> MutationObserverInit {
    let options = MutationObserverInit::new();
    options.set_subtree(true);
    options.set_attribute_filter(&js_sys::Array::of1(&"open".into()));
    options.set_child_list(tree);
    options
}

/// Keeps `region` inside the topmost open modal dialog of the page it is rendered in (`home`,
/// its parent), and in its place there while none is open; returns what stops it. A modal
/// dialog covers everything outside it and makes it inert: toasts left outside could be
/// neither read nor dismissed nor undone.
fn follow_modal_dialogs(region: web_sys::Element, home: web_sys::Element) -> impl FnOnce() {
    let home_next = region.next_sibling();
    // The open modal dialogs in the order they opened: the last one is on top.
    let mut stack = Vec::<web_sys::Element>::new();
    let place = Rc::new(RefCell::new(move |observer: &MutationObserver| {
        let open = modal_dialogs(&home);
        stack.retain(|dialog| open.contains(dialog));
        for dialog in open {
            if !stack.contains(&dialog) {
                stack.push(dialog);
            }
        }
        let host = stack.last().unwrap_or(&home);
        if region.parent_element().as_ref() != Some(host) {
            // Back home, before the same sibling as at first if it is still there.
            let next = home_next
                .as_ref()
                .filter(|next| host == &home && next.parent_element().as_ref() == Some(host));
            _ = host.insert_before(&region, next);
        }
        // Away from home, the host dialog can leave with the view it belongs to (no `open`
        // change then): watch the tree too, but only while away.
        _ = observer.observe_with_options(&home, &watch(!stack.is_empty()));
    }));
    let callback = Closure::<dyn FnMut(js_sys::Array, MutationObserver)>::new({
        let place = Rc::clone(&place);
        move |_records, observer: MutationObserver| (place.borrow_mut())(&observer)
    });
    let observer = MutationObserver::new(callback.as_ref().unchecked_ref())
        .expect("MutationObserver is in every browser the app supports");
    // A dialog may be open already.
    (place.borrow_mut())(&observer);
    move || {
        observer.disconnect();
        drop(callback);
    }
}

/// Provides `Toasts` to its children and shows them bottom-right (aria-live polite), inside
/// the topmost open modal dialog while there is one.
#[component]
pub fn ToastRegion(children: Children) -> impl IntoView {
    let toasts = Toasts {
        list: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    };
    provide_context(toasts);
    let region = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(region) = region.get()
            && let Some(home) = region.parent_element()
        {
            let stop = SendWrapper::new(follow_modal_dialogs(region.into(), home));
            on_cleanup(move || stop.take()());
        }
    });
    let class = style! {
        .toasts {
            position: fixed;
            right: var(--space-4);
            bottom: var(--space-4);
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            z-index: 50;
            max-width: min(420px, 100vw - 32px);
        }
        .toast {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-3) var(--space-4);
            border-radius: var(--radius-card);
            background: var(--color-text);
            color: var(--color-bg);
            box-shadow: var(--shadow-dialog);
        }
        .toast.error {
            background: var(--color-danger);
            color: var(--color-danger-text);
        }
        .toast button {
            background: none;
            border: none;
            color: inherit;
            font-weight: 600;
            text-decoration: underline;
            cursor: pointer;
            padding: 0;
        }
        .message {
            flex: 1;
        }
    };
    view! { class=class,
        {children()}
        <div class="toasts" role="status" aria-live="polite" node_ref=region>
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class=move || {
                    if toast.kind == ToastKind::Error { "toast error" } else { "toast" }
                }>
                    <span class="message">{toast.message.clone()}</span>
                    {toast
                        .undo
                        .map(|undo| {
                            let id = toast.id;
                            view! { class=class,
                                <button on:click=move |_| {
                                    undo.run(());
                                    toasts.dismiss(id);
                                }>"Undo"</button>
                            }
                        })}
                    <button aria-label="Dismiss" on:click=move |_| toasts.dismiss(toast.id)>
                        <span aria-hidden="true">"✕"</span>
                    </button>
                </div>
            </For>
        </div>
    }
}
