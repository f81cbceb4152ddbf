//! Workspaces: lists, one workspace, its members, settings, partners and access requests.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use partner_api::access_requests::{MAX_MESSAGE_LEN, MyAccessRequest, NewAccessRequest};
use partner_api::expiry::{AccessExtended, ExtendAccess};
use partner_api::workspaces::{
    AccessStatus, ChangePartnerRole, InvitePartner, Members, MembersQuery, MyAccess, PartnerMember,
    SetPartnerLead, SettingsChanged, SettingsPatch, Workspace, WorkspacesQuery,
};
use partner_api::{Email, ErrorBody, Paginated, PartnerRole};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiJson, ApiJsonOrDefault, ApiPath, ApiQuery};
use super::page_request;
use crate::domain::authz::{self, Caller};
use crate::error::AppError;
use crate::service::partners::ValidSettings;
use crate::service::{access_requests as requests, partners, workspaces};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_workspaces))
        .routes(routes!(get_workspace))
        .routes(routes!(list_members))
        .routes(routes!(get_my_access))
        .routes(routes!(update_settings))
        .routes(routes!(invite_partner))
        .routes(routes!(change_partner_role, remove_partner))
        .routes(routes!(set_partner_lead))
        .routes(routes!(extend_partner_access))
        .routes(routes!(request_access))
}

