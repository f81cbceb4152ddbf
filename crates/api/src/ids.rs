//! Opaque ids. Each kind of id is its own type so one cannot be passed for another.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text (for URLs).
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }
    };
}

id_type!(
    /// A user's id.
    UserId
);
id_type!(
    /// A team's id.
    TeamId
);
id_type!(
    /// A workspace's id.
    WorkspaceId
);
id_type!(
    /// An access request's id.
    AccessRequestId
);
id_type!(
    /// A team invitation's id.
    InvitationId
);
id_type!(
    /// A migration run's id.
    MigrationRunId
);
id_type!(
    /// An access review's id.
    ReviewId
);
