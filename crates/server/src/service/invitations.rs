//! Invitations to join a team: Team Admins invite an address; the email's link lets whoever
//! signs in (or creates the account) with that very address join. Only a token's hash is
//! stored; a resend gives a new link and the old one stops working.

use partner_api::audit::AuditAction;
use partner_api::session::new_password_problem;
use partner_api::team::{
    AcceptInvitation, INVITATION_DAYS, InvitationPreview, InviteMember, TeamInvitation,
    person_name_problem,
};
use partner_api::{Email, Me, PageRequest, Paginated, TeamRole};
use serde_json::json;
use time::OffsetDateTime;

use crate::db::{
    AuditEntry, Db, InvitationRow, NewInvitation, Tx, like_pattern, new_id, timestamp,
};
use crate::domain::authz::{self, Caller};
use crate::domain::session_token as token;
use crate::email::{Links, templates};
use crate::error::AppError;
use crate::hash_pool::HashPool;
use crate::service::membership;
use crate::service::team::begin_team_change;

/// `GET /api/team/invitations`: the team's pending invitations (Team Admins).
pub async fn list(
    db: &Db,
    caller: &Caller,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Paginated<TeamInvitation>, AppError> {
    let team = authz::require_team_admin(caller)?;
    let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
    let (total, rows) = db
        .team_invitations(team.as_str(), pattern.as_deref(), page)
        .await?;
    Ok(page.wrap(
        rows.into_iter().map(InvitationRow::into_api).collect(),
        total,
    ))
}

/// A new link: its token (for the email) and when it stops working.
fn new_link() -> (String, String, String) {
    let at = OffsetDateTime::now_utc();
    (
        token::generate(),
        timestamp(at),
        timestamp(at + time::Duration::days(INVITATION_DAYS)),
    )
}

/// Writes the invitation's email with its link, in the transaction.
async fn send(
    tx: &mut Tx,
    links: &Links,
    invitation: &InvitationRow,
    token: &str,
    inviter: &str,
) -> Result<(), sqlx::Error> {
    let message = templates::team_invitation(
        links.join_team(token),
        &invitation.email,
        &invitation.team_name,
        inviter,
        invitation.role(),
    );
    tx.enqueue(
        &format!("team-invitation:{}:{}", invitation.id, invitation.sent_at),
        &message,
    )
    .await?;
    Ok(())
}

async fn audit(
    tx: &mut Tx,
    caller: &Caller,
    team: &str,
    action: AuditAction,
    invitation: &InvitationRow,
) -> Result<(), sqlx::Error> {
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: team,
        action,
        workspace_id: None,
        partner_team_id: None,
        subject_id: None,
        detail: json!({
            "invitation_id": invitation.id,
            "email": invitation.email,
            "after": invitation.role().label(),
        }),
    })
    .await
}