/// A tab of Workspaces: `all` and `mine` list the caller's own team's workspaces;
/// `shared_partner` lists other teams' workspaces shared with the caller.
#[utoipa::path(
    get, path = "/workspaces", tag = "workspaces",
    params(WorkspacesQuery),
    responses((status = 200, body = Paginated<Workspace>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn list_workspaces(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<WorkspacesQuery>,
) -> Result<Json<Paginated<Workspace>>, AppError> {
    let page = page_request(query.page, query.per_page)?;
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    Ok(Json(
        workspaces::list(&state.db, &caller, query.tab.unwrap_or_default(), q, page).await?,
    ))
}

async fn viewable(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<(crate::db::WorkspaceRow, partner_api::YourRole), AppError> {
    let row = state
        .db
        .workspace(id, caller)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = authz::require_view(caller, &row.facts())?;
    Ok((row, role))
}

/// One workspace, for its members and partners. Anyone else gets 404 (its name is never
/// revealed), except a partner whose access ended with their team: 403 `access_ended`.
#[utoipa::path(
    get, path = "/workspaces/{id}", tag = "workspaces",
    params(("id" = String, Path)),
    responses(
        (status = 200, body = Workspace),
        (status = 401, body = ErrorBody), (status = 403, description = "access_ended", body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
async fn get_workspace(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Workspace>, AppError> {
    let (row, role) = viewable(&state, &caller, &id).await?;
    // A "view as partner" session reads; it leaves no trace as the partner.
    if role.is_partner() && caller.view.is_none() {
        // "Last opened" on the partner team's External access: at most one write an hour.
        let now = time::OffsetDateTime::now_utc();
        let hour_ago = crate::db::timestamp(now - time::Duration::hours(1));
        if let Err(error) = state
            .db
            .mark_opened(
                &id,
                caller.user_id.as_str(),
                &crate::db::timestamp(now),
                &hour_ago,
            )
            .await
        {
            tracing::warn!(%error, "recording when a partner opened a workspace");
        }
    }
    Ok(Json(row.to_api(&caller, role)))
}

/// The members list. Multi-partner mode: a partner sees the publisher's members and the
/// partners of their own team only; the publisher's members see everyone. Each list holds
/// at most 200 people, with its total; `q` finds the others.
#[utoipa::path(
    get, path = "/workspaces/{id}/members", tag = "workspaces",
    params(("id" = String, Path), MembersQuery),
    responses(
        (status = 200, body = Members),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "invalid: the query string holds U+0000", body = ErrorBody),
    )
)]
async fn list_members(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<MembersQuery>,
) -> Result<Json<Members>, AppError> {
    let (row, _) = viewable(&state, &caller, &id).await?;
    let facts = row.facts();
    let visibility = authz::partner_visibility(&caller, &facts);
    let mut members = workspaces::members(&state.db, &id, &visibility, query.q.as_deref()).await?;
    // Who invited whom: the publisher sees it, a Partner Lead for their own team.
    for partner in &mut members.partners {
        if !authz::sees_invited_by(&caller, &facts, &partner.team.id) {
            partner.invited_by = None;
        }
    }
    Ok(Json(members))
}

/// What the caller has in a workspace and their latest access request: the page an email
/// link opens uses it to explain itself without ever showing the workspace's name.
#[utoipa::path(
    get, path = "/workspaces/{id}/access", tag = "workspaces",
    params(("id" = String, Path)),
    responses((status = 200, body = MyAccess), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_my_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<MyAccess>, AppError> {
    let row = state
        .db
        .workspace(&id, &caller)
        .await?
        .ok_or(AppError::NotFound)?;
    let facts = row.facts();
    authz::require_in_view(&caller, &facts)?;
    let status = match authz::require_view(&caller, &facts) {
        Ok(role) if role.is_partner() => AccessStatus::Partner,
        Ok(_) => AccessStatus::Member,
        Err(AppError::AccessEnded) => AccessStatus::Ended,
        Err(AppError::SsoRequired(_)) => AccessStatus::SsoRequired,
        Err(_) if row.expired_at.is_some() => AccessStatus::Expired,
        // Internal workspaces of other teams: nothing to ask for, nothing to know.
        Err(_) if !facts.is_partner_workspace => return Err(AppError::NotFound),
        Err(_) => AccessStatus::NoAccess,
    };
    let request = requests::mine(&state.db, &id, &caller).await?;
    let ended_at = (status == AccessStatus::Expired)
        .then_some(row.expired_at)
        .flatten();
    let sso_required = (status == AccessStatus::SsoRequired)
        .then_some(facts.sso_required_by)
        .flatten();
    Ok(Json(MyAccess {
        status,
        request,
        ended_at,
        sso_required,
    }))
}

/// Changes name, summary or multi-partner mode (Workspace Admins, Team Admins). Turning
/// multi-partner mode on makes every Partner Editor a Viewer; the answer lists them.
#[utoipa::path(
    patch, path = "/workspaces/{id}/settings", tag = "workspaces",
    params(("id" = String, Path)),
    request_body = SettingsPatch,
    responses(
        (status = 200, body = SettingsChanged),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn update_settings(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(patch): ApiJson<SettingsPatch>,
) -> Result<Json<SettingsChanged>, AppError> {
    let patch = ValidSettings::try_from(patch)?;
    Ok(Json(
        partners::update_settings(&state.db, &caller, &id, &patch).await?,
    ))
}

/// Invites a person of another team; they get one email with "Go to workspace". Editor
/// needs a free seat and is refused in multi-partner mode. A Partner Lead invites people of
/// their own team only (422 `not_allowed` for others).
#[utoipa::path(
    post, path = "/workspaces/{id}/partners", tag = "partners",
    params(("id" = String, Path)),
    request_body = InvitePartner,
    responses(
        (status = 201, body = PartnerMember),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "already_partner, no_editor_seat, editor_not_allowed or conflict", body = ErrorBody),
        (status = 422, description = "invalid or not_allowed", body = ErrorBody),
    )
)]
async fn invite_partner(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<InvitePartner>,
) -> Result<(StatusCode, Json<PartnerMember>), AppError> {
    // Authorization first: a stranger learns nothing from validation errors.
    viewable(&state, &caller, &id).await?;
    let email =
        Email::parse(&body.email).map_err(|e| AppError::invalid_field("email", e.to_string()))?;
    let member = partners::invite(
        &state.db,
        &caller,
        &id,
        &email,
        (body.role, body.ends.as_ref()),
        &state.links,
    )
    .await?;
    state.jobs.wake_email_worker();
    Ok((StatusCode::CREATED, Json(member)))
}

/// Changes a partner's role.
#[utoipa::path(
    patch, path = "/workspaces/{id}/partners/{user_id}", tag = "partners",
    params(("id" = String, Path), ("user_id" = String, Path)),
    request_body = ChangePartnerRole,
    responses(
        (status = 200, body = PartnerMember),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn change_partner_role(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<ChangePartnerRole>,
) -> Result<Json<PartnerMember>, AppError> {
    Ok(Json(
        partners::change_role(&state.db, &caller, &id, &user_id, body.role).await?,
    ))
}

/// Makes a partner Partner Lead of this workspace, or not (the publisher's Workspace
/// Admins, Team Admins and Partner Managers). A Partner Lead invites and removes people of
/// their own team here.
#[utoipa::path(
    put, path = "/workspaces/{id}/partners/{user_id}/lead", tag = "partners",
    params(("id" = String, Path), ("user_id" = String, Path)),
    request_body = SetPartnerLead,
    responses(
        (status = 200, body = PartnerMember),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn set_partner_lead(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<SetPartnerLead>,
) -> Result<Json<PartnerMember>, AppError> {
    Ok(Json(
        partners::set_lead(&state.db, &caller, &id, &user_id, body.lead).await?,
    ))
}

/// Extends a partner's access (the publisher's Workspace Admins, Team Admins and Partner
/// Managers): to the end given, or by the team's default period (30 days without one)
/// from the current end. Audited; the reminder is due again for the new end.
#[utoipa::path(
    post, path = "/workspaces/{id}/partners/{user_id}/extend", tag = "partners",
    params(("id" = String, Path), ("user_id" = String, Path)),
    request_body(content = Option<ExtendAccess>, description = "Optional"),
    responses(
        (status = 200, body = AccessExtended),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody),
    )
)]
async fn extend_partner_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(String, String)>,
    ApiJsonOrDefault(body): ApiJsonOrDefault<ExtendAccess>,
) -> Result<Json<AccessExtended>, AppError> {
    Ok(Json(
        partners::extend(&state.db, &caller, &id, &user_id, body.ends.as_ref()).await?,
    ))
}

