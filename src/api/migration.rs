//! `GET /api/migration` and `POST /api/migration`: legacy partner workspaces.

use gloo_net::http::Method;
use partner_api::migration::{MigrationOverview, MigrationPlan, RunMigration};

use super::{ApiError, client};

/// The team's legacy partner workspaces, their state and schedule.
pub async fn overview() -> Result<MigrationOverview, ApiError> {
    client::get("/api/migration").await
}

/// What migrating now would do: workspaces, people, and the email each gets.
pub async fn dry_run() -> Result<MigrationPlan, ApiError> {
    client::send(
        Method::POST,
        "/api/migration",
        Some(&RunMigration { dry_run: true }),
    )
    .await
}

/// Migrates the team's remaining legacy workspaces now and says what was done.
pub async fn migrate_now() -> Result<MigrationPlan, ApiError> {
    client::send(
        Method::POST,
        "/api/migration",
        Some(&RunMigration { dry_run: false }),
    )
    .await
}
