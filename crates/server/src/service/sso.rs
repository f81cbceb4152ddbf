//! Single sign-on: which addresses sign in through their team's identity provider, the
//! sign-in itself (started here, finished at the callback), a team's provider settings,
//! and a publisher's requirement that a partner team's people use SSO.

use partner_api::audit::AuditAction;
use partner_api::session::UserRef;
use partner_api::sso::{SetSsoProvider, SsoDiscovery, SsoFailure, SsoProvider, SsoSettings};
use serde_json::json;

use crate::db::{AuditEntry, Db, SsoLoginRow, SsoProviderRow, timestamp};
use crate::domain::authz::{self, Caller};
use crate::domain::session_token;
use crate::domain::sso::{email_in_domain, return_path};
use crate::error::AppError;
use crate::oidc::{Oidc, Provider};
use crate::secrets::SecretKey;
use crate::state::AppState;

/// How long a sign-in may take at the provider.
const LOGIN_MINUTES: i64 = 10;

/// The domain of an address, if it has one.
fn domain_of(email: &str) -> Option<&str> {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, d)| d)
        .filter(|d| !d.is_empty())
}

/// The provider of the team with this address's domain, if it has one.
async fn provider_row(db: &Db, email: &str) -> Result<Option<SsoProviderRow>, sqlx::Error> {
    match domain_of(email) {
        Some(domain) => db.sso_provider_for_domain(domain).await,
        None => Ok(None),
    }
}

/// `GET /api/sso/discover`: by domain only.
pub async fn discover(db: &Db, email: &str) -> Result<SsoDiscovery, sqlx::Error> {
    Ok(match provider_row(db, email).await? {
        Some(row) => SsoDiscovery {
            sso: true,
            required: row.sso_enforced,
            team_name: Some(row.team_name),
        },
        None => SsoDiscovery {
            sso: false,
            required: false,
            team_name: None,
        },
    })
}

/// The password form is closed to people of a team that requires SSO and has a provider.
pub async fn refuse_password(db: &Db, email: &str) -> Result<(), AppError> {
    match provider_row(db, email).await? {
        Some(row) if !crate::domain::sso::password_allowed(true, row.sso_enforced) => {
            Err(AppError::SsoOnly(format!(
                "{} requires SSO: continue with SSO to sign in.",
                row.team_name
            )))
        }
        _ => Ok(()),
    }
}

/// The provider with its secret opened, or why not.
fn opened(row: &SsoProviderRow, key: Option<&SecretKey>) -> Option<Provider> {
    let secret = key?.open(&row.client_secret, &row.team_id)?;
    Some(Provider {
        issuer: row.issuer.clone(),
        client_id: row.client_id.clone(),
        client_secret: String::from_utf8(secret).ok()?,
    })
}

/// A sign-in sent to the provider: where the browser goes, and the token that binds the
/// sign-in to this browser (its cookie).
pub struct Started {
    pub provider_url: String,
    pub browser_token: String,
}

/// Starts an SSO sign-in for `email`, coming back to `return_to` (a path of this site).
pub async fn start(
    state: &AppState,
    email: &str,
    return_to: Option<&str>,
) -> Result<Started, SsoFailure> {
    let row = provider_row(&state.db, email)
        .await
        .map_err(|_| SsoFailure::ProviderUnreachable)?
        .ok_or(SsoFailure::NotConfigured)?;
    let provider =
        opened(&row, state.secret_key.as_ref()).ok_or(SsoFailure::ProviderUnreachable)?;
    let redirect_uri = state.config.sso_redirect_uri();
    let begun = state
        .oidc
        .begin(&provider, &redirect_uri, email.trim())
        .await?;
    let browser_token = session_token::generate();
    let expires = time::OffsetDateTime::now_utc() + time::Duration::minutes(LOGIN_MINUTES);
    state
        .db
        .start_sso_login(
            &session_token::hash(&begun.state),
            &SsoLoginRow {
                browser_hash: session_token::hash(&browser_token),
                team_id: row.team_id,
                email: email.trim().to_owned(),
                nonce: begun.nonce,
                pkce_verifier: begun.pkce_verifier,
                return_to: return_path(return_to),
                expires_at: timestamp(expires),
            },
        )
        .await
        .map_err(|_| SsoFailure::ProviderUnreachable)?;
    Ok(Started {
        provider_url: begun.url,
        browser_token,
    })
}

/// What the provider sent the browser back with.
pub struct Callback<'a> {
    pub state: Option<&'a str>,
    pub code: Option<&'a str>,
    pub error: Option<&'a str>,
    /// The sign-in cookie of the browser that came back.
    pub browser_token: Option<&'a str>,
}

/// A finished sign-in: whom to sign in and where to go.
pub struct Finished {
    pub user_id: String,
    pub return_to: String,
}