/// Removes a partner from this workspace (a Partner Lead: a colleague of their own team).
#[utoipa::path(
    delete, path = "/workspaces/{id}/partners/{user_id}", tag = "partners",
    params(("id" = String, Path), ("user_id" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
    )
)]
async fn remove_partner(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath((id, user_id)): ApiPath<(String, String)>,
) -> Result<StatusCode, AppError> {
    partners::remove(&state.db, &caller, &id, &user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Asks for access to a partner workspace (people of another team). Asking again while a
/// request is pending returns it (200) instead of creating another (201). The publisher's
/// Partner Managers and Team Admins hear of it in one digest per team.
#[utoipa::path(
    post, path = "/workspaces/{id}/access-requests", tag = "access requests",
    params(("id" = String, Path)),
    request_body = NewAccessRequest,
    responses(
        (status = 201, body = MyAccessRequest), (status = 200, description = "Already pending", body = MyAccessRequest),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    )
)]
async fn request_access(
    State(state): State<AppState>,
    caller: Caller,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<NewAccessRequest>,
) -> Result<(StatusCode, Json<MyAccessRequest>), AppError> {
    let message = body.message.unwrap_or_default().trim().to_owned();
    if message.chars().count() > MAX_MESSAGE_LEN {
        return Err(AppError::invalid_field(
            "message",
            "Use at most 1000 characters.",
        ));
    }
    let role = body.role.unwrap_or(PartnerRole::Viewer);
    let (request, created) = requests::request(&state.db, &caller, &id, role, &message).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(request)))
}
