//! A small OpenID Connect provider, for the demo and the tests only: `--demo` serves it
//! under `/dev/oidc` (it signs in whichever address is typed, with no password, and says
//! so on its page); the tests start one on loopback and inject faults (wrong issuer,
//! foreign signature, expired token, wrong nonce, unverified email). Production servers
//! never mount it.
//!
//! It is stateless, so it works behind a balancer: an authorization code is the sign-in's
//! facts sealed with the provider's key, and its RS256 signing key is made from a seed
//! (the same on every server of one demo), when first needed.

use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreProviderMetadata, CoreResponseType, CoreRsaPrivateSigningKey, CoreSubjectIdentifierType,
};
use openidconnect::{
    AccessToken, Audience, AuthUrl, AuthorizationCode, EmptyAdditionalClaims,
    EmptyAdditionalProviderMetadata, EndUserEmail, IssuerUrl, JsonWebKeyId, JsonWebKeySetUrl,
    Nonce, PrivateSigningKey, ResponseTypes, Scope, StandardClaims, SubjectIdentifier, TokenUrl,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::email::html::escape;
use crate::secrets::SecretKey;

const KEY_ID: &str = "partner-workspaces-dev";

/// The demo's client at its own provider.
pub const DEMO_CLIENT_ID: &str = "partner-workspaces-demo";
/// Its secret (the demo's; public like the signing key).
pub const DEMO_CLIENT_SECRET: &str = "partner-workspaces-demo-secret";

/// How long an authorization code lasts.
const CODE_SECONDS: i64 = 120;

/// What a test makes the provider get wrong.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    /// ID tokens name another issuer.
    pub wrong_issuer: bool,
    /// ID tokens are signed with a key the provider doesn't publish.
    pub foreign_signature: bool,
    /// ID tokens expired before they were issued.
    pub expired: bool,
    /// ID tokens carry a nonce other than the one asked for.
    pub wrong_nonce: bool,
    /// The email is not said to be verified.
    pub unverified_email: bool,
}

/// The provider: its issuer URL, its one client, its keys.
pub struct DevProvider {
    issuer: String,
    client_id: String,
    client_secret: String,
    redirect_uri: String,
    /// Where the signing keys come from.
    key_seed: [u8; 32],
    /// The signing key, and another that signs what a test wants refused for a bad
    /// signature (made on first use: most demo servers never sign anything).
    keys: std::sync::OnceLock<(CoreRsaPrivateSigningKey, CoreRsaPrivateSigningKey)>,
    codes: SecretKey,
    faults: Mutex<Faults>,
}

impl DevProvider {
    /// A provider at `issuer` (its base URL, which serves [`router`]) for one client that
    /// comes back to `redirect_uri`.
    /// `codes` seals its authorization codes and `key_seed` makes its signing key: the same
    /// on every server behind one balancer (a code issued by one is redeemed at another, a
    /// token signed by one checked against the other's keys).
    pub fn new(
        issuer: &str,
        client_id: &str,
        client_secret: &str,
        redirect_uri: &str,
        codes: SecretKey,
        key_seed: [u8; 32],
    ) -> Arc<Self> {
        Arc::new(Self {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            key_seed,
            keys: std::sync::OnceLock::new(),
            codes,
            faults: Mutex::new(Faults::default()),
        })
    }

    /// The signing key and the other one.
    fn keys(&self) -> &(CoreRsaPrivateSigningKey, CoreRsaPrivateSigningKey) {
        self.keys.get_or_init(|| {
            let other_seed: [u8; 32] =
                Sha256::digest([&self.key_seed[..], b"other"].concat()).into();
            (signing_key(self.key_seed), signing_key(other_seed))
        })
    }

    /// The issuer URL.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Makes the provider get things wrong from now on (tests).
    pub fn set_faults(&self, faults: Faults) {
        *self.faults.lock().expect("faults lock") = faults;
    }

    fn faults(&self) -> Faults {
        *self.faults.lock().expect("faults lock")
    }
}

