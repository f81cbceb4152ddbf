//! Single sign-on through a team's OpenID Connect provider, a publisher's "require SSO"
//! policy for a partner team, and how the current session was made.

use serde::{Deserialize, Serialize};

use crate::roles::wire_enum;
use crate::session::UserRef;

wire_enum!(
    /// How a session was made.
    SignInMethod {
        Password => "password" / "Password",
        Sso => "sso" / "SSO",
    }
);

/// `GET /api/sso/discover?email=`: whether the address's domain signs in through SSO.
/// Answers by domain only (never whether an account exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoDiscovery {
    /// The domain's team has an identity provider: "Continue with SSO" is offered.
    pub sso: bool,
    /// The team requires SSO: the password form is closed to its people.
    pub required: bool,
    /// The team's name, when `sso` (for "Continue with Soylent SSO").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_name: Option<String>,
}

/// `GET /api/sso/discover` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SsoDiscoverQuery {
    pub email: String,
}

/// `GET /api/sso/start?email=&return_to=` query: a browser navigation answered with a
/// redirect to the identity provider. `return_to` is a path of this site (anything else
/// is replaced by `/`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct SsoStartQuery {
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_to: Option<String>,
}

wire_enum!(
    /// Why an SSO sign-in was refused: the callback sends the browser to
    /// `/signin?sso_error=<code>`, and the sign-in page says what happened.
    SsoFailure {
        /// The address's domain has no identity provider here.
        NotConfigured => "not_configured" / "Your company hasn't set up single sign-on here. Sign in with your password.",
        /// The sign-in link was used already, expired, or was started in another browser.
        StateInvalid => "state_invalid" / "That sign-in link has expired or was already used. Start again.",
        /// The identity provider said no (or the person cancelled).
        Denied => "denied" / "Your identity provider didn't sign you in. Try again, or ask your IT team.",
        /// The identity provider couldn't be reached or answered with something unreadable.
        ProviderUnreachable => "provider_unreachable" / "We couldn't reach your identity provider. Try again in a minute.",
        /// The ID token failed validation: issuer, audience, signature or expiry.
        TokenInvalid => "token_invalid" / "Your identity provider's answer couldn't be verified, so you weren't signed in. Ask your IT team to check the SSO setup.",
        /// The ID token's nonce isn't the one this sign-in sent.
        NonceMismatch => "nonce_mismatch" / "That sign-in answer belongs to another sign-in attempt. Start again.",
        /// The provider didn't vouch for an email address of the team's domain.
        EmailUnverified => "email_unverified" / "Your identity provider didn't confirm an email address of your company's domain.",
        /// No account of the team has that address.
        NoAccount => "no_account" / "There's no Partner Workspaces account for that address in your company's team. Ask a Team Admin to invite you.",
    }
);

/// A team's identity provider, as its Team Admins see it (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoProvider {
    /// The issuer URL (`{issuer}/.well-known/openid-configuration` describes it).
    pub issuer: String,
    pub client_id: String,
    /// A client secret is stored (encrypted; it is never shown again).
    pub client_secret_set: bool,
    pub updated_at: String,
    pub updated_by: Option<UserRef>,
}

/// `GET /api/team/sso` (Team Admins).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoSettings {
    pub provider: Option<SsoProvider>,
    /// The verified domains whose addresses sign in through it.
    pub domains: Vec<String>,
    /// "Require SSO for our people" (`TeamSettings::sso_enforced`): closes the password form
    /// to the team's people once a provider is set up.
    pub required: bool,
    /// The redirect URI to register at the provider.
    pub redirect_uri: String,
    /// Whether this server can store a client secret (it needs its secret key set).
    pub can_store_secrets: bool,
}

/// `PUT /api/team/sso` (Team Admins): set up or change the provider. The server reads the
/// issuer's discovery document before saving; a provider it can't read is refused (422).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetSsoProvider {
    /// An `https://` URL (plain `http://` only on a server started for local testing).
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub issuer: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub client_id: String,
    /// Required the first time; omitted, the stored one is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 500))]
    pub client_secret: Option<String>,
}

/// A publisher's requirement that a partner team's people open its workspaces only from
/// an SSO session (`PUT /api/partnerships/{team_id}/sso-requirement`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetSsoRequirement {
    pub required: bool,
}

/// Who requires SSO of the caller for a workspace (`MyAccess::sso_required`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SsoRequiredBy {
    /// The publisher's name ("Hooli").
    pub publisher: String,
    /// The caller's team's name ("Soylent").
    pub partner_team: String,
}

impl SsoRequiredBy {
    /// "Hooli requires Soylent people to sign in with SSO."
    pub fn sentence(&self) -> String {
        format!(
            "{} requires {} people to sign in with SSO.",
            self.publisher, self.partner_team
        )
    }
}

/// `GET /api/session`: how this session was made, and the "view as partner" it is in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub method: SignInMethod,
    pub signed_in_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view_as: Option<crate::view_as::ViewAs>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirement_reads_as_a_sentence() {
        let by = SsoRequiredBy {
            publisher: "Hooli".into(),
            partner_team: "Soylent".into(),
        };
        assert_eq!(
            by.sentence(),
            "Hooli requires Soylent people to sign in with SSO."
        );
        assert_eq!(SsoFailure::NonceMismatch.as_str(), "nonce_mismatch");
        assert_eq!("token_invalid".parse(), Ok(SsoFailure::TokenInvalid));
    }
}
