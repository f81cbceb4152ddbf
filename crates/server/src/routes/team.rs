//! Team Settings: General (`/team`), Members (`/team/members`, `/team/invitations`),
//! External access (`/team/external-access`), and the invitation links (`/invitations`).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum_extra::extract::CookieJar;
use partner_api::external_access::{
    AccessEnded, EndAccess, ExternalAccess, ExternalAccessFilter, ExternalAccessQuery,
};
use partner_api::team::{
    AcceptInvitation, InvitationPreview, InviteMember, MemberPatch, MemberRemoved, RemovalImpact,
    TeamInvitation, TeamMember, TeamMembersQuery, TeamPatch, TeamSettings,
};
use partner_api::{ErrorBody, Me, Paginated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiPath, ApiQuery, MaybeCaller, session_token};
use super::page_request;
use super::session::session_cookie;
use crate::domain::authz::Caller;
use crate::domain::session_token as token;
use crate::error::AppError;
use crate::service::{external_access, invitations, team};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_team, update_team))
        .routes(routes!(list_team_members))
        .routes(routes!(update_team_member, remove_team_member))
        .routes(routes!(removal_impact))
        .routes(routes!(list_invitations, invite_member))
        .routes(routes!(resend_invitation))
        .routes(routes!(revoke_invitation))
        .routes(routes!(preview_invitation))
        .routes(routes!(accept_invitation))
        .routes(routes!(list_external_access))
        .routes(routes!(external_access_csv))
        .routes(routes!(end_external_access))
}