/// An RSA key made from `seed` (2048 bits, deterministic).
fn signing_key(seed: [u8; 32]) -> CoreRsaPrivateSigningKey {
    use rand_chacha::rand_core::SeedableRng;
    use rsa::pkcs1::{EncodeRsaPrivateKey, LineEnding};
    let mut rng = rand_chacha::ChaCha20Rng::from_seed(seed);
    let key = rsa::RsaPrivateKey::new(&mut rng, 2048).expect("an RSA key from a seed");
    let pem = key.to_pkcs1_pem(LineEnding::LF).expect("an RSA key as PEM");
    CoreRsaPrivateSigningKey::from_pem(&pem, Some(JsonWebKeyId::new(KEY_ID.into())))
        .expect("the key just made")
}

/// The provider's endpoints, relative to its issuer URL.
pub fn router(provider: Arc<DevProvider>) -> Router {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize_page).post(authorize))
        .route("/token", axum::routing::post(token))
        .with_state(provider)
}

async fn discovery(State(p): State<Arc<DevProvider>>) -> Json<CoreProviderMetadata> {
    let url = |path: &str| format!("{}{path}", p.issuer);
    let metadata = CoreProviderMetadata::new(
        IssuerUrl::new(p.issuer.clone()).expect("issuer URL"),
        AuthUrl::new(url("/authorize")).expect("authorize URL"),
        JsonWebKeySetUrl::new(url("/jwks")).expect("jwks URL"),
        vec![ResponseTypes::new(vec![CoreResponseType::Code])],
        vec![CoreSubjectIdentifierType::Public],
        vec![CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256],
        EmptyAdditionalProviderMetadata {},
    )
    .set_token_endpoint(Some(TokenUrl::new(url("/token")).expect("token URL")))
    .set_scopes_supported(Some(vec![
        Scope::new("openid".into()),
        Scope::new("email".into()),
        Scope::new("profile".into()),
    ]));
    Json(metadata)
}

async fn jwks(State(p): State<Arc<DevProvider>>) -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![
        p.keys().0.as_verification_key(),
    ]))
}

/// `GET /authorize`: what the provider asks of the browser.
#[derive(Debug, Deserialize)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    login_hint: Option<String>,
}

fn refuse(why: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Html(format!(
            "<!doctype html><meta charset=utf-8><title>Dev identity provider</title><p>{}</p>",
            escape(why)
        )),
    )
        .into_response()
}

/// The sign-in page: one address, no password (it is the demo's provider).
async fn authorize_page(
    State(p): State<Arc<DevProvider>>,
    Query(q): Query<AuthorizeQuery>,
) -> Response {
    // Never send a browser to an address that isn't the client's.
    if q.client_id != p.client_id || q.redirect_uri != p.redirect_uri {
        return refuse("Unknown client or redirect URI.");
    }
    if q.code_challenge.is_none() || q.code_challenge_method.as_deref() != Some("S256") {
        return refuse("This provider needs PKCE (S256).");
    }
    let hidden = |name: &str, value: &str| {
        format!(
            "<input type=hidden name=\"{}\" value=\"{}\">",
            escape(name),
            escape(value)
        )
    };
    Html(format!(
        "<!doctype html><html lang=en><meta charset=utf-8>\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\
         <title>Dev identity provider</title>\
         <main><h1>Development identity provider</h1>\
         <p><strong>For the demo only</strong> (<code>partner-server --demo</code>): it signs in \
         the address you give, without a password. Never use it for real accounts.</p>\
         <form method=post action=\"{action}\">{state}{nonce}{challenge}\
         <p><label for=email>Email</label><br>\
         <input id=email name=email type=email required autocomplete=email value=\"{email}\"></p>\
         <p><button type=submit name=decision value=allow>Sign in</button> \
         <button type=submit name=decision value=deny>Cancel</button></p></form></main></html>",
        action = escape(&format!("{}/authorize", p.issuer)),
        state = hidden("state", &q.state),
        nonce = hidden("nonce", q.nonce.as_deref().unwrap_or_default()),
        challenge = hidden(
            "code_challenge",
            q.code_challenge.as_deref().unwrap_or_default()
        ),
        email = escape(q.login_hint.as_deref().unwrap_or_default()),
    ))
    .into_response()
}

/// `POST /authorize`: the form above.
#[derive(Debug, Deserialize)]
struct Decision {
    state: String,
    nonce: String,
    code_challenge: String,
    email: String,
    decision: Option<String>,
}

/// The facts an authorization code carries (sealed).
#[derive(Debug, Serialize, Deserialize)]
struct CodeFacts {
    email: String,
    nonce: String,
    code_challenge: String,
    expires: i64,
}

