//! Which client a request comes from, for throttling: the TCP peer, or — only when the peer
//! is one of the configured reverse proxies — the address that proxy reports.
//!
//! A proxy appends the address it saw to the forwarding header; everything to its left was
//! sent by the client and can be anything. So the header is read from the right, skipping
//! the addresses of trusted proxies, and the first other address is the client. A request
//! that does not come from a trusted proxy is never read for these headers at all.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The header the trusted proxies write the client's address into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx's `$proxy_add_x_forwarded_for`).
    #[default]
    #[value(name = "x-forwarded-for")]
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    #[value(name = "forwarded")]
    Forwarded,
}

impl ForwardedHeader {
    fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }
}

/// The reverse proxies whose forwarding header is believed, and which header they write.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    pub networks: Vec<IpNet>,
    pub header: ForwardedHeader,
}

impl TrustedProxies {
    fn trusts(&self, ip: IpAddr) -> bool {
        self.networks.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: `peer` itself unless `peer` is a trusted proxy, in which case
    /// the rightmost address of the forwarding header that is not a trusted proxy.
    pub fn client_ip(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let mut client = peer.to_canonical();
        if !self.trusts(client) {
            return client;
        }
        let hops: Vec<&str> = headers
            .get_all(self.header.name())
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .collect();
        for hop in hops.iter().rev() {
            let parsed = match self.header {
                ForwardedHeader::XForwardedFor => parse_address(hop),
                ForwardedHeader::Forwarded => forwarded_for(hop).and_then(parse_address),
            };
            // An entry that isn't an address ("unknown", an obfuscated name, garbage): the
            // hop that added it is the last one known.
            let Some(ip) = parsed else { break };
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// Parses `--trusted-proxy` values: networks (`10.0.0.0/8`, `fd00::/8`) or single addresses.
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    IpNet::from_str(text)
        .or_else(|_| IpAddr::from_str(text).map(IpNet::from))
        .map_err(|_| format!("{text:?} is neither an address nor a network like 10.0.0.0/8"))
}

/// The `for=` value of one element of a `Forwarded` header.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| value.trim().trim_matches('"'))
    })
}

/// An address as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `[2001:db8::1]` or `[2001:db8::1]:4711`.
fn parse_address(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    if let Ok(ip) = IpAddr::from_str(text) {
        return Some(ip.to_canonical());
    }
    let host = match text.strip_prefix('[') {
        Some(rest) => rest.split_once(']')?.0,
        None => text.rsplit_once(':')?.0,
    };
    IpAddr::from_str(host).ok().map(|ip| ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies(networks: &[&str], header: ForwardedHeader) -> TrustedProxies {
        TrustedProxies {
            networks: networks.iter().map(|n| parse_network(n).unwrap()).collect(),
            header,
        }
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("forwarded", "for=198.51.100.2"),
        ]);
        assert_eq!(
            none.client_ip(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
        let other = proxies(&["10.0.0.0/8"], ForwardedHeader::XForwardedFor);
        assert_eq!(
            other.client_ip(ip("203.0.113.9"), &spoofed),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn the_rightmost_address_that_is_not_a_proxy_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "127.0.0.1"], ForwardedHeader::XForwardedFor);
        // The client wrote the first two; the proxies appended the rest.
        let forwarded = headers(&[(
            "x-forwarded-for",
            "1.2.3.4, 198.51.100.1, 203.0.113.9, 10.0.0.5",
        )]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &forwarded),
            ip("203.0.113.9")
        );
        // Several header lines are one list, in order.
        let split = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.9, 10.0.0.5"),
        ]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &split),
            ip("203.0.113.9")
        );
        // No header: the proxy itself.
        assert_eq!(
            trusted.client_ip(ip("10.1.1.1"), &HeaderMap::new()),
            ip("10.1.1.1")
        );
        // Garbage where the client's address belongs: the last hop known.
        let garbage = headers(&[("x-forwarded-for", "not-an-ip, 10.0.0.5")]);
        assert_eq!(trusted.client_ip(ip("127.0.0.1"), &garbage), ip("10.0.0.5"));
    }

    #[test]
    fn only_the_configured_header_is_read() {
        let trusted = proxies(&["127.0.0.1"], ForwardedHeader::Forwarded);
        let both = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            (
                "forwarded",
                "for=192.0.2.60;proto=http, for=\"[2001:db8:cafe::17]:4711\"",
            ),
        ]);
        assert_eq!(
            trusted.client_ip(ip("127.0.0.1"), &both),
            ip("2001:db8:cafe::17")
        );
        let xff = proxies(&["127.0.0.1"], ForwardedHeader::XForwardedFor);
        assert_eq!(xff.client_ip(ip("127.0.0.1"), &both), ip("198.51.100.1"));
    }

    #[test]
    fn addresses_are_read_in_every_form_proxies_write() {
        assert_eq!(parse_address(" 192.0.2.1 "), Some(ip("192.0.2.1")));
        assert_eq!(parse_address("192.0.2.1:4711"), Some(ip("192.0.2.1")));
        assert_eq!(parse_address("2001:db8::1"), Some(ip("2001:db8::1")));
        assert_eq!(parse_address("[2001:db8::1]:80"), Some(ip("2001:db8::1")));
        assert_eq!(parse_address("::ffff:192.0.2.1"), Some(ip("192.0.2.1")));
        assert_eq!(parse_address("unknown"), None);
        assert_eq!(parse_address("_hidden"), None);
        assert_eq!(forwarded_for("proto=https;For=\"_x\""), Some("_x"));
        assert!(parse_network("10.0.0.0/8").is_ok());
        assert!(parse_network("::1").is_ok());
        assert!(parse_network("10.0.0.0/33").is_err());
        assert!(parse_network("proxy.example").is_err());
    }
}
