use serde::{Deserialize, Serialize};

/// `GET /api/health`: the server is up and its database answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `"ok"` in a 200 answer.
    pub status: String,
    /// The newest database migration applied.
    pub schema_version: i64,
    /// The server's version (its crate version).
    pub version: String,
    /// Whether the server runs with the demo data (the app then lists the demo accounts).
    #[serde(default)]
    pub demo: bool,
}
