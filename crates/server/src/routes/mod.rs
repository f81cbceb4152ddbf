//! The HTTP surface: `/api/*` (each module owns its router) and, optionally, the web app.

mod access_requests;
mod audit;
mod dev;
mod docs;
mod events;
mod extract;
mod health;
mod migration;
mod partnerships;
mod reviews;
mod session;
mod sso;
mod team;
mod view_as;
mod workspaces;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use partner_api::{CSRF_HEADER, CSRF_VALUE, PageRequest};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::AppError;
use crate::state::AppState;
use crate::static_files;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Partner Workspaces API",
        description = "Share API workspaces with partner teams. Every mutating request must carry \
                       `X-Requested-With: partner-workspaces`; errors are `{\"error\":{\"code\",\"message\",\"fields\"?}}`.\n\n\
                       Demo data (`--demo`): the teams, people and workspaces of shared/API.md (password \
                       `partner-demo`), plus gina@globex.test as Partner Lead for Globex in Payments API, \
                       gwen@globex.test as Globex's Team Admin (her External access lists gina and gary \
                       in Acme's workspaces), a pending team invitation in Acme for nora@acme.test, \
                       ivan@initech.test's grant in Hooli Search API ending in 3 days (its reminder is \
                       written at once), and an open access review in Acme over Globex's grants, due in \
                       7 days, reviewer paul@acme.test; and Soylent (soylent.test), whose sam@soylent.test \
                       signs in only through the dev identity provider under /dev/oidc (Soylent requires \
                       SSO), a Viewer in Hooli Search API, where Hooli requires SSO of Soylent."
    ),
    servers((url = "/api"))
)]
struct ApiDoc;

/// The API router and its OpenAPI document, built from the same handlers.
fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(session::router())
        .merge(sso::router())
        .merge(view_as::router())
        .merge(events::router())
        .merge(partnerships::router())
        .merge(access_requests::router())
        .merge(workspaces::router())
        .merge(migration::router())
        .merge(team::router())
        .merge(audit::router())
        .merge(reviews::router())
        .merge(dev::router())
        .split_for_parts();
    docs::complete(&mut doc);
    (router, doc)
}

/// The OpenAPI 3 document of the whole API, as served at `/api/openapi.json`.
pub fn openapi() -> serde_json::Value {
    docs::to_json(&api().1)
}

/// The whole application router.
pub fn app(state: AppState) -> Router {
    let static_dir = state.config.static_dir.clone();
    // The demo's identity provider (`--demo` only): Soylent's people sign in through it.
    let dev_provider = state.config.demo.then(|| {
        crate::oidc::provider::DevProvider::new(
            &crate::service::sso::demo_issuer(&state.config),
            crate::oidc::provider::DEMO_CLIENT_ID,
            crate::oidc::provider::DEMO_CLIENT_SECRET,
            &state.config.sso_redirect_uri(),
            state
                .secret_key
                .clone()
                .unwrap_or_else(crate::secrets::SecretKey::random),
            // Every server of one demo (one public URL) signs with the same key.
            <sha2::Sha256 as sha2::Digest>::digest(state.config.public_url.as_bytes()).into(),
        )
    });
    let (api, doc) = api();
    let doc = Arc::new(docs::to_json(&doc));
    let api = api
        .route("/openapi.json", get(move || async move { Json(doc) }))
        .fallback(api_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn(csrf_guard))
        .layer(middleware::from_fn(tab_origin))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state);

    let mut router = Router::new().nest("/api", api);
    if let Some(provider) = dev_provider {
        router = router.nest("/dev/oidc", crate::oidc::provider::router(provider));
    }
    let router = match static_dir {
        Some(dir) => match static_files::router(&dir) {
            Ok(files) => router.merge(files),
            Err(error) => {
                tracing::error!(?error, "not serving the web app");
                router
            }
        },
        None => router,
    };
    outermost_layers(router, REQUEST_TIMEOUT)
}

/// How long a request may run before it is stopped with 503.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every response passes through: panics and timeouts become the API's JSON error
/// (never an empty body), tracing, and `nosniff`. Public so tests can put a handler that
/// panics or hangs under exactly these layers.
pub fn outermost_layers(router: Router, timeout: Duration) -> Router {
    router
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal(anyhow::anyhow!("handler panicked")).into_response()
        }))
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            time_limit(request, next, timeout)
        }))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            header::HeaderValue::from_static("nosniff"),
        ))
}

/// Stops a request that runs longer than `limit`. Dropping its future rolls back any
/// transaction it had open.
async fn time_limit(request: Request, next: Next, limit: Duration) -> Response {
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?limit, "request timed out");
            AppError::TimedOut.into_response()
        }
    }
}

/// CSRF guard: a mutating request must carry the custom header, which a cross-site form
/// cannot send and a cross-site script cannot add without CORS approval.
async fn csrf_guard(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let marked = request
        .headers()
        .get(CSRF_HEADER)
        .is_some_and(|v| v.as_bytes() == CSRF_VALUE.as_bytes());
    if safe || marked {
        next.run(request).await
    } else {
        AppError::Csrf.into_response()
    }
}

/// Runs the request as coming from the browser tab its `X-Tab-Id` names (a well-formed one
/// only), so the changes it records aren't sent back to that tab's live update stream.
async fn tab_origin(request: Request, next: Next) -> Response {
    let tab = request
        .headers()
        .get(partner_api::events::TAB_HEADER)
        .and_then(|value| value.to_str().ok())
        .filter(|tab| partner_api::events::is_tab_id(tab))
        .map(str::to_owned);
    match tab {
        Some(tab) => crate::db::origin::scope(tab, next.run(request)).await,
        None => next.run(request).await,
    }
}

/// Checks `?page` and `?per_page`.
fn page_request(page: Option<u32>, per_page: Option<u32>) -> Result<PageRequest, AppError> {
    PageRequest::new(page, per_page).map_err(|(field, why)| AppError::invalid_field(field, why))
}

/// Unknown `/api/*` paths answer JSON, never the web app's index.html.
async fn api_not_found() -> Response {
    AppError::NotFound.into_response()
}

async fn method_not_allowed() -> Response {
    AppError::MethodNotAllowed.into_response()
}
