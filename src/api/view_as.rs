//! "View as partner": `POST` / `DELETE /api/view-as`.

use gloo_net::http::Method;
use partner_api::view_as::{StartViewAs, ViewAs};

use super::{ApiError, client};

/// Starts viewing as a partner (the server sets the view's cookie); the app then opens
/// [`ViewAs::start_path`].
pub async fn start(start: &StartViewAs) -> Result<ViewAs, ApiError> {
    client::send(Method::POST, "/api/view-as", Some(start)).await
}

/// Ends the view (204): the viewer's own session answers again.
pub async fn exit() -> Result<(), ApiError> {
    client::send::<(), ()>(Method::DELETE, "/api/view-as", None).await
}
