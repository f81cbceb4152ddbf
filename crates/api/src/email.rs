//! `Email`: an address that has been checked, so nothing downstream checks it again.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A syntactically valid email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, format = "email"))]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a text is not an email address (the message is for people).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailError(pub &'static str);

impl fmt::Display for EmailError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for EmailError {}

impl Email {
    /// Longest address accepted (RFC 5321's path limit).
    pub const MAX_LEN: usize = 254;

    /// Checks and normalises an address.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let address = input.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError("Enter an email address."));
        }
        if address.len() > Self::MAX_LEN {
            return Err(EmailError("That email address is too long."));
        }
        if address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\"[]\\".contains(c))
        {
            return Err(EmailError(
                "An email address can't contain spaces or <>(),;:\"[]\\.",
            ));
        }
        let Some((local, domain)) = address.split_once('@') else {
            return Err(EmailError(
                "An email address needs an @, like name@company.com.",
            ));
        };
        if local.is_empty() || domain.contains('@') {
            return Err(EmailError("That isn't a valid email address."));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let valid_label = |l: &&str| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        };
        if labels.len() < 2 || !labels.iter().all(valid_label) {
            return Err(EmailError(
                "The part after @ must be a domain, like company.com.",
            ));
        }
        Ok(Self(address))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the @.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map_or("", |(_, d)| d)
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_addresses_are_trimmed_and_lower_cased() {
        let email = Email::parse("  Gina@Globex.TEST ").unwrap();
        assert_eq!(email.as_str(), "gina@globex.test");
        assert_eq!(email.domain(), "globex.test");
        assert!(Email::parse("first.last+tag@sub.example.co").is_ok());
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_reason() {
        for bad in [
            "",
            "   ",
            "gina",
            "gina@",
            "@globex.test",
            "gina@globex",
            "gina@@globex.test",
            "gi na@globex.test",
            "gina@globex..test",
            "gina@-globex.test",
            "<script>@x.test",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert!(Email::parse(&format!("{}@x.test", "a".repeat(250))).is_err());
    }

    #[test]
    fn json_with_a_bad_address_does_not_deserialize() {
        assert!(serde_json::from_str::<Email>("\"not an email\"").is_err());
        assert_eq!(
            serde_json::from_str::<Email>("\"Ivan@Initech.test\"")
                .unwrap()
                .as_str(),
            "ivan@initech.test"
        );
    }
}
