//! `GET /api/migration` and `POST /api/migration`: legacy partner workspaces.

use gloo_net::http::Method;
use partner_api::migration::{MigrationOverview, MigrationPlan, MigrationRun, RunMigration};

use super::{ApiError, client};

/// One page (`per_page` long) of the team's legacy partner workspaces, their counts by
/// state, and the team's current or latest run.
pub async fn overview(page: u32, per_page: u32) -> Result<MigrationOverview, ApiError> {
    client::get(&format!(
        "/api/migration?page={}&per_page={per_page}",
        page.max(1)
    ))
    .await
}

/// What migrating now would do: workspaces, people, and the email each gets (the first
/// ones of each, with totals).
pub async fn dry_run() -> Result<MigrationPlan, ApiError> {
    client::send(
        Method::POST,
        "/api/migration",
        Some(&RunMigration { dry_run: true }),
    )
    .await
}

/// Starts migrating the team's remaining legacy workspaces (or resumes its unfinished
/// run) and answers at once with the run; follow it with [`overview`].
pub async fn migrate_now() -> Result<MigrationRun, ApiError> {
    client::send(
        Method::POST,
        "/api/migration",
        Some(&RunMigration { dry_run: false }),
    )
    .await
}
