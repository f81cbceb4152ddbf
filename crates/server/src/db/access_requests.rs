//! Access requests: asked by people of other teams, decided by the publisher.

use partner_api::access_requests::{AccessRequest, AccessRequestStatus, MyAccessRequest};
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::session::UserRef;
use partner_api::{PageRequest, Paginated, PartnerRole};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection};

use super::audit::{self, Entry};
use super::outbox;
use super::partners::{self, Grant};
use super::workspaces::{self, active_grant};
use super::{Db, new_id, now};
use crate::domain::access_requests::{self, RequestNow};
use crate::domain::authz::{self, Caller};
use crate::email::Links;
use crate::email::templates::{self, Recipient, RequestLine, WorkspaceLink};
use crate::error::AppError;

#[derive(FromRow)]
struct RequestRow {
    id: String,
    role: String,
    message: String,
    status: String,
    created_at: String,
    user_id: String,
    user_name: String,
    email: String,
    user_team_id: Option<String>,
    team_name: Option<String>,
    team_domain: Option<String>,
    workspace_id: String,
    workspace_name: String,
    multi_partner_mode: bool,
    visibility: String,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.role, r.message, r.status, r.created_at,
        u.id AS user_id, u.name AS user_name, u.email, u.team_id AS user_team_id,
        t.name AS team_name, t.domain AS team_domain,
        w.id AS workspace_id, w.name AS workspace_name, w.multi_partner_mode, w.visibility
    FROM access_requests r
    JOIN workspaces w ON w.id = r.workspace_id
    JOIN users u ON u.id = r.user_id
    LEFT JOIN teams t ON t.id = u.team_id";

impl RequestRow {
    fn into_api(self) -> AccessRequest {
        let team = match (self.user_team_id, self.team_name, self.team_domain) {
            (Some(id), Some(name), Some(domain)) => Some(TeamRef {
                id: id.into(),
                name,
                domain,
            }),
            _ => None,
        };
        AccessRequest {
            id: self.id.into(),
            user: UserRef {
                id: self.user_id.into(),
                name: self.user_name,
                email: self.email,
            },
            team,
            workspace: WorkspaceRef {
                id: self.workspace_id.into(),
                name: self.workspace_name,
            },
            role: self.role.parse().unwrap_or(PartnerRole::Viewer),
            message: self.message,
            status: self.status.parse().unwrap_or(AccessRequestStatus::Pending),
            created_at: self.created_at,
        }
    }
}

/// A decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Deny,
}

async fn latest_for(
    conn: &mut SqliteConnection,
    workspace_id: &str,
    user_id: &str,
) -> Result<Option<MyAccessRequest>, sqlx::Error> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, role, status, created_at FROM access_requests
         WHERE workspace_id = ? AND user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1",
    )
    .bind(workspace_id)
    .bind(user_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, role, status, created_at)| MyAccessRequest {
        id: id.into(),
        role: role.parse().unwrap_or(PartnerRole::Viewer),
        status: status.parse().unwrap_or(AccessRequestStatus::Pending),
        created_at,
    }))
}

impl Db {
    /// Requests to the workspaces of `publisher` with the given status, newest first, read
    /// from the publisher's own index range. Pending requests of people who have left their
    /// team are not shown (they are dropped); decided ones stay until they are archived.
    pub async fn access_requests(
        &self,
        publisher: &str,
        status: AccessRequestStatus,
        page: PageRequest,
    ) -> Result<Paginated<AccessRequest>, sqlx::Error> {
        let filter = "r.publisher_team_id = ?1 AND r.status = ?2
             AND (r.status <> 'pending' OR u.team_id IS NOT NULL)";
        let total: i64 = sqlx::query_scalar(&format!(
            "SELECT COUNT(*) FROM access_requests r JOIN users u ON u.id = r.user_id WHERE {filter}"
        ))
        .bind(publisher)
        .bind(status.as_str())
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<RequestRow> = sqlx::query_as(&format!(
            "{REQUEST_SELECT} WHERE {filter} ORDER BY r.created_at DESC, r.id LIMIT ?3 OFFSET ?4"
        ))
        .bind(publisher)
        .bind(status.as_str())
        .bind(i64::from(page.per_page()))
        .bind(page.offset() as i64)
        .fetch_all(&self.pool)
        .await?;
        Ok(page.wrap(
            rows.into_iter().map(RequestRow::into_api).collect(),
            total as u64,
        ))
    }

