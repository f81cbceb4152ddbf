//! `GET /api/seats`.

use partner_api::partnerships::Seats;

use super::{ApiError, client};

/// The caller's team's Partner Editor seats: used and included by the plan.
pub async fn get() -> Result<Seats, ApiError> {
    client::get("/api/seats").await
}