/// A refused sign-in: why, the address it was for (to fill the form in again) and where
/// it was going (to go there after all).
pub struct Refused {
    pub why: SsoFailure,
    pub email: Option<String>,
    pub return_to: Option<String>,
}

impl From<SsoFailure> for Refused {
    fn from(why: SsoFailure) -> Self {
        Self {
            why,
            email: None,
            return_to: None,
        }
    }
}

/// Finishes an SSO sign-in. The state works once (taken from the database), only in the
/// browser that started it and only for 10 minutes; the ID token is checked by the
/// `openidconnect` crate; the address it vouches for must be verified, of the team's
/// domain, and an account of the team.
pub async fn finish(state: &AppState, back: Callback<'_>) -> Result<Finished, Refused> {
    let handle = back.state.ok_or(SsoFailure::StateInvalid)?;
    let login = state
        .db
        .take_sso_login(&session_token::hash(handle))
        .await
        .map_err(|_| SsoFailure::ProviderUnreachable)?
        .ok_or(SsoFailure::StateInvalid)?;
    let email = Some(login.email.clone());
    let return_to = Some(login.return_to.clone()).filter(|path| path != "/");
    let refuse = |why| Refused {
        why,
        email: email.clone(),
        return_to: return_to.clone(),
    };
    let this_browser = back
        .browser_token
        .is_some_and(|token| session_token::hash(token) == login.browser_hash);
    if !this_browser || login.expires_at <= crate::db::now() {
        return Err(refuse(SsoFailure::StateInvalid));
    }
    if back.error.is_some() {
        return Err(refuse(SsoFailure::Denied));
    }
    let code = back.code.ok_or_else(|| refuse(SsoFailure::Denied))?;
    let row = state
        .db
        .sso_provider(&login.team_id)
        .await
        .map_err(|_| refuse(SsoFailure::ProviderUnreachable))?
        .ok_or_else(|| refuse(SsoFailure::NotConfigured))?;
    let provider = opened(&row, state.secret_key.as_ref())
        .ok_or_else(|| refuse(SsoFailure::ProviderUnreachable))?;
    let identity = state
        .oidc
        .finish(
            &provider,
            &state.config.sso_redirect_uri(),
            code,
            &login.pkce_verifier,
            &login.nonce,
        )
        .await
        .map_err(refuse)?;
    let address = identity
        .email
        .filter(|address| identity.email_verified && email_in_domain(address, &row.domain))
        .ok_or_else(|| refuse(SsoFailure::EmailUnverified))?;
    let user_id = state
        .db
        .team_member_by_email(&row.team_id, &address)
        .await
        .map_err(|_| refuse(SsoFailure::ProviderUnreachable))?
        .ok_or_else(|| refuse(SsoFailure::NoAccount))?;
    Ok(Finished {
        user_id,
        return_to: login.return_to,
    })
}

/// `GET /api/team/sso` (Team Admins).
pub async fn settings(state: &AppState, caller: &Caller) -> Result<SsoSettings, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let provider = state.db.sso_provider(&team).await?;
    let (domain, required) = match &provider {
        Some(row) => (row.domain.clone(), row.sso_enforced),
        None => {
            let (_, _, domain, enforced) =
                state.db.team_ref(&team).await?.ok_or(AppError::NotFound)?;
            (domain, enforced)
        }
    };
    Ok(SsoSettings {
        provider: provider.map(|row| SsoProvider {
            issuer: row.issuer,
            client_id: row.client_id,
            client_secret_set: !row.client_secret.is_empty(),
            updated_at: row.updated_at,
            updated_by: row.updated_by_id.map(|id| UserRef {
                id: id.into(),
                name: row.updated_by_name.unwrap_or_default(),
                email: row.updated_by_email.unwrap_or_default(),
            }),
        }),
        domains: vec![domain],
        required,
        redirect_uri: state.config.sso_redirect_uri(),
        can_store_secrets: state.secret_key.is_some(),
    })
}