/// The caller's team: name, plan, seats, verified domains and "require SSO for our
/// people" (every member of the team).
#[utoipa::path(
    get, path = "/team", tag = "team",
    responses((status = 200, body = TeamSettings), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
async fn get_team(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<TeamSettings>, AppError> {
    Ok(Json(team::settings(&state.db, &caller).await?))
}

/// Renames the team or changes "require SSO for our people" (Team Admins); publishers see
/// the SSO setting as "SSO enforced". Audited.
#[utoipa::path(
    patch, path = "/team", tag = "team",
    request_body = TeamPatch,
    responses(
        (status = 200, body = TeamSettings),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn update_team(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(patch): ApiJson<TeamPatch>,
) -> Result<Json<TeamSettings>, AppError> {
    Ok(Json(team::update(&state.db, &caller, &patch).await?))
}

/// The team's people, by name (every member of the team).
#[utoipa::path(
    get, path = "/team/members", tag = "team",
    params(TeamMembersQuery),
    responses(
        (status = 200, body = Paginated<TeamMember>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn list_team_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TeamMembersQuery>,
) -> Result<Json<Paginated<TeamMember>>, AppError> {
    let page = page_request(query.page, query.per_page)?;
    Ok(Json(
        team::members(&state.db, &caller, query.q.as_deref(), page).await?,
    ))
}

/// Changes a member's team role or Partner Manager flag (Team Admins). The last Team Admin
/// stays one: 409 `last_admin`.
#[utoipa::path(
    patch, path = "/team/members/{user_id}", tag = "team",
    params(("user_id" = String, Path)),
    request_body = MemberPatch,
    responses(
        (status = 200, body = TeamMember),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "last_admin", body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn update_team_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
    ApiJson(patch): ApiJson<MemberPatch>,
) -> Result<Json<TeamMember>, AppError> {
    Ok(Json(
        team::update_member(&state.db, &caller, &user_id, &patch).await?,
    ))
}

/// Removes someone from the team (Team Admins): in one transaction their partner grants in
/// other companies' workspaces, their workspace roles and their sessions end. The last Team
/// Admin can't be removed: 409 `last_admin`.
#[utoipa::path(
    delete, path = "/team/members/{user_id}", tag = "team",
    params(("user_id" = String, Path)),
    responses(
        (status = 200, body = MemberRemoved),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "last_admin", body = ErrorBody),
    )
)]
async fn remove_team_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<MemberRemoved>, AppError> {
    Ok(Json(
        team::remove_member(&state.db, &caller, &user_id).await?,
    ))
}

/// What removing someone would end, for the confirm dialog (Team Admins).
#[utoipa::path(
    get, path = "/team/members/{user_id}/removal", tag = "team",
    params(("user_id" = String, Path)),
    responses(
        (status = 200, body = RemovalImpact),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn removal_impact(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(user_id): ApiPath<String>,
) -> Result<Json<RemovalImpact>, AppError> {
    Ok(Json(
        team::removal_impact(&state.db, &caller, &user_id).await?,
    ))
}

/// The team's pending invitations, newest first (Team Admins).
#[utoipa::path(
    get, path = "/team/invitations", tag = "team",
    params(TeamMembersQuery),
    responses(
        (status = 200, body = Paginated<TeamInvitation>),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn list_invitations(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<TeamMembersQuery>,
) -> Result<Json<Paginated<TeamInvitation>>, AppError> {
    let page = page_request(query.page, query.per_page)?;
    Ok(Json(
        invitations::list(&state.db, &caller, query.q.as_deref(), page).await?,
    ))
}

/// Invites an address to join the team (Team Admins): an email with a link that works
/// for 14 days. One pending invitation per address (409 `conflict`).
#[utoipa::path(
    post, path = "/team/invitations", tag = "team",
    request_body = InviteMember,
    responses(
        (status = 201, body = TeamInvitation),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn invite_member(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<InviteMember>,
) -> Result<(StatusCode, Json<TeamInvitation>), AppError> {
    let invitation = invitations::invite(&state.db, &caller, &body, &state.links).await?;
    state.jobs.wake_email_worker();
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Sends an invitation again with a new link; the old link stops working (Team Admins).
#[utoipa::path(
    post, path = "/team/invitations/{id}/resend", tag = "team",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = TeamInvitation),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn resend_invitation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<TeamInvitation>, AppError> {
    let invitation = invitations::resend(&state.db, &caller, &id, &state.links).await?;
    state.jobs.wake_email_worker();
    Ok(Json(invitation))
}

/// Revokes a pending invitation; its link stops working (Team Admins).
#[utoipa::path(
    delete, path = "/team/invitations/{id}", tag = "team",
    params(("id" = String, Path)),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn revoke_invitation(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    invitations::revoke(&state.db, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What an invitation link offers (whoever holds the link); 404 `invitation_invalid` once
/// it expired, was revoked or used.
#[utoipa::path(
    get, path = "/invitations/{token}", tag = "team",
    params(("token" = String, Path)),
    responses((status = 200, body = InvitationPreview), (status = 404, description = "invitation_invalid", body = ErrorBody))
)]
async fn preview_invitation(
    State(state): State<AppState>,
    ApiPath(link): ApiPath<String>,
) -> Result<Json<InvitationPreview>, AppError> {
    Ok(Json(invitations::preview(&state.db, &link).await?))
}

/// Joins the team of an invitation: signed in with its address, or (no account yet) by
/// creating the account with `name` and `password`, which also signs in. Signed in as
/// another address: 409; an account exists but isn't signed in: 401.
#[utoipa::path(
    post, path = "/invitations/{token}/accept", tag = "team",
    params(("token" = String, Path)),
    request_body = AcceptInvitation,
    responses(
        (status = 200, description = "Joined (a new account also gets the session cookie)", body = Me),
        (status = 401, body = ErrorBody), (status = 404, description = "invitation_invalid", body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody),
    )
)]
async fn accept_invitation(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    headers: HeaderMap,
    jar: CookieJar,
    ApiPath(link): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInvitation>,
) -> Result<(CookieJar, Json<Me>), AppError> {
    let accepted =
        invitations::accept(&state.db, &state.hash_pool, caller.as_ref(), &link, &body).await?;
    let (jar, session) = match accepted.new_session {
        Some(session) => {
            let hash = token::hash(&session);
            (jar.add(session_cookie(&state, session)), hash)
        }
        None => {
            let session = session_token(&headers, &state).ok_or(AppError::Unauthenticated)?;
            (jar, token::hash(&session))
        }
    };
    Ok((jar, Json(invitations::me_after(&state.db, &session).await?)))
}

/// What the team's people can open in other companies' workspaces: publisher, workspace,
/// person, role, since, last opened (Team Admins).
#[utoipa::path(
    get, path = "/team/external-access", tag = "team",
    params(ExternalAccessQuery),
    responses(
        (status = 200, body = ExternalAccess),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn list_external_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<ExternalAccessQuery>,
) -> Result<Json<ExternalAccess>, AppError> {
    let page = page_request(query.page, query.per_page)?;
    Ok(Json(
        external_access::list(&state.db, &caller, &query, page).await?,
    ))
}

/// The rows External access's filters select, every page, as CSV (Team Admins). Cells
/// that a spreadsheet would run as formulas start with `'`.
#[utoipa::path(
    get, path = "/team/external-access.csv", tag = "team",
    params(ExternalAccessFilter),
    responses(
        (status = 200, description = "text/csv", content_type = "text/csv", body = String),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn external_access_csv(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(filter): ApiQuery<ExternalAccessFilter>,
) -> Result<impl IntoResponse, AppError> {
    let body = Body::from_stream(external_access::csv(&state.db, &caller, &filter.into())?);
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"external-access.csv\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    ))
}

/// Ends the team's people's access: some grants (at most 200), or every grant with one
/// publisher (Team Admins). Each publisher's Partner Managers and Team Admins get one
/// email. Audited under the publisher and the team.
#[utoipa::path(
    post, path = "/team/external-access/end", tag = "team",
    request_body = EndAccess,
    responses(
        (status = 200, body = AccessEnded),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn end_external_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<EndAccess>,
) -> Result<Json<AccessEnded>, AppError> {
    let ended = external_access::end(&state.db, &caller, &body, &state.links).await?;
    state.jobs.wake_email_worker();
    Ok(Json(ended))
}
