//! Access requests: asked by people of other teams, decided by the publisher, and the
//! digests that tell the publisher's Partner Managers and Team Admins about them.

use partner_api::access_requests::{AccessRequest, AccessRequestStatus, MyAccessRequest};
use partner_api::audit::AuditAction;
use partner_api::expiry::{AccessEnd, AccessPeriod};
use partner_api::{PageRequest, Paginated, PartnerRole};
use serde_json::json;
use time::OffsetDateTime;

use super::partners::check_editor_allowed;
use crate::db::{AuditEntry, ChangeRow, Db, Grant, NewChange, RequestRow, now, timestamp};
use crate::domain::access_requests::{self, RequestNow};
use crate::domain::audit::shown;
use crate::domain::authz::{self, Caller};
use crate::domain::expiry;
use crate::email::Links;
use crate::email::templates::{self, Recipient, RequestLine, WorkspaceLink};
use crate::error::AppError;

/// A decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
}

/// Requests to the workspaces of `publisher` with the given status, newest first. Pending
/// requests of people who have left their team are not listed (they are dropped); decided
/// ones stay until they are archived.
pub async fn list(
    db: &Db,
    publisher: &str,
    status: AccessRequestStatus,
    page: PageRequest,
) -> Result<Paginated<AccessRequest>, sqlx::Error> {
    let (total, rows) = db
        .access_requests_page(publisher, status.as_str(), page)
        .await?;
    Ok(page.wrap(rows.into_iter().map(RequestRow::into_api).collect(), total))
}

/// The caller's latest request for a workspace.
pub async fn mine(
    db: &Db,
    workspace_id: &str,
    caller: &Caller,
) -> Result<Option<MyAccessRequest>, sqlx::Error> {
    Ok(db
        .latest_request(workspace_id, caller.user_id.as_str())
        .await?
        .map(MyAccessRequest::from))
}

/// Asks for access; asking again while a request is pending returns that request (`false`:
/// nothing new was created). One pending request per person and workspace holds across
/// servers by the unique index, not by a read before the write.
pub async fn request(
    db: &Db,
    caller: &Caller,
    workspace_id: &str,
    role: PartnerRole,
    message: &str,
) -> Result<(MyAccessRequest, bool), AppError> {
    let mut tx = db.begin().await?;
    let ws = tx
        .workspace(workspace_id, caller)
        .await?
        .ok_or(AppError::NotFound)?;
    authz::can_request_access(caller, &ws.facts())?;
    let created = tx
        .insert_request(
            workspace_id,
            &ws.team_id,
            caller.user_id.as_str(),
            role,
            message,
        )
        .await?;
    let latest = tx
        .latest_request(workspace_id, caller.user_id.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("request missing after insert"))?;
    if created {
        // Not audited, but it shows on the publisher's open Partnerships page.
        tx.record_change(NewChange {
            action: ChangeRow::REQUEST_CREATED,
            team_id: &ws.team_id,
            workspace_id: Some(workspace_id),
            partner_team_id: caller.team_id.as_ref().map(|team| team.as_str()),
            subject_id: Some(caller.user_id.as_str()),
            actor_id: Some(caller.user_id.as_str()),
        })
        .await?;
    }
    tx.commit().await?;
    Ok((latest.into(), created))
}

/// Approves (granting the role asked for) or denies a pending request to one of the
/// publisher's workspaces, under the publisher's lock (so two approvals of one request,
/// on any servers, can't both happen). Approving writes the partner's "Go to workspace"
/// email in the same transaction.
pub async fn decide(
    db: &Db,
    caller: &Caller,
    publisher: &str,
    request_id: &str,
    decision: Decision,
    ends: Option<&AccessEnd>,
    links: &Links,
) -> Result<AccessRequest, AppError> {
    let mut tx = db.begin().await?;
    tx.lock_publisher(publisher).await?;
    let row = tx
        .request(request_id, Some(publisher))
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != "pending" {
        return Err(AppError::Conflict(format!(
            "This request was already {}.",
            row.status
        )));
    }
    let at = now();
    let default = tx.team_default_access(publisher).await?;
    let ends_at = expiry::end_of(
        ends,
        default.parse().unwrap_or(AccessPeriod::Never),
        OffsetDateTime::now_utc(),
    )
    .map_err(|why| AppError::invalid_field("ends", why))?
    .map(timestamp);
    // What made the request make sense may have changed since it was asked: checked here,
    // inside the transaction that would grant it.
    let requester_team = access_requests::still_decidable(RequestNow {
        requester_team: row.user_team_id.as_deref(),
        publisher,
        partner_workspace: row.visibility == "partner",
        approving: decision == Decision::Approve,
    })
    .map(str::to_owned);
    let requester_team = match requester_team {
        Ok(team) => team,
        Err(why) => {
            tx.decide_request(request_id, "dropped", caller.user_id.as_str(), &at)
                .await?;
            tx.audit(AuditEntry {
                at: None,
                actor_id: Some(caller.user_id.as_str()),
                team_id: publisher,
                action: AuditAction::RequestDropped,
                workspace_id: Some(&row.workspace_id),
                partner_team_id: row.user_team_id.as_deref(),
                subject_id: Some(&row.user_id),
                detail: json!({ "request_id": request_id, "why": why }),
            })
            .await?;
            tx.commit().await?;
            return Err(AppError::Conflict(why.into()));
        }
    };
    let status = match decision {
        Decision::Deny => "denied",
        Decision::Approve => {
            let role: PartnerRole = row.role.parse().unwrap_or(PartnerRole::Viewer);
            if !tx.has_grant(&row.workspace_id, &row.user_id).await? {
                if role == PartnerRole::Editor {
                    check_editor_allowed(&mut tx, publisher, row.multi_partner_mode).await?;
                }
                tx.grant(Grant {
                    workspace_id: &row.workspace_id,
                    user_id: &row.user_id,
                    partner_team_id: &requester_team,
                    publisher_team_id: publisher,
                    role,
                    at: &at,
                    invited_by: Some(caller.user_id.as_str()),
                    ends_at: ends_at.as_deref(),
                })
                .await?;
            }
            let publisher_name = tx.team_name(publisher).await?;
            let message = templates::access_approved(
                links,
                Recipient {
                    name: &row.user_name,
                    email: &row.email,
                },
                &publisher_name,
                WorkspaceLink {
                    id: &row.workspace_id,
                    name: &row.workspace_name,
                },
                role,
            );
            tx.enqueue(&format!("access-approved:{request_id}"), &message)
                .await?;
            "approved"
        }
    };
    tx.decide_request(request_id, status, caller.user_id.as_str(), &at)
        .await?;
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: publisher,
        action: if decision == Decision::Approve {
            AuditAction::RequestApproved
        } else {
            AuditAction::RequestDenied
        },
        workspace_id: Some(&row.workspace_id),
        partner_team_id: Some(&requester_team),
        subject_id: Some(&row.user_id),
        detail: json!({
            "request_id": request_id,
            "after": shown(&row.role, PartnerRole::label),
            "until": ends_at.as_deref().map(expiry::day_of),
        }),
    })
    .await?;
    let decided = tx
        .request(request_id, None)
        .await?
        .ok_or_else(|| anyhow::anyhow!("request missing after its decision"))?;
    tx.commit().await?;
    Ok(decided.into_api())
}

