use leptos::prelude::*;
use partner_workspaces::components::field::Field;
use wasm_bindgen_test::wasm_bindgen_test;

use crate::support::{Mounted, mount};

/// A field whose error is set from the test.
async fn field(with_hint: bool) -> (Mounted, RwSignal<Option<String>>) {
    let error = RwSignal::new(None::<String>);
    let page = mount(move || {
        if with_hint {
            view! {
                <Field
                    id="pet-name"
                    label="Pet name"
                    error=error
                    hint=|| view! { <span class="count">"3 / 500"</span> }
                >
                    <input class="input" type="text" autocomplete="off" />
                </Field>
            }
            .into_any()
        } else {
            view! {
                <Field id="pet-name" label="Pet name" error=error>
                    <input class="input" type="text" autocomplete="off" />
                </Field>
            }
            .into_any()
        }
    });
    page.until("the field", |page| page.find("#pet-name").is_some())
        .await;
    (page, error)
}

#[wasm_bindgen_test]
async fn the_label_names_the_control_and_an_error_describes_it_while_shown() {
    let (page, error) = field(false).await;

    assert_eq!(page.attr("label", "for").as_deref(), Some("pet-name"));
    assert_eq!(
        page.attr("#pet-name", "autocomplete").as_deref(),
        Some("off")
    );
    assert_eq!(page.attr("#pet-name", "aria-invalid"), None);
    assert_eq!(page.attr("#pet-name", "aria-describedby"), None);

    error.set(Some("Give your pet a name.".to_owned()));
    page.until("the error", |page| page.find("#pet-name-error").is_some())
        .await;
    assert_eq!(
        page.find("#pet-name-error")
            .unwrap()
            .text_content()
            .unwrap(),
        "Give your pet a name."
    );
    assert_eq!(
        page.attr("#pet-name", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        page.attr("#pet-name", "aria-describedby").as_deref(),
        Some("pet-name-error")
    );

    error.set(None);
    page.until("the error to go", |page| {
        page.find("#pet-name-error").is_none()
    })
    .await;
    assert_eq!(page.attr("#pet-name", "aria-invalid"), None);
    assert_eq!(page.attr("#pet-name", "aria-describedby"), None);
}

#[wasm_bindgen_test]
async fn a_hint_always_describes_the_control_and_carries_the_error() {
    let (page, error) = field(true).await;

    assert_eq!(
        page.attr("#pet-name", "aria-describedby").as_deref(),
        Some("pet-name-hint")
    );
    assert_eq!(
        page.find("#pet-name-hint").unwrap().text_content().unwrap(),
        "3 / 500"
    );

    error.set(Some("Use at most 500 characters.".to_owned()));
    page.until("the error in the hint", |page| {
        page.find("#pet-name-hint .field-error").is_some()
    })
    .await;
    assert_eq!(
        page.attr("#pet-name", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        page.attr("#pet-name", "aria-describedby").as_deref(),
        Some("pet-name-hint")
    );
    assert!(page.find("#pet-name-error").is_none());
}
