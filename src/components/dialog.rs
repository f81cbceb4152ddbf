use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::html;
use leptos::prelude::*;
use stylers_macro::style;

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// A modal dialog on the native `<dialog>`: the page behind is inert (focus is trapped),
/// Escape closes it, and focus returns to the element that opened it.
/// The title names the action ("Turn on multi-partner mode?"); children hold the body
/// and the buttons.
#[component]
pub fn Dialog(
    /// Whether the dialog is open (the owner decides).
    #[prop(into)]
    open: Signal<bool>,
    /// Called when the person closes it (Escape, or a Cancel button that calls it).
    #[prop(into)]
    on_close: Callback<()>,
    #[prop(into)] title: Signal<String>,
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
            node_ref=dialog
            aria-labelledby=labelled_by
            on:cancel=move |ev: web_sys::Event| {
                ev.prevent_default();
                on_close.run(());
            }
        >
            <h2 class="dialog-title" id=title_id>
                {title}
            </h2>
            <div class="dialog-body">{move || open.get().then(|| children())}</div>
        </dialog>
    }
}
