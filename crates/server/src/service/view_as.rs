//! "View as partner": someone of a publisher sees its workspaces exactly as one of its
//! partners does, in a read-only session scoped to the publisher's workspaces.

use partner_api::audit::AuditAction;
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use partner_api::view_as::{StartViewAs, VIEW_AS_MINUTES, ViewAs};
use partner_api::workspaces::Publisher;
use serde_json::json;

use crate::db::{AuditEntry, Db, NewView, ViewRow, timestamp};
use crate::domain::authz::{self, Caller};
use crate::domain::session_token;
use crate::error::AppError;

/// Who may view as a partner: with a workspace, those who manage its partners; without,
/// the publisher's Team Admins and Partner Managers. The partner must hold access there.
/// Returns the view's token (for its cookie) and the view.
pub async fn start(
    db: &Db,
    viewer: &Caller,
    own_session: &[u8],
    body: &StartViewAs,
) -> Result<(String, ViewAs), AppError> {
    let publisher = match &body.workspace {
        Some(id) => {
            let row = db
                .workspace(id.as_str(), viewer)
                .await?
                .ok_or(AppError::NotFound)?;
            authz::require(
                viewer,
                &row.facts(),
                authz::can_manage_partners,
                "Only Workspace Admins, Team Admins and Partner Managers can view it as a partner.",
            )?;
            row.team_id
        }
        None => authz::require_partnership_manager(viewer)?
            .as_str()
            .to_owned(),
    };
    let workspace = body.workspace.as_ref().map(|w| w.as_str());
    if !db
        .holds_grant_of(&publisher, body.partner.as_str(), workspace)
        .await?
    {
        return Err(AppError::NotFound);
    }
    let token = session_token::generate();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::minutes(VIEW_AS_MINUTES);
    db.start_view(
        &session_token::hash(&token),
        own_session,
        &NewView {
            partner: body.partner.as_str(),
            viewer: viewer.user_id.as_str(),
            publisher: &publisher,
            workspace,
            expires_at: &timestamp(expires),
        },
    )
    .await?;
    let view = db
        .view(&session_token::hash(&token), own_session)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the view just started is not there"))?;
    let mut tx = db.begin().await?;
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(viewer.user_id.as_str()),
        team_id: &publisher,
        action: AuditAction::PartnerViewedAs,
        workspace_id: workspace,
        partner_team_id: Some(&view.team_id),
        subject_id: Some(body.partner.as_str()),
        detail: json!({}),
    })
    .await?;
    tx.commit().await?;
    Ok((token, to_api(view)))
}

/// The view as the API shows it.
pub fn to_api(row: ViewRow) -> ViewAs {
    let start_path = match &row.workspace_id {
        Some(id) => format!("/workspace/{}", crate::email::path_segment(id)),
        None => "/workspaces?tab=shared_partner".to_owned(),
    };
    ViewAs {
        viewer: UserRef {
            id: row.viewer_id.into(),
            name: row.viewer_name,
            email: row.viewer_email,
        },
        partner: UserRef {
            id: row.partner_id.into(),
            name: row.partner_name,
            email: row.partner_email,
        },
        partner_team: TeamRef {
            id: row.team_id.into(),
            name: row.team_name,
            domain: row.team_domain,
        },
        publisher: Publisher {
            id: row.publisher_id.into(),
            name: row.publisher_name,
        },
        workspace: row
            .workspace_id
            .zip(row.workspace_name)
            .map(|(id, name)| WorkspaceRef {
                id: id.into(),
                name,
            }),
        start_path,
        expires_at: row.expires_at,
    }
}
