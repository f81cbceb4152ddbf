//! Component tests: mount real components in headless Chromium and assert on the DOM.
#![cfg(target_arch = "wasm32")]

mod support;

mod shell;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
