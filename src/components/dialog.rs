use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html;
use leptos::prelude::*;
use stylers_macro::style;

use super::icon::{Icon, IconName};

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A modal dialog on the native `<dialog>`: the page behind is inert (focus is trapped),
/// Escape closes it, and focus returns to the element that opened it.
/// The title names the action ("Turn on multi-partner mode?"); children hold the body
/// and the buttons. As a `drawer` it sits at the right edge at full height, with a Close
/// button beside the title (for details that keep the page behind in view).
#[component]
pub fn Dialog(
    /// Whether the dialog is open (the owner decides).
    #[prop(into)]
    open: Signal<bool>,
    /// Called when the person closes it (Escape, or a Cancel button that calls it).
    #[prop(into)]
    on_close: Callback<()>,
    #[prop(into)] title: Signal<String>,
    /// A full-height side panel instead of a centred dialog.
    #[prop(optional)]
    drawer: bool,
    children: ChildrenFn,
) -> impl IntoView {
    let class = style! {
        dialog {
            width: min(520px, 100vw - 32px);
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
            color: var(--color-text);
            box-shadow: var(--shadow-dialog);
        }
        dialog::backdrop {
            background: rgba(31, 35, 40, 0.45);
        }
        .dialog-title {
            padding: var(--space-4) var(--space-5) 0;
            font-size: var(--text-lg);
        }
        .dialog-body {
            padding: var(--space-4) var(--space-5) var(--space-5);
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        dialog.drawer {
            width: min(560px, 100vw);
            height: 100vh;
            max-height: 100vh;
            margin: 0 0 0 auto;
            border-width: 0 0 0 1px;
            border-radius: 0;
        }
        .drawer-head {
            display: flex;
            align-items: flex-start;
            justify-content: space-between;
            gap: var(--space-3);
            padding: var(--space-4) var(--space-5);
            border-bottom: 1px solid var(--color-border);
            position: sticky;
            top: 0;
            background: var(--color-bg);
            z-index: 1;
        }
        .drawer-head .dialog-title {
            padding: 0;
            overflow-wrap: anywhere;
        }
        .close {
            flex: none;
            width: 32px;
            height: 32px;
            display: grid;
            place-items: center;
            border: 1px solid transparent;
            border-radius: var(--radius-control);
            background: none;
            color: var(--color-text-secondary);
            cursor: pointer;
        }
        .close:hover {
            border-color: var(--color-border);
            color: var(--color-text);
        }
    };
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let title_id = format!("dialog-title-{id}");
    let labelled_by = title_id.clone();
    let dialog = NodeRef::<html::Dialog>::new();
    let opener = StoredValue::new_local(None::<web_sys::HtmlElement>);

    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        let want_open = open.get();
        if want_open && !el.open() {
            opener.set_value(
                document()
                    .active_element()
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok()),
            );
            let _ = el.show_modal();
        } else if !want_open && el.open() {
            el.close();
            if let Some(opener) = opener.get_value() {
                let _ = opener.focus();
            }
        }
    });

    view! { class=class,
        <dialog
            class:drawer=drawer
            node_ref=dialog
            aria-labelledby=labelled_by
            on:cancel=move |ev: web_sys::Event| {
                ev.prevent_default();
                on_close.run(());
            }
        >
            {if drawer {
                view! { class=class,
                    <div class="drawer-head">
                        <h2 class="dialog-title" id=title_id>
                            {title}
                        </h2>
                        <button
                            type="button"
                            class="close"
                            aria-label="Close"
                            on:click=move |_| on_close.run(())
                        >
                            <Icon name=IconName::X />
                        </button>
                    </div>
                }
                    .into_any()
            } else {
                view! { class=class,
                    <h2 class="dialog-title" id=title_id>
                        {title}
                    </h2>
                }
                    .into_any()
            }}
            <div class="dialog-body">{move || open.get().then(|| children())}</div>
        </dialog>
    }
}
