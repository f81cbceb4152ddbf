//! Signing in through a team's OpenID Connect provider, the relying party's side, with the
//! `openidconnect` crate: discovery, authorization code with PKCE, state and nonce, and the
//! ID token's validation (issuer, audience, signature, expiry, nonce). No JWT is checked by
//! hand here.
//!
//! The server fetches what a Team Admin configured, so its HTTP client follows no
//! redirects, gives up after 10 s, reads at most 256 KB, and (unless the server allows
//! local providers, for testing) connects only to public addresses.

pub mod provider;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenVerifier, CoreProviderMetadata,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use partner_api::sso::SsoFailure;

/// Most bytes read from a provider's answer.
const MAX_BODY: usize = 256 * 1024;

/// A team's provider, with its client secret opened.
#[derive(Debug, Clone)]
pub struct Provider {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

/// A sign-in sent to the provider: where the browser goes, and what the callback needs.
#[derive(Debug)]
pub struct Begun {
    pub url: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// Who the provider vouched for, once the ID token is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

/// The relying party: an HTTP client for providers.
#[derive(Clone)]
pub struct Oidc {
    http: reqwest::Client,
    /// `http://` issuers and local addresses are allowed (tests, the demo).
    pub allow_local: bool,
}

impl Oidc {
    /// A client; `allow_local` lets it reach `http://` and local providers.
    pub fn new(allow_local: bool) -> anyhow::Result<Self> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent("partner-workspaces");
        if !allow_local {
            builder = builder.dns_resolver(Arc::new(PublicOnly));
        }
        Ok(Self {
            http: builder.build()?,
            allow_local,
        })
    }

    /// The provider's discovery document and keys; an error for people otherwise.
    pub async fn metadata(&self, issuer: &str) -> Result<CoreProviderMetadata, String> {
        if let Some(problem) = crate::domain::sso::issuer_problem(issuer, self.allow_local) {
            return Err(problem.into());
        }
        let issuer_url = IssuerUrl::new(issuer.to_owned()).map_err(|e| e.to_string())?;
        let http = |request| send(self.http.clone(), request);
        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|error| {
                tracing::info!(issuer, error = %error_chain(&error), "OIDC discovery failed");
                format!(
                    "Couldn't read {}/.well-known/openid-configuration: {}",
                    issuer.trim_end_matches('/'),
                    short(&error)
                )
            })?;
        // The endpoints it names are fetched too: they must pass the same checks.
        for endpoint in [
            metadata.token_endpoint().map(|u| u.as_str()),
            Some(metadata.jwks_uri().as_str()),
        ]
        .into_iter()
        .flatten()
        {
            if crate::domain::sso::issuer_problem(endpoint, self.allow_local).is_some() {
                return Err(format!(
                    "The provider names an endpoint this server won't call: {endpoint}"
                ));
            }
        }
        Ok(metadata)
    }

    /// Starts a sign-in: the provider's authorization URL with a fresh state, nonce and
    /// PKCE challenge, asking for the person's email.
    pub async fn begin(
        &self,
        provider: &Provider,
        redirect_uri: &str,
        login_hint: &str,
    ) -> Result<Begun, SsoFailure> {
        let metadata = self
            .metadata(&provider.issuer)
            .await
            .map_err(|_| SsoFailure::ProviderUnreachable)?;
        let client = client(metadata, provider, redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .add_extra_param("login_hint", login_hint)
            .set_pkce_challenge(challenge)
            .url();
        Ok(Begun {
            url: url.to_string(),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-in: trades the code (with the PKCE verifier) for tokens and checks
    /// the ID token against the provider's keys, this client and the sign-in's nonce.
    pub async fn finish(
        &self,
        provider: &Provider,
        redirect_uri: &str,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<Identity, SsoFailure> {
        let metadata = self
            .metadata(&provider.issuer)
            .await
            .map_err(|_| SsoFailure::ProviderUnreachable)?;
        let client = client(metadata, provider, redirect_uri)?;
        let http = |request| send(self.http.clone(), request);
        let exchange = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|_| SsoFailure::ProviderUnreachable)?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let tokens = exchange.request_async(&http).await.map_err(|error| {
            tracing::info!(issuer = provider.issuer, error = %error_chain(&error), "OIDC code exchange failed");
            SsoFailure::Denied
        })?;
        let id_token = tokens.id_token().ok_or(SsoFailure::TokenInvalid)?;
        let verifier: CoreIdTokenVerifier<'_> = client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|error| {
                tracing::info!(issuer = provider.issuer, %error, "ID token refused");
                match error {
                    ClaimsVerificationError::InvalidNonce(_) => SsoFailure::NonceMismatch,
                    _ => SsoFailure::TokenInvalid,
                }
            })?;
        Ok(Identity {
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified() == Some(true),
        })
    }
}

type Client = openidconnect::Client<
    openidconnect::EmptyAdditionalClaims,
    openidconnect::core::CoreAuthDisplay,
    openidconnect::core::CoreGenderClaim,
    openidconnect::core::CoreJweContentEncryptionAlgorithm,
    openidconnect::core::CoreJsonWebKey,
    openidconnect::core::CoreAuthPrompt,
    openidconnect::StandardErrorResponse<openidconnect::core::CoreErrorResponseType>,
    openidconnect::core::CoreTokenResponse,
    openidconnect::core::CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    openidconnect::core::CoreRevocationErrorResponse,
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

fn client(
    metadata: CoreProviderMetadata,
    provider: &Provider,
    redirect_uri: &str,
) -> Result<Client, SsoFailure> {
    let redirect =
        RedirectUrl::new(redirect_uri.to_owned()).map_err(|_| SsoFailure::ProviderUnreachable)?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// One request to a provider, through reqwest, with the answer's size capped.
async fn send(
    client: reqwest::Client,
    request: openidconnect::HttpRequest,
) -> Result<openidconnect::HttpResponse, HttpError> {
    let request = reqwest::Request::try_from(request).map_err(HttpError::from)?;
    let mut response = client.execute(request).await.map_err(HttpError::from)?;
    let mut answer = http::Response::builder().status(response.status());
    for (name, value) in response.headers() {
        answer = answer.header(name, value);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(HttpError::from)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_BODY {
            return Err(HttpError("the answer is larger than 256 KB".into()));
        }
    }
    answer.body(body).map_err(|e| HttpError(e.to_string()))
}

/// Why a request to a provider failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HttpError(String);

impl From<reqwest::Error> for HttpError {
    fn from(error: reqwest::Error) -> Self {
        Self(error_chain(&error))
    }
}

/// An error and its causes, on one line.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The innermost cause of an error (what people can act on).
fn short(error: &dyn std::error::Error) -> String {
    let mut last = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        last = cause.to_string();
        source = cause.source();
    }
    last
}

/// Name resolution that keeps only public addresses (`domain::sso::is_public`): a host name
/// pointing inside the network is not reached.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| crate::domain::sso::is_public(addr.ip()))
                .collect();
            if addrs.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}