/// Writes the access-request digests that are due: for every publisher team whose oldest
/// un-notified pending request is older than `window`, one email to each of its Partner
/// Managers and Team Admins listing all its un-notified requests, which are then marked
/// notified. Each team is one short transaction under the team's lock, so a digest is
/// written exactly once (also by several servers at once) and no team's digest waits for
/// (or is undone with) another's. Returns how many emails were written, or the first
/// team's error once every team has been tried.
pub async fn write_digests(
    db: &Db,
    window: std::time::Duration,
    links: &Links,
) -> Result<u32, sqlx::Error> {
    let cutoff = time::OffsetDateTime::now_utc()
        - time::Duration::try_from(window).unwrap_or(time::Duration::ZERO);
    let mut due: Vec<String> = db
        .undigested_requests()
        .await?
        .into_iter()
        .filter(|(_, created_at)| made_by(created_at, cutoff))
        .map(|(team, _)| team)
        .collect();
    due.sort_unstable();
    due.dedup();
    let mut written = 0;
    let mut first_error = None;
    for team in due {
        match write_team_digests(db, &team, cutoff, links).await {
            Ok(count) => written += count,
            Err(error) => {
                tracing::error!(team, %error, "access-request digest failed");
                first_error.get_or_insert(error);
            }
        }
    }
    first_error.map_or(Ok(written), Err)
}

/// One team's digests: reads the team's un-notified requests again under its lock (more
/// may have come, or another server may have sent them), marks them notified and writes a
/// digest to each of its Partner Managers and Team Admins.
async fn write_team_digests(
    db: &Db,
    publisher: &str,
    cutoff: time::OffsetDateTime,
    links: &Links,
) -> Result<u32, sqlx::Error> {
    let mut tx = db.begin().await?;
    tx.lock_team(publisher).await?;
    let requests = tx.undigested_requests_of(publisher).await?;
    if !requests.iter().any(|r| made_by(&r.created_at, cutoff)) {
        return Ok(0);
    }
    let at = now();
    for request in &requests {
        // Another server's digest took it since the read: leave the team to it.
        if !tx.mark_request_notified(&request.id, &at).await? {
            return Ok(0);
        }
    }
    let managers = tx.team_managers(publisher).await?;
    let lines: Vec<RequestLine<'_>> = requests
        .iter()
        .map(|r| RequestLine {
            name: &r.user_name,
            email: &r.email,
            team: &r.team_name,
            workspace: &r.workspace_name,
            role: r.role.parse().unwrap_or(PartnerRole::Viewer),
            message: &r.message,
        })
        .collect();
    let first = &requests[0];
    let mut written = 0;
    for manager in &managers {
        let message = templates::access_request_digest(
            links,
            Recipient {
                name: &manager.name,
                email: &manager.email,
            },
            &first.publisher_name,
            &lines,
        );
        // A request is listed in one digest only, so its first names that digest.
        let key = format!("access-digest:{}:{}", first.id, manager.id);
        if tx.enqueue(&key, &message).await? {
            written += 1;
        }
    }
    tx.commit().await?;
    Ok(written)
}

/// Whether an access request's `created_at` is at `cutoff` or earlier.
fn made_by(created_at: &str, cutoff: time::OffsetDateTime) -> bool {
    time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
        .is_ok_and(|created| created <= cutoff)
}