    /// Moves up to `batch` requests decided before `before` into the archive, in one
    /// transaction; returns how many moved.
    pub async fn archive_decided_requests(
        &self,
        before: &str,
        batch: u32,
    ) -> Result<u64, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let due = "SELECT id FROM access_requests
                   WHERE status <> 'pending' AND decided_at < ?1 ORDER BY decided_at LIMIT ?2";
        sqlx::query(&format!(
            "INSERT INTO access_requests_archive
                 (id, workspace_id, user_id, publisher_team_id, role, message, status, created_at,
                  decided_at, decided_by, notified_at, archived_at)
             SELECT id, workspace_id, user_id, publisher_team_id, role, message, status, created_at,
                    decided_at, decided_by, notified_at, ?3
             FROM access_requests WHERE id IN ({due})"
        ))
        .bind(before)
        .bind(i64::from(batch))
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let moved = sqlx::query(&format!("DELETE FROM access_requests WHERE id IN ({due})"))
            .bind(before)
            .bind(i64::from(batch))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(moved)
    }

    /// The caller's latest request for a workspace.
    pub async fn my_access_request(
        &self,
        workspace_id: &str,
        caller: &Caller,
    ) -> Result<Option<MyAccessRequest>, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        latest_for(&mut conn, workspace_id, caller.user_id.as_str()).await
    }

    /// Asks for access; asking again while a request is pending returns that request
    /// (`false`: nothing new was created).
    pub async fn request_access(
        &self,
        caller: &Caller,
        workspace_id: &str,
        role: PartnerRole,
        message: &str,
    ) -> Result<(MyAccessRequest, bool), AppError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let ws = workspaces::load(&mut tx, workspace_id, caller)
            .await?
            .ok_or(AppError::NotFound)?;
        authz::can_request_access(caller, &ws.facts())?;
        if let Some(existing) = latest_for(&mut tx, workspace_id, caller.user_id.as_str()).await?
            && existing.status == AccessRequestStatus::Pending
        {
            return Ok((existing, false));
        }
        sqlx::query(
            "INSERT INTO access_requests (id, workspace_id, publisher_team_id, user_id, role, message,
                                          status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
        )
        .bind(new_id())
        .bind(workspace_id)
        .bind(&ws.team_id)
        .bind(caller.user_id.as_str())
        .bind(role.as_str())
        .bind(message)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let created = latest_for(&mut tx, workspace_id, caller.user_id.as_str())
            .await?
            .ok_or_else(|| anyhow::anyhow!("request missing after insert"))?;
        tx.commit().await?;
        Ok((created, true))
    }

    /// Approves (granting the role asked for) or denies a pending request to one of the
    /// publisher's workspaces.
    /// Approving writes the partner's "Go to workspace" email in the same transaction.
    pub async fn decide_access_request(
        &self,
        caller: &Caller,
        publisher: &str,
        request_id: &str,
        decision: Decision,
        links: &Links,
    ) -> Result<AccessRequest, AppError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let row: RequestRow = sqlx::query_as(&format!(
            "{REQUEST_SELECT} WHERE r.id = ? AND w.team_id = ?"
        ))
        .bind(request_id)
        .bind(publisher)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(AppError::NotFound)?;
        if row.status != "pending" {
            return Err(AppError::Conflict(format!(
                "This request was already {}.",
                row.status
            )));
        }
        let at = now();
        // What made the request make sense may have changed since it was asked: checked
        // here, inside the transaction that would grant it.
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
                sqlx::query(
                    "UPDATE access_requests SET status = 'dropped', decided_at = ?, decided_by = ?
                     WHERE id = ?",
                )
                .bind(&at)
                .bind(caller.user_id.as_str())
                .bind(request_id)
                .execute(&mut *tx)
                .await?;
                audit::record(
                    &mut tx,
                    Entry {
                        actor_id: Some(caller.user_id.as_str()),
                        team_id: publisher,
                        action: "access_request.dropped",
                        workspace_id: Some(&row.workspace_id),
                        subject_id: Some(&row.user_id),
                        detail: json!({ "request_id": request_id, "why": why }),
                    },
                )
                .await?;
                tx.commit().await?;
                return Err(AppError::Conflict(why.into()));
            }
        };
        let status = match decision {
            Decision::Deny => "denied",
            Decision::Approve => {
                let role: PartnerRole = row.role.parse().unwrap_or(PartnerRole::Viewer);
                let has_grant: bool = sqlx::query_scalar(concat!(
                    "SELECT EXISTS (SELECT 1 FROM partner_grants g WHERE g.workspace_id = ? AND g.user_id = ? AND ",
                    active_grant!("g"),
                    ")"
                ))
                .bind(&row.workspace_id)
                .bind(&row.user_id)
                .fetch_one(&mut *tx)
                .await?;
                if !has_grant {
                    if role == PartnerRole::Editor {
                        partners::check_editor_allowed(&mut tx, publisher, row.multi_partner_mode)
                            .await?;
                    }
                    partners::grant(
                        &mut tx,
                        Grant {
                            workspace_id: &row.workspace_id,
                            user_id: &row.user_id,
                            partner_team_id: &requester_team,
                            publisher_team_id: publisher,
                            role,
                            at: &at,
                        },
                    )
                    .await?;
                }
                let publisher_name: String =
                    sqlx::query_scalar("SELECT name FROM teams WHERE id = ?")
                        .bind(publisher)
                        .fetch_one(&mut *tx)
                        .await?;
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
                outbox::enqueue(&mut tx, &format!("access-approved:{request_id}"), &message)
                    .await?;
                "approved"
            }
        };
        sqlx::query(
            "UPDATE access_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
        )
        .bind(status)
        .bind(&at)
        .bind(caller.user_id.as_str())
        .bind(request_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Entry {
                actor_id: Some(caller.user_id.as_str()),
                team_id: publisher,
                action: if decision == Decision::Approve {
                    "access_request.approved"
                } else {
                    "access_request.denied"
                },
                workspace_id: Some(&row.workspace_id),
                subject_id: Some(&row.user_id),
                detail: json!({ "request_id": request_id, "role": row.role }),
            },
        )
        .await?;
        let decided: RequestRow = sqlx::query_as(&format!("{REQUEST_SELECT} WHERE r.id = ?"))
            .bind(request_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(decided.into_api())
    }

    /// Writes the access-request digests that are due: for every publisher team whose
    /// oldest un-notified pending request is older than `window`, one email to each of its
    /// Partner Managers and Team Admins listing all its un-notified requests, which are
    /// then marked notified. Each team is one short transaction, so a digest is written
    /// exactly once and no team's digest waits for (or is undone with) another's.
    /// Requests of people who have left their team are never listed (they are dropped).
    /// Returns how many emails were written, or the first team's error once every team
    /// has been tried.
    pub async fn write_access_request_digests(
        &self,
        window: std::time::Duration,
        links: &Links,
    ) -> Result<u32, sqlx::Error> {
        let cutoff = time::OffsetDateTime::now_utc()
            - time::Duration::try_from(window).unwrap_or(time::Duration::ZERO);
        let mut written = 0;
        let mut first_error = None;
        for team in self.teams_with_due_digests(cutoff).await? {
            match self.write_team_digests(&team, cutoff, links).await {
                Ok(count) => written += count,
                Err(error) => {
                    tracing::error!(team, %error, "access-request digest failed");
                    first_error.get_or_insert(error);
                }
            }
        }
        first_error.map_or(Ok(written), Err)
    }

    /// The publisher teams whose oldest un-notified pending request (of someone still in a
    /// team) was made at `cutoff` or earlier: a read outside any write transaction.
    async fn teams_with_due_digests(
        &self,
        cutoff: time::OffsetDateTime,
    ) -> Result<Vec<String>, sqlx::Error> {
        let pending: Vec<(String, String)> = sqlx::query_as(
            "SELECT w.team_id, r.created_at FROM access_requests r
             JOIN workspaces w ON w.id = r.workspace_id
             JOIN users u ON u.id = r.user_id
             WHERE r.status = 'pending' AND r.notified_at IS NULL AND u.team_id IS NOT NULL",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut due: Vec<String> = pending
            .into_iter()
            .filter(|(_, created_at)| made_by(created_at, cutoff))
            .map(|(team, _)| team)
            .collect();
        due.sort_unstable();
        due.dedup();
        Ok(due)
    }

    /// One team's digests, in one transaction that reads the team's un-notified requests
    /// again (more may have come, or another process may have sent them), writes a digest
    /// to each of its Partner Managers and Team Admins and marks the requests notified.
    async fn write_team_digests(
        &self,
        publisher: &str,
        cutoff: time::OffsetDateTime,
        links: &Links,
    ) -> Result<u32, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let requests: Vec<DigestRow> = sqlx::query_as(
            "SELECT r.id, r.role, r.message, r.created_at, p.name AS publisher_name,
                    w.name AS workspace_name, u.name AS user_name, u.email, t.name AS team_name
             FROM access_requests r
             JOIN workspaces w ON w.id = r.workspace_id
             JOIN teams p ON p.id = w.team_id
             JOIN users u ON u.id = r.user_id
             JOIN teams t ON t.id = u.team_id
             WHERE w.team_id = ? AND r.status = 'pending' AND r.notified_at IS NULL
             ORDER BY r.created_at, r.id",
        )
        .bind(publisher)
        .fetch_all(&mut *tx)
        .await?;
        if !requests.iter().any(|r| made_by(&r.created_at, cutoff)) {
            return Ok(0);
        }
        let at = now();
        for request in &requests {
            let marked = sqlx::query(
                "UPDATE access_requests SET notified_at = ? WHERE id = ? AND notified_at IS NULL",
            )
            .bind(&at)
            .bind(&request.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // Another process's digest took it since the read (not possible under SQLite's
            // write lock, possible where rows are locked one by one): leave the team to it.
            if marked == 0 {
                return Ok(0);
            }
        }
        let managers: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, name, email FROM users
             WHERE team_id = ? AND (team_role = 'admin' OR is_partner_manager = 1)
             ORDER BY name COLLATE NOCASE",
        )
        .bind(publisher)
        .fetch_all(&mut *tx)
        .await?;
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
        for (manager_id, name, email) in &managers {
            let message = templates::access_request_digest(
                links,
                Recipient { name, email },
                &first.publisher_name,
                &lines,
            );
            // A request is listed in one digest only, so its first names that digest.
            let key = format!("access-digest:{}:{manager_id}", first.id);
            if outbox::enqueue(&mut tx, &key, &message).await? {
                written += 1;
            }
        }
        tx.commit().await?;
        Ok(written)
    }
}

/// Whether an access request's `created_at` is at `cutoff` or earlier.
fn made_by(created_at: &str, cutoff: time::OffsetDateTime) -> bool {
    time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
        .is_ok_and(|created| created <= cutoff)
}

#[derive(FromRow)]
struct DigestRow {
    id: String,
    role: String,
    message: String,
    created_at: String,
    publisher_name: String,
    workspace_name: String,
    user_name: String,
    email: String,
    team_name: String,
}
