//! Pure rules of single sign-on: where a sign-in may return to, which issuer URLs a team
//! may configure, which addresses the server may fetch from.

use std::net::IpAddr;

/// Where the browser goes after an SSO sign-in: a path of this site, or `/`. Anything that
/// could leave the site (`//host`, `/\host`, a scheme, control characters) becomes `/`.
pub fn return_path(asked: Option<&str>) -> String {
    let Some(path) = asked.map(str::trim) else {
        return "/".into();
    };
    let safe = path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(|c| c.is_control() || c == '\\')
        && path.len() <= 2000;
    if safe { path.to_owned() } else { "/".into() }
}

/// Why `issuer` can't be a team's identity provider, if it can't: it must be an absolute
/// `https://` URL without credentials, query or fragment (`http://` only when the server
/// allows it, for local testing), and not name an address inside the network by number.
pub fn issuer_problem(issuer: &str, allow_http: bool) -> Option<&'static str> {
    let Ok(url) = url::Url::parse(issuer) else {
        return Some("Enter the issuer's full URL, such as https://login.example.com.");
    };
    match url.scheme() {
        "https" => {}
        "http" if allow_http => {}
        _ => return Some("The issuer URL must start with https://."),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Some("The issuer URL can't hold a user name or password.");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Some("The issuer URL can't have a query (?) or fragment (#).");
    }
    match url.host() {
        None => Some("The issuer URL needs a host name."),
        Some(url::Host::Ipv4(ip)) if !allow_http && !is_public(IpAddr::V4(ip)) => {
            Some("The issuer URL can't name a private or local address.")
        }
        Some(url::Host::Ipv6(ip)) if !allow_http && !is_public(IpAddr::V6(ip)) => {
            Some("The issuer URL can't name a private or local address.")
        }
        _ => None,
    }
}

/// Whether the server may connect to `ip` for a team's identity provider: not loopback,
/// private, link-local, shared (CGNAT), unspecified, multicast or documentation space.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Whether the password form is open to a team's people: closed only once the team both
/// requires SSO and has an identity provider here (a requirement without one would lock
/// everyone out).
pub fn password_allowed(has_provider: bool, requires_sso: bool) -> bool {
    !(has_provider && requires_sso)
}

/// Whether `email` is an address of `domain` (ignoring case).
pub fn email_in_domain(email: &str, domain: &str) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, d)| d.eq_ignore_ascii_case(domain))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_ins_return_only_to_paths_of_this_site() {
        assert_eq!(return_path(Some("/workspace/ws-1")), "/workspace/ws-1");
        assert_eq!(
            return_path(Some("/workspaces?tab=shared_partner")),
            "/workspaces?tab=shared_partner"
        );
        for away in [
            "https://evil.test/",
            "//evil.test",
            "/\\evil.test",
            "javascript:alert(1)",
            "workspace",
            "/a\r\nSet-Cookie: x",
            "/\\/evil.test",
        ] {
            assert_eq!(return_path(Some(away)), "/", "{away}");
        }
        assert_eq!(return_path(None), "/");
    }

    #[test]
    fn issuers_are_https_and_outside_the_network() {
        assert_eq!(issuer_problem("https://login.example.com", false), None);
        assert_eq!(
            issuer_problem("https://login.example.com/tenant/v2.0", false),
            None
        );
        assert!(issuer_problem("http://login.example.com", false).is_some());
        assert_eq!(issuer_problem("http://127.0.0.1:9000/dev/oidc", true), None);
        assert!(issuer_problem("https://127.0.0.1", false).is_some());
        assert!(issuer_problem("https://10.0.0.5", false).is_some());
        assert!(issuer_problem("https://169.254.169.254", false).is_some());
        assert!(issuer_problem("https://[::1]", false).is_some());
        assert!(issuer_problem("https://[::ffff:127.0.0.1]", false).is_some());
        assert!(issuer_problem("https://u:p@login.example.com", false).is_some());
        assert!(issuer_problem("https://login.example.com/?x=1", false).is_some());
        assert!(issuer_problem("file:///etc/passwd", true).is_some());
        assert!(issuer_problem("not a url", false).is_some());
        assert!(is_public("93.184.216.34".parse().unwrap()));
        assert!(!is_public("100.64.1.1".parse().unwrap()));
        assert!(!is_public("fd00::1".parse().unwrap()));
    }

    #[test]
    fn the_password_form_closes_only_with_a_provider_and_the_requirement() {
        assert!(password_allowed(false, false));
        assert!(password_allowed(false, true));
        assert!(password_allowed(true, false));
        assert!(!password_allowed(true, true));
    }

    #[test]
    fn addresses_belong_to_their_domain() {
        assert!(email_in_domain("sam@Soylent.test", "soylent.test"));
        assert!(!email_in_domain("sam@soylent.test.evil", "soylent.test"));
        assert!(!email_in_domain("soylent.test", "soylent.test"));
    }
}
