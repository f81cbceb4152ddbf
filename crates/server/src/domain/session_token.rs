//! Session tokens: 256 random bits for the cookie; only their SHA-256 is stored.

use sha2::{Digest, Sha256};

/// The cookie that carries the session token on a plain-http site (development).
pub const COOKIE: &str = "pw_session";

/// The cookie's name on an https site: browsers accept a `__Host-` cookie only when it is
/// Secure, has Path=/ and no Domain, so no subdomain and no plain-http page can set or
/// shadow it.
pub const HOST_COOKIE: &str = "__Host-pw_session";

/// The cookie of a "view as partner" session, and of an SSO sign-in in flight (the browser
/// that started it), on a plain-http site; `__Host-` names on https.
pub const VIEW_COOKIE: &str = "pw_view";
pub const HOST_VIEW_COOKIE: &str = "__Host-pw_view";
pub const SSO_COOKIE: &str = "pw_sso";
pub const HOST_SSO_COOKIE: &str = "__Host-pw_sso";

/// How the session cookie is named and flagged for the site's public URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookieSpec {
    pub name: &'static str,
    pub secure: bool,
}

impl CookieSpec {
    /// The "view as partner" cookie's name.
    pub fn view_name(&self) -> &'static str {
        if self.secure {
            HOST_VIEW_COOKIE
        } else {
            VIEW_COOKIE
        }
    }

    /// The SSO sign-in cookie's name.
    pub fn sso_name(&self) -> &'static str {
        if self.secure {
            HOST_SSO_COOKIE
        } else {
            SSO_COOKIE
        }
    }
}

impl CookieSpec {
    /// `__Host-` and Secure for an https public URL; the plain name otherwise.
    pub fn for_public_url(public_url: &str) -> Self {
        let secure = public_url
            .get(..8)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
        Self {
            name: if secure { HOST_COOKIE } else { COOKIE },
            secure,
        }
    }
}

/// A fresh token (64 hex characters) for a new session.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the OS random source works");
    hex(&bytes)
}

/// What the database stores for a token: a leaked table cannot be replayed as cookies.
pub fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_sites_use_the_host_prefix() {
        assert_eq!(
            CookieSpec::for_public_url("https://partners.example"),
            CookieSpec {
                name: "__Host-pw_session",
                secure: true
            }
        );
        assert!(CookieSpec::for_public_url("HTTPS://partners.example").secure);
        assert_eq!(
            CookieSpec::for_public_url("http://127.0.0.1:8080"),
            CookieSpec {
                name: "pw_session",
                secure: false
            }
        );
    }

    #[test]
    fn tokens_are_random_256_bit_and_stored_hashed() {
        let (a, b) = (generate(), generate());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert_eq!(hash(&a).len(), 32);
    }
}
