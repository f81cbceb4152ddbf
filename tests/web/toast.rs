use leptos::prelude::*;
use partner_workspaces::components::toast::{ToastKind, ToastRegion, Toasts, use_toasts};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::HtmlDialogElement;

use crate::support::{Mounted, mount};

/// Whether a person could click `selector` now: it is what the pointer finds at its centre,
/// neither covered by a modal dialog nor made inert by one.
fn clickable(page: &Mounted, selector: &str) -> bool {
    let Some(element) = page.find(selector) else {
        return false;
    };
    js_sys::Function::new_with_args(
        "el",
        "const r = el.getBoundingClientRect();
         const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
         return hit !== null && el.contains(hit);",
    )
    .call1(&JsValue::NULL, &element)
    .unwrap()
    .is_truthy()
}

fn dialog(page: &Mounted, selector: &str) -> HtmlDialogElement {
    page.find(selector).unwrap().unchecked_into()
}

/// A toast region around two nested dialogs (a drawer and the confirmation it opens), which
/// are on the page while `dialogs` is true.
async fn region_with_dialogs(dialogs: RwSignal<bool>) -> (Mounted, Toasts) {
    let toasts = StoredValue::new(None::<Toasts>);
    let page = mount(move || {
        view! {
            <ToastRegion>
                {toasts.set_value(Some(use_toasts()))}
                <p>"The page"</p>
                {move || {
                    dialogs
                        .get()
                        .then(|| {
                            view! {
                                <dialog id="drawer">
                                    <p>"A drawer"</p>
                                    <dialog id="confirm">
                                        <p>"Remove?"</p>
                                    </dialog>
                                </dialog>
                            }
                        })
                }}
            </ToastRegion>
        }
    });
    page.until("the dialogs", |page| page.find("#drawer").is_some())
        .await;
    (page, toasts.get_value().unwrap())
}

#[wasm_bindgen_test]
async fn toasts_shown_under_modal_dialogs_are_in_the_topmost_one_and_can_be_undone() {
    let (page, toasts) = region_with_dialogs(RwSignal::new(true)).await;
    let undone = RwSignal::new(false);

    dialog(&page, "#drawer").show_modal().unwrap();
    dialog(&page, "#confirm").show_modal().unwrap();
    toasts.show_with_undo(
        "Ivan Ito no longer has access to Payments API.",
        Callback::new(move |()| undone.set(true)),
    );
    page.until("Undo on top and not inert", |page| {
        clickable(page, ".toast button")
    })
    .await;
    assert!(clickable(&page, "button[aria-label=Dismiss]"));
    assert!(page.find("#confirm .toast").is_some());
    page.click(".toast button");
    page.until("the undo", |_| undone.get_untracked()).await;

    // The confirmation closes: the toasts follow to the drawer, now on top.
    toasts.show(ToastKind::Error, "Couldn't remove Ivan Ito.");
    dialog(&page, "#confirm").close();
    page.until("Dismiss on top and not inert", |page| {
        clickable(page, "button[aria-label=Dismiss]")
    })
    .await;
    assert!(page.find("#drawer > .toasts").is_some());

    // The drawer closes: back where they were rendered.
    dialog(&page, "#drawer").close();
    page.until("the toasts back on the page", |page| {
        page.find("dialog .toasts").is_none() && page.find(".toasts .toast").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn toasts_come_back_when_their_dialog_leaves_the_page_open() {
    let dialogs = RwSignal::new(true);
    let (page, toasts) = region_with_dialogs(dialogs).await;

    dialog(&page, "#drawer").show_modal().unwrap();
    toasts.show(ToastKind::Success, "Saved.");
    page.until("the toast in the drawer", |page| {
        page.find("#drawer .toast").is_some()
    })
    .await;

    // As when a person leaves the page while its drawer is open.
    dialogs.set(false);
    page.until("the toast back on the page", |page| {
        page.find("#drawer").is_none() && page.find(".toasts .toast").is_some()
    })
    .await;
}
