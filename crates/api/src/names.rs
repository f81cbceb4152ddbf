//! Names people give things (workspaces, teams): trimmed, 1 to 100 characters, no control
//! characters; checked alike by the web app and the server.

/// A newtype for a name, with `parse` (the error is a sentence for people), `as_str` and
/// serde through `String`; `$empty` is what an empty name is told.
macro_rules! name_type {
    ($(#[$doc:meta])* $name:ident, $empty:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Longest name accepted, in characters.
            pub const MAX_CHARS: usize = 100;

            /// Checks a name; the error is a sentence for people.
            pub fn parse(input: &str) -> Result<Self, &'static str> {
                let name = input.trim();
                if name.is_empty() {
                    Err($empty)
                } else if name.chars().count() > Self::MAX_CHARS {
                    Err("Use at most 100 characters.")
                } else if name.chars().any(char::is_control) {
                    Err("The name can't contain control characters.")
                } else {
                    Ok(Self(name.to_owned()))
                }
            }

            /// The name.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = &'static str;

            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> Self {
                name.0
            }
        }
    };
}

pub(crate) use name_type;