/// `PUT /api/team/sso` (Team Admins): checks the fields, reads the issuer's discovery
/// document (a provider the server can't read is refused), seals the secret, audits.
pub async fn set_provider(
    state: &AppState,
    caller: &Caller,
    body: SetSsoProvider,
) -> Result<SsoSettings, AppError> {
    let team = authz::require_team_admin(caller)?.as_str().to_owned();
    let key = state.secret_key.as_ref().ok_or_else(|| {
        AppError::Conflict(
            "This server has no secret key to store a client secret with. Ask whoever runs \
             it to set PARTNER_SECRET_KEY."
                .into(),
        )
    })?;
    let issuer = body.issuer.trim().trim_end_matches('/').to_owned();
    let client_id = body.client_id.trim().to_owned();
    let secret = body.client_secret.map(|s| s.trim().to_owned());
    if issuer.is_empty() || issuer.chars().count() > 500 {
        return Err(AppError::invalid_field(
            "issuer",
            "Enter the issuer URL (up to 500 characters).",
        ));
    }
    if client_id.is_empty()
        || client_id.chars().count() > 200
        || client_id.chars().any(char::is_control)
    {
        return Err(AppError::invalid_field(
            "client_id",
            "Enter the client ID the provider gave you (up to 200 characters).",
        ));
    }
    if let Some(secret) = &secret
        && (secret.is_empty()
            || secret.chars().count() > 500
            || secret.chars().any(char::is_control))
    {
        return Err(AppError::invalid_field(
            "client_secret",
            "Enter the client secret (up to 500 characters), or leave it out to keep the stored one.",
        ));
    }
    if let Some(problem) = crate::domain::sso::issuer_problem(&issuer, state.oidc.allow_local) {
        return Err(AppError::invalid_field("issuer", problem));
    }
    check_issuer(&state.oidc, &issuer).await?;
    let sealed = secret.as_deref().map(|s| key.seal(s.as_bytes(), &team));
    let (mut tx, team) = super::team::begin_team_change(&state.db, caller).await?;
    let at = crate::db::now();
    let saved = tx
        .set_sso_provider(
            &team,
            &issuer,
            &client_id,
            sealed.as_deref(),
            Some(caller.user_id.as_str()),
            &at,
        )
        .await?;
    if !saved {
        return Err(AppError::invalid_field(
            "client_secret",
            "Enter the client secret: none is stored yet.",
        ));
    }
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: &team,
        action: AuditAction::TeamSsoProviderSet,
        workspace_id: None,
        partner_team_id: None,
        subject_id: None,
        detail: json!({ "after": issuer }),
    })
    .await?;
    tx.commit().await?;
    settings(state, caller).await
}

/// Reads the issuer's discovery document, or says why not (422 on `issuer`).
async fn check_issuer(oidc: &Oidc, issuer: &str) -> Result<(), AppError> {
    oidc.metadata(issuer)
        .await
        .map(|_| ())
        .map_err(|why| AppError::invalid_field("issuer", why))
}

/// `DELETE /api/team/sso` (Team Admins).
pub async fn remove_provider(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    let (mut tx, team) = super::team::begin_team_change(&state.db, caller).await?;
    let Some(issuer) = tx.remove_sso_provider(&team).await? else {
        return Err(AppError::NotFound);
    };
    tx.audit(AuditEntry {
        at: None,
        actor_id: Some(caller.user_id.as_str()),
        team_id: &team,
        action: AuditAction::TeamSsoProviderRemoved,
        workspace_id: None,
        partner_team_id: None,
        subject_id: None,
        detail: json!({ "before": issuer }),
    })
    .await?;
    tx.commit().await?;
    Ok(())
}

/// `PUT /api/partnerships/{team_id}/sso-requirement` (the publisher's Team Admins and
/// Partner Managers; a team it shares nothing with: 404).
pub async fn set_requirement(
    db: &Db,
    caller: &Caller,
    partner_team: &str,
    required: bool,
) -> Result<(), AppError> {
    let publisher = authz::require_partnership_manager(caller)?
        .as_str()
        .to_owned();
    if partner_team == publisher || !db.shares_with(&publisher, partner_team).await? {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    tx.lock_publisher(&publisher).await?;
    let at = crate::db::now();
    if tx
        .set_sso_requirement(
            &publisher,
            partner_team,
            required,
            caller.user_id.as_str(),
            &at,
        )
        .await?
    {
        tx.audit(AuditEntry {
            at: None,
            actor_id: Some(caller.user_id.as_str()),
            team_id: &publisher,
            action: AuditAction::PartnerSsoRequirementChanged,
            workspace_id: None,
            partner_team_id: Some(partner_team),
            subject_id: None,
            detail: json!({
                "before": crate::domain::audit::on_off(!required),
                "after": crate::domain::audit::on_off(required),
            }),
        })
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The demo's identity provider (`--demo`): Soylent signs in through the dev provider this
/// server serves under `/dev/oidc` (its issuer follows `--public-url`, set at every start).
pub async fn load_demo_provider(db: &Db, config: &crate::config::Config) -> anyhow::Result<()> {
    use crate::db::SSO_DEMO_TEAM;
    use crate::oidc::provider::{DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
    let key = config
        .sealing_key()
        .ok_or_else(|| anyhow::anyhow!("the demo needs a sealing key"))?;
    let Some(team) = db.team_by_domain(SSO_DEMO_TEAM).await? else {
        return Ok(());
    };
    let issuer = demo_issuer(config);
    let sealed = key.seal(DEMO_CLIENT_SECRET.as_bytes(), &team);
    let mut tx = db.begin().await?;
    tx.set_sso_provider(
        &team,
        &issuer,
        DEMO_CLIENT_ID,
        Some(&sealed),
        None,
        &crate::db::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The dev identity provider's issuer URL.
pub fn demo_issuer(config: &crate::config::Config) -> String {
    format!("{}/dev/oidc", config.public_url.trim_end_matches('/'))
}
