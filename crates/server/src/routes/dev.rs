//! Development-only endpoints, served with `--demo` or `--dev` and 404 otherwise.

use axum::Json;
use axum::extract::State;
use partner_api::mailbox::{MailboxEmail, MailboxQuery};
use partner_api::{ErrorBody, Paginated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::ApiQuery;
use super::page_request;
use crate::error::AppError;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dev_mailbox))
}

/// The email outbox, newest first, so a person can read (and click) what the server
/// sent. Only in demo/dev mode: it shows everyone's email to anyone.
#[utoipa::path(
    get, path = "/dev/mailbox", tag = "dev",
    params(MailboxQuery),
    responses(
        (status = 200, body = Paginated<MailboxEmail>),
        (status = 404, description = "Not in demo/dev mode", body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn dev_mailbox(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<MailboxQuery>,
) -> Result<Json<Paginated<MailboxEmail>>, AppError> {
    if !state.config.dev_mode() {
        return Err(AppError::NotFound);
    }
    let page = page_request(query.page, query.per_page)?;
    Ok(Json(state.db.mailbox(query.to.as_deref(), page).await?))
}