async fn authorize(State(p): State<Arc<DevProvider>>, Form(d): Form<Decision>) -> Response {
    let mut back = url::Url::parse(&p.redirect_uri).expect("the client's redirect URI");
    if d.decision.as_deref() == Some("deny") {
        back.query_pairs_mut()
            .append_pair("error", "access_denied")
            .append_pair("state", &d.state);
        return Redirect::to(back.as_str()).into_response();
    }
    let facts = CodeFacts {
        email: d.email.trim().to_owned(),
        nonce: d.nonce,
        code_challenge: d.code_challenge,
        expires: time::OffsetDateTime::now_utc().unix_timestamp() + CODE_SECONDS,
    };
    let sealed = p
        .codes
        .seal(&serde_json::to_vec(&facts).expect("code facts"), "code");
    back.query_pairs_mut()
        .append_pair("code", &URL_SAFE_NO_PAD.encode(sealed))
        .append_pair("state", &d.state);
    Redirect::to(back.as_str()).into_response()
}

/// `POST /token`.
#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn token_error(code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "error": code })),
    )
        .into_response()
}

/// The client's id and secret from HTTP Basic (URL-encoded parts) or the form.
fn client_credentials(headers: &HeaderMap, form: &TokenRequest) -> Option<(String, String)> {
    if let Some(basic) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic)
            .ok()?;
        let text = String::from_utf8(decoded).ok()?;
        let (id, secret) = text.split_once(':')?;
        let decode = |s: &str| {
            url::form_urlencoded::parse(format!("x={s}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
        };
        return Some((decode(id)?, decode(secret)?));
    }
    Some((form.client_id.clone()?, form.client_secret.clone()?))
}

async fn token(
    State(p): State<Arc<DevProvider>>,
    headers: HeaderMap,
    Form(form): Form<TokenRequest>,
) -> Response {
    if form.grant_type != "authorization_code" || form.redirect_uri != p.redirect_uri {
        return token_error("invalid_request");
    }
    match client_credentials(&headers, &form) {
        Some((id, secret)) if id == p.client_id && secret == p.client_secret => {}
        _ => return token_error("invalid_client"),
    }
    let facts: Option<CodeFacts> = URL_SAFE_NO_PAD
        .decode(&form.code)
        .ok()
        .and_then(|sealed| p.codes.open(&sealed, "code"))
        .and_then(|json| serde_json::from_slice(&json).ok());
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let Some(facts) = facts.filter(|f| f.expires >= now) else {
        return token_error("invalid_grant");
    };
    let challenge = form
        .code_verifier
        .as_deref()
        .map(|v| URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())));
    if challenge.as_deref() != Some(facts.code_challenge.as_str()) {
        return token_error("invalid_grant");
    }
    let faults = p.faults();
    let access_token = AccessToken::new(crate::domain::session_token::generate());
    let issued = chrono::Utc::now();
    let (issued, expires) = if faults.expired {
        (
            issued - chrono::Duration::minutes(10),
            issued - chrono::Duration::minutes(5),
        )
    } else {
        (issued, issued + chrono::Duration::minutes(5))
    };
    let issuer = if faults.wrong_issuer {
        format!("{}/someone-else", p.issuer)
    } else {
        p.issuer.clone()
    };
    let nonce = if faults.wrong_nonce {
        "not-the-nonce-asked-for".to_owned()
    } else {
        facts.nonce
    };
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(issuer).expect("issuer URL"),
        vec![Audience::new(p.client_id.clone())],
        expires,
        issued,
        StandardClaims::new(SubjectIdentifier::new(format!(
            "dev-{}",
            facts.email.to_lowercase()
        )))
        .set_email(Some(EndUserEmail::new(facts.email)))
        .set_email_verified(Some(!faults.unverified_email)),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let key = if faults.foreign_signature {
        &p.keys().1
    } else {
        &p.keys().0
    };
    let id_token = match CoreIdToken::new(
        claims,
        key,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        Some(&access_token),
        Some(&AuthorizationCode::new(form.code)),
    ) {
        Ok(token) => token,
        Err(error) => {
            tracing::error!(%error, "signing a dev ID token");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    Json(serde_json::json!({
        "access_token": access_token.secret(),
        "token_type": "bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}