/// `POST /api/team/invitations` (Team Admins): one pending invitation per address.
pub async fn invite(
    db: &Db,
    caller: &Caller,
    body: &InviteMember,
    links: &Links,
) -> Result<TeamInvitation, AppError> {
    authz::require_team_admin(caller)?;
    let email =
        Email::parse(&body.email).map_err(|e| AppError::invalid_field("email", e.to_string()))?;
    let role = body.team_role.unwrap_or(TeamRole::Member);
    let (mut tx, team) = begin_team_change(db, caller).await?;
    if let Some(person) = tx.person_by_email(email.as_str()).await?
        && person.team_id.as_deref() == Some(team.as_str())
    {
        return Err(AppError::Conflict(format!(
            "{} ({email}) is already in your team.",
            person.name
        )));
    }
    if let Some(pending) = tx.pending_invitation_for(&team, email.as_str()).await?
        && pending.expires_at > crate::db::now()
    {
        return Err(AppError::Conflict(format!(
            "{} is already invited. Resend the invitation to send a new link.",
            pending.email
        )));
    }
    let (link_token, at, expires_at) = new_link();
    let id = new_id();
    tx.insert_invitation(NewInvitation {
        id: &id,
        team_id: &team,
        email: email.as_str(),
        team_role: role,
        token_hash: &token::hash(&link_token),
        invited_by: caller.user_id.as_str(),
        at: &at,
        expires_at: &expires_at,
    })
    .await?;
    let invitation = tx
        .team_invitation(&team, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation missing after insert"))?;
    send(&mut tx, links, &invitation, &link_token, &caller.name).await?;
    audit(
        &mut tx,
        caller,
        &team,
        AuditAction::MemberInvited,
        &invitation,
    )
    .await?;
    tx.commit().await?;
    Ok(invitation.into_api())
}

/// `POST /api/team/invitations/{id}/resend` (Team Admins): a new link and expiry.
pub async fn resend(
    db: &Db,
    caller: &Caller,
    id: &str,
    links: &Links,
) -> Result<TeamInvitation, AppError> {
    let (mut tx, team) = begin_team_change(db, caller).await?;
    tx.team_invitation(&team, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (link_token, at, expires_at) = new_link();
    tx.renew_invitation(id, &token::hash(&link_token), &at, &expires_at)
        .await?;
    let invitation = tx
        .team_invitation(&team, id)
        .await?
        .ok_or(AppError::NotFound)?;
    send(&mut tx, links, &invitation, &link_token, &caller.name).await?;
    audit(
        &mut tx,
        caller,
        &team,
        AuditAction::MemberInvitationResent,
        &invitation,
    )
    .await?;
    tx.commit().await?;
    Ok(invitation.into_api())
}

/// `DELETE /api/team/invitations/{id}` (Team Admins): the link stops working.
pub async fn revoke(db: &Db, caller: &Caller, id: &str) -> Result<(), AppError> {
    let (mut tx, team) = begin_team_change(db, caller).await?;
    let invitation = tx
        .team_invitation(&team, id)
        .await?
        .ok_or(AppError::NotFound)?;
    tx.close_invitation(id, "revoked", &crate::db::now())
        .await?;
    audit(
        &mut tx,
        caller,
        &team,
        AuditAction::MemberInvitationRevoked,
        &invitation,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `GET /api/invitations/{token}`: what the link offers, to whoever holds it.
pub async fn preview(db: &Db, link_token: &str) -> Result<InvitationPreview, AppError> {
    let invitation = db
        .invitation_by_token(&token::hash(link_token))
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    Ok(InvitationPreview {
        account_exists: db.account_exists(&invitation.email).await?,
        team_role: invitation.role(),
        team_name: invitation.team_name,
        email: invitation.email,
        invited_by_name: invitation.invited_by_name,
        expires_at: invitation.expires_at,
    })
}

/// What accepting did: who is now in the team, and a new session when it made the account.
pub struct Accepted {
    pub user_id: String,
    pub new_session: Option<String>,
}

/// `POST /api/invitations/{token}/accept`: the invited address joins, signed in as itself,
/// or by creating its account (name and password) when there is none.
pub async fn accept(
    db: &Db,
    hash_pool: &HashPool,
    caller: Option<&Caller>,
    link_token: &str,
    body: &AcceptInvitation,
) -> Result<Accepted, AppError> {
    let hash = token::hash(link_token);
    let invitation = db
        .invitation_by_token(&hash)
        .await?
        .ok_or(AppError::InvitationInvalid)?;
    // A new account's password is hashed before the transaction (hashing is slow).
    let new_account = match caller {
        Some(caller) => {
            if !caller.email.eq_ignore_ascii_case(&invitation.email) {
                return Err(AppError::Conflict(format!(
                    "This invitation is for {}, and you're signed in as {}. Switch account to join.",
                    invitation.email, caller.email
                )));
            }
            None
        }
        None => {
            if db.account_exists(&invitation.email).await? {
                return Err(AppError::Unauthenticated);
            }
            let name = body.name.as_deref().unwrap_or_default().trim().to_owned();
            let password = body.password.clone().unwrap_or_default();
            let mut fields = std::collections::BTreeMap::new();
            if let Some(why) = person_name_problem(&name) {
                fields.insert("name".to_owned(), why.to_owned());
            }
            if let Some(why) = new_password_problem(&password, "") {
                fields.insert("password".to_owned(), why.to_owned());
            }
            if !fields.is_empty() {
                return Err(AppError::Invalid {
                    message: "Enter your name and a password to create your account.".into(),
                    fields,
                });
            }
            Some((name, hash_pool.hash(password).await?))
        }
    };
    let mut tx = db.begin().await?;
    tx.lock_team(&invitation.team_id).await?;
    let invitation = tx
        .invitation_by_token(&hash)
        .await?
        .filter(|i| i.expires_at > crate::db::now())
        .ok_or(AppError::InvitationInvalid)?;
    let user_id = match (&new_account, caller) {
        (Some((name, password_hash)), _) => tx
            .create_user(&invitation.email, name, password_hash)
            .await
            .map_err(|e| match e.as_database_error() {
                Some(db) if db.is_unique_violation() => AppError::Conflict(
                    "An account with this address was just created. Sign in to join.".into(),
                ),
                _ => e.into(),
            })?,
        (None, Some(caller)) => caller.user_id.as_str().to_owned(),
        (None, None) => return Err(AppError::Unauthenticated),
    };
    let membership = tx.membership(&user_id).await?;
    match membership.and_then(|m| m.team_id) {
        Some(team) if team == invitation.team_id => {}
        Some(team) => {
            let name = tx.team_name(&team).await?;
            return Err(AppError::Conflict(format!(
                "You're in {name}. Someone belongs to one team at a time: leave {name} first, \
                 then open this link again."
            )));
        }
        None => {
            tx.join_team(&user_id, &invitation.team_id, invitation.role())
                .await?;
        }
    }
    if !tx
        .close_invitation(&invitation.id, "accepted", &crate::db::now())
        .await?
    {
        return Err(AppError::InvitationInvalid);
    }
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(&user_id),
        team_id: &invitation.team_id,
        action: AuditAction::MemberJoined,
        workspace_id: None,
        partner_team_id: None,
        subject_id: Some(&user_id),
        detail: json!({
            "invitation_id": invitation.id,
            "after": invitation.role().label(),
            "invited_by": invitation.invited_by,
        }),
    })
    .await?;
    tx.commit().await?;
    let new_session = if new_account.is_some() {
        let session = token::generate();
        db.start_session(&user_id, &token::hash(&session), "password")
            .await?;
        Some(session)
    } else {
        None
    };
    Ok(Accepted {
        user_id,
        new_session,
    })
}

/// `GET /api/me` for the person who just joined.
pub async fn me_after(db: &Db, session: &[u8]) -> Result<Me, AppError> {
    let caller = db
        .caller(session)
        .await?
        .map(Caller::from)
        .ok_or(AppError::Unauthenticated)?;
    Ok(membership::me(db, &caller).await?)
}
