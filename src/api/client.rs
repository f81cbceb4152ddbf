//! The HTTP plumbing shared by every resource module.

use gloo_net::http::{Method, RequestBuilder, Response};
use partner_api::events::TAB_HEADER;
use partner_api::{CSRF_HEADER, CSRF_VALUE};
use send_wrapper::SendWrapper;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortController;

use super::{ApiError, early};

/// Aborts the request when the future awaiting it is dropped, or when the reactive
/// owner that started it is cleaned up (the page was left), whichever comes first.
struct AbortOnDrop(Option<AbortController>);

impl AbortOnDrop {
    fn new() -> Self {
        let controller = AbortController::new().ok();
        if let Some(controller) = controller.clone() {
            let controller = SendWrapper::new(controller);
            leptos::prelude::on_cleanup(move || controller.abort());
        }
        Self(controller)
    }

    fn signal(&self) -> Option<web_sys::AbortSignal> {
        self.0.as_ref().map(AbortController::signal)
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = &self.0 {
            controller.abort();
        }
    }
}

/// This tab's random id, made once per page load: sent with every request (and named by
/// the live update stream), so the changes this tab makes aren't sent back to it.
pub fn tab_id() -> &'static str {
    thread_local! {
        static TAB: &'static str = {
            let part = || (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
            Box::leak(format!("tab-{:08x}{:08x}", part(), part()).into_boxed_str())
        };
    }
    TAB.with(|tab| *tab)
}

/// `GET path` and decode the JSON answer: the page's early request for exactly that path
/// when there is one (see [`early`]), else a request of its own.
pub(super) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    if let Some(early) = early::take(path)
        && let Ok(response) = JsFuture::from(early).await
        && let Ok(response) = response.dyn_into::<web_sys::Response>()
    {
        return decode(Response::from(response)).await;
    }
    send::<(), T>(Method::GET, path, None).await
}

/// Sends a request (with the CSRF header and, if given, a JSON body) and decodes the answer.
pub(super) async fn send<B: Serialize, T: DeserializeOwned>(
    method: Method,
    path: &str,
    body: Option<&B>,
) -> Result<T, ApiError> {
    if method != Method::GET {
        // A write: what was read early may no longer be so.
        early::forget();
    }
    let abort = AbortOnDrop::new();
    let signal = abort.signal();
    let builder = RequestBuilder::new(path)
        .method(method)
        .header(CSRF_HEADER, CSRF_VALUE)
        .header(TAB_HEADER, tab_id())
        .header("Accept", "application/json")
        .abort_signal(signal.as_ref());
    let request = match body {
        Some(body) => builder
            .json(body)
            .map_err(|_| ApiError::Unexpected { status: 0 })?,
        None => builder
            .build()
            .map_err(|_| ApiError::Unexpected { status: 0 })?,
    };
    let response = request.send().await.map_err(|_| ApiError::Network)?;
    decode(response).await
}

/// Reads an answer: the JSON body of a 2xx, else the API's error.
async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Network)?;
    if !response.ok() {
        let retry_after = response.headers().get("retry-after");
        return Err(ApiError::from_response(status, &text).with_retry_after(retry_after.as_deref()));
    }
    // 204 and other empty answers decode as `()` or `null`.
    let text = if text.is_empty() { "null" } else { &text };
    serde_json::from_str(text).map_err(|_| ApiError::Unexpected { status })
}
