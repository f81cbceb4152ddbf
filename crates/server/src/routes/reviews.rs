//! Access reviews (`/reviews`): a Team Admin starts one; its reviewers (and the team's
//! Team Admins) see it, decide its grants and export its results.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use partner_api::ErrorBody;
use partner_api::reviews::{
    Decide, NewReview, ReviewChoices, ReviewDetail, ReviewList, ReviewQuery, ReviewSummary,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::page_request;
use crate::domain::authz::Caller;
use crate::error::AppError;
use crate::service::reviews;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_reviews, start_review))
        .routes(routes!(review_choices))
        .routes(routes!(get_review))
        .routes(routes!(decide_review))
        .routes(routes!(review_results_csv))
}

/// The caller's team's reviews they may see: all of them for Team Admins, their own for
/// reviewers; open ones first.
#[utoipa::path(
    get, path = "/reviews", tag = "reviews",
    responses((status = 200, body = ReviewList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn list_reviews(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReviewList>, AppError> {
    Ok(Json(reviews::list(&state.db, &caller).await?))
}

/// Starts a review (Team Admins): every active partner grant of the scope, reviewers who
/// are Team Admins, Partner Managers or Workspace Admins of the team, a due day, and what
/// happens to undecided grants then. Each reviewer gets one email. Audited.
#[utoipa::path(
    post, path = "/reviews", tag = "reviews",
    request_body = NewReview,
    responses(
        (status = 201, body = ReviewSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn start_review(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewReview>,
) -> Result<(StatusCode, Json<ReviewSummary>), AppError> {
    let review = reviews::start(&state.db, &caller, &body, &state.links).await?;
    state.jobs.wake_email_worker();
    Ok((StatusCode::CREATED, Json(review)))
}

/// What "Start a review" offers (Team Admins): the people who may review (Team Admins,
/// Partner Managers, Workspace Admins), the partner teams with access to the team's
/// workspaces, and its workspaces (at most 500 each, by name).
#[utoipa::path(
    get, path = "/reviews/choices", tag = "reviews",
    responses((status = 200, body = ReviewChoices), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn review_choices(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<ReviewChoices>, AppError> {
    Ok(Json(reviews::choices(&state.db, &caller).await?))
}

/// A review and one page of its grants (its reviewers and the team's Team Admins).
#[utoipa::path(
    get, path = "/reviews/{id}", tag = "reviews",
    params(("id" = String, Path), ReviewQuery),
    responses(
        (status = 200, body = ReviewDetail),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn get_review(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<ReviewQuery>,
) -> Result<Json<ReviewDetail>, AppError> {
    let page = page_request(query.page, query.per_page)?;
    Ok(Json(
        reviews::detail(&state.db, &caller, &id, &query, page).await?,
    ))
}

/// Keeps or removes some grants of an open review (at most 200); each changed decision is
/// audited. 409 once the review has been applied.
#[utoipa::path(
    post, path = "/reviews/{id}/decisions", tag = "reviews",
    params(("id" = String, Path)),
    request_body = Decide,
    responses(
        (status = 200, body = ReviewSummary),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn decide_review(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<Decide>,
) -> Result<Json<ReviewSummary>, AppError> {
    Ok(Json(reviews::decide(&state.db, &caller, &id, &body).await?))
}

/// The review's grants with their decisions and outcomes, as CSV, streamed.
#[utoipa::path(
    get, path = "/reviews/{id}/results.csv", tag = "reviews",
    params(("id" = String, Path)),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn review_results_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<impl IntoResponse, AppError> {
    let body = Body::from_stream(reviews::csv(&state.db, &caller, &id).await?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"access-review.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    ))
}
