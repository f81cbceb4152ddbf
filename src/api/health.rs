//! `GET /api/health`.

use partner_api::Health;

use super::{ApiError, client};

/// Asks whether the server and its database answer.
pub async fn get() -> Result<Health, ApiError> {
    client::get("/api/health").await
}
