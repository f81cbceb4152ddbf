//! Users, sessions and team membership.

use partner_api::session::{MyTeam, UserRef};
use partner_api::{Me, Plan, TeamRole};
use serde_json::json;
use sqlx::FromRow;
use time::{Duration, OffsetDateTime};

use super::audit::{self, Entry};
use super::{Db, now, timestamp};
use crate::domain::authz::Caller;

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 14;

/// What sign-in needs to know about an address.
#[derive(Debug, FromRow)]
pub struct Credentials {
    pub id: String,
    pub password_hash: String,
}

#[derive(Debug, FromRow)]
struct CallerRow {
    id: String,
    name: String,
    email: String,
    team_id: Option<String>,
    team_role: Option<String>,
    is_partner_manager: bool,
}

impl From<CallerRow> for Caller {
    fn from(row: CallerRow) -> Self {
        Self {
            user_id: row.id.into(),
            name: row.name,
            email: row.email,
            team_id: row.team_id.map(Into::into),
            team_role: row.team_role.and_then(|r| r.parse::<TeamRole>().ok()),
            is_partner_manager: row.is_partner_manager,
        }
    }
}

impl Db {
    /// The password hash of the account with this email (case-insensitive), if any.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>, sqlx::Error> {
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = ?")
            .bind(email.trim())
            .fetch_optional(&self.pool)
            .await
    }

    /// Starts a session and records the sign-in (SSO when the user's team enforces it:
    /// such teams can only sign in through their identity provider).
    pub async fn start_session(&self, user_id: &str, token_hash: &[u8]) -> Result<(), sqlx::Error> {
        let started = OffsetDateTime::now_utc();
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(timestamp(started))
            .bind(timestamp(started + Duration::days(SESSION_DAYS)))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "UPDATE users SET last_sign_in_at = ?,
                 last_sign_in_sso = COALESCE((SELECT sso_enforced FROM teams WHERE teams.id = users.team_id), 0)
             WHERE id = ?",
        )
        .bind(timestamp(started))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The caller behind a session token, read fresh on every request.
    pub async fn caller(&self, token_hash: &[u8]) -> Result<Option<Caller>, sqlx::Error> {
        let row: Option<CallerRow> = sqlx::query_as(
            "SELECT u.id, u.name, u.email, u.team_id, u.team_role, u.is_partner_manager
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ?",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Caller::from))
    }

    /// Deletes up to `batch` sessions that have expired; returns how many.
    pub async fn delete_expired_sessions(&self, batch: u32) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "DELETE FROM sessions WHERE token_hash IN (
                 SELECT token_hash FROM sessions WHERE expires_at <= ? ORDER BY expires_at LIMIT ?)",
        )
        .bind(now())
        .bind(i64::from(batch))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Ends one session.
    pub async fn end_session(&self, token_hash: &[u8]) -> Result<(), sqlx::Error> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The password hash of one person.
    pub async fn password_hash(&self, user_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT password_hash FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Replaces a person's password hash, if it is still `old_hash` (the one their current
    /// password was checked against), and ends every session of theirs but `keep_session`,
    /// in one transaction. False, changing nothing, when the hash changed meanwhile.
    pub async fn change_password(
        &self,
        user_id: &str,
        old_hash: &str,
        new_hash: &str,
        keep_session: &[u8],
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let changed =
            sqlx::query("UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?")
                .bind(new_hash)
                .bind(user_id)
                .bind(old_hash)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if !changed {
            return Ok(false);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
            .bind(user_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// `GET /api/me` for a caller.
    pub async fn me(&self, caller: &Caller) -> Result<Me, sqlx::Error> {
        let team: Option<(String, String, String)> = match &caller.team_id {
            Some(team) => {
                sqlx::query_as("SELECT id, name, plan FROM teams WHERE id = ?")
                    .bind(team.as_str())
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => None,
        };
        Ok(Me {
            user: UserRef {
                id: caller.user_id.clone(),
                name: caller.name.clone(),
                email: caller.email.clone(),
            },
            team: team.map(|(id, name, plan)| MyTeam {
                id: id.into(),
                name,
                plan: plan.parse().unwrap_or(Plan::Free),
            }),
            team_role: caller.team_role,
            is_partner_manager: caller.is_partner_manager,
        })
    }

    /// Takes a person out of their team, in one transaction: their partner access, which
    /// belonged to that team, ends at once (sessions included, since every request reads the
    /// team afresh); their workspace roles in the team's workspaces end too, so rejoining
    /// later starts from none; their pending access requests are dropped. Each ended grant
    /// and role is audited under the team it belonged to. `actor_id` is who removed them
    /// (`None`: they left, or the server did it).
    pub async fn remove_from_team(
        &self,
        user_id: &str,
        actor_id: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        let at = now();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let membership: Option<(Option<String>, Option<String>, bool)> =
            sqlx::query_as("SELECT team_id, team_role, is_partner_manager FROM users WHERE id = ?")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((Some(team_id), team_role, partner_manager)) = membership else {
            return Ok(());
        };
        let grants: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT workspace_id, publisher_team_id, role FROM partner_grants
             WHERE user_id = ? AND revoked_at IS NULL",
        )
        .bind(user_id)
        .fetch_all(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE partner_grants SET revoked_at = ?, revoked_reason = 'left_team'
             WHERE user_id = ? AND revoked_at IS NULL",
        )
        .bind(&at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        for (workspace_id, publisher, role) in &grants {
            audit::record(
                &mut tx,
                Entry {
                    actor_id,
                    team_id: publisher,
                    action: "partner.access_ended",
                    workspace_id: Some(workspace_id),
                    subject_id: Some(user_id),
                    detail: json!({ "reason": "left_team", "partner_team_id": team_id, "role": role }),
                },
            )
            .await?;
        }
        let roles: Vec<(String, String)> =
            sqlx::query_as("SELECT workspace_id, role FROM workspace_members WHERE user_id = ?")
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM workspace_members WHERE user_id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for (workspace_id, role) in &roles {
            audit::record(
                &mut tx,
                Entry {
                    actor_id,
                    team_id: &team_id,
                    action: "workspace_role.ended",
                    workspace_id: Some(workspace_id),
                    subject_id: Some(user_id),
                    detail: json!({ "reason": "left_team", "role": role }),
                },
            )
            .await?;
        }
        sqlx::query(
            "UPDATE access_requests SET status = 'dropped', decided_at = ?
             WHERE user_id = ? AND status = 'pending'",
        )
        .bind(&at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET team_id = NULL, team_role = NULL, is_partner_manager = 0 WHERE id = ?")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Entry {
                actor_id,
                team_id: &team_id,
                action: "member.left_team",
                workspace_id: None,
                subject_id: Some(user_id),
                detail: json!({
                    "team_role": team_role,
                    "partner_manager": partner_manager,
                    "partner_grants_ended": grants.len(),
                    "workspace_roles_ended": roles.len(),
                }),
            },
        )
        .await?;
        tx.commit().await
    }
}
