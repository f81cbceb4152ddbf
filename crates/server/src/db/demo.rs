//! The demo data of `shared/API.md` ("Demo data"): tests and outside clients rely on it.

/// Every demo account signs in with this password.
pub const DEMO_PASSWORD: &str = "partner-demo";

pub(crate) struct Team {
    pub name: &'static str,
    pub domain: &'static str,
    pub plan: &'static str,
    pub editor_seats: i64,
    pub sso: bool,
}

pub(crate) const TEAMS: [Team; 6] = [
    Team {
        name: "Acme Payments",
        domain: "acme.test",
        plan: "professional",
        editor_seats: 3,
        sso: true,
    },
    Team {
        name: "Hooli",
        domain: "hooli.test",
        plan: "enterprise",
        editor_seats: 10,
        sso: true,
    },
    Team {
        name: "Globex",
        domain: "globex.test",
        plan: "professional",
        editor_seats: 3,
        sso: true,
    },
    Team {
        name: "Initech",
        domain: "initech.test",
        plan: "professional",
        editor_seats: 3,
        sso: false,
    },
    Team {
        name: "Umbrella",
        domain: "umbrella.test",
        plan: "enterprise",
        editor_seats: 10,
        sso: false,
    },
    // Signs in through the dev identity provider (`/dev/oidc`), and requires it.
    Team {
        name: "Soylent",
        domain: "soylent.test",
        plan: "professional",
        editor_seats: 3,
        sso: true,
    },
];

/// Publishers that require a partner team's people to sign in with SSO: (publisher
/// domain, partner team domain).
pub(crate) const SSO_REQUIREMENTS: [(&str, &str); 1] = [("hooli.test", "soylent.test")];

/// The team whose identity provider is the dev one under `/dev/oidc`.
pub const SSO_DEMO_TEAM: &str = "soylent.test";

/// (login, display name, team domain, team role, partner manager)
pub(crate) const PEOPLE: [(&str, &str, Option<&str>, &str, bool); 12] = [
    ("alice", "Alice Adams", Some("acme.test"), "admin", false),
    ("paul", "Paul Parker", Some("acme.test"), "member", true),
    ("wanda", "Wanda Wells", Some("acme.test"), "member", false),
    ("mike", "Mike Moore", Some("acme.test"), "member", false),
    ("hana", "Hana Hill", Some("hooli.test"), "admin", false),
    ("gina", "Gina Gray", Some("globex.test"), "member", false),
    ("gary", "Gary Green", Some("globex.test"), "member", false),
    // Ed was removed from Globex: he can sign in, belongs to no team, and has access to nothing.
    ("ed", "Ed Evans", None, "", false),
    ("ivan", "Ivan Ito", Some("initech.test"), "member", false),
    ("uma", "Uma Ueda", Some("umbrella.test"), "member", false),
    // Globex's Team Admin: her External access shows gina and gary in Acme's workspaces.
    ("gwen", "Gwen Garcia", Some("globex.test"), "admin", false),
    // Soylent's Team Admin, a partner in Hooli Search API: signs in through SSO only.
    ("sam", "Sam Soto", Some("soylent.test"), "admin", false),
];

/// Partner Leads: (workspace, login) — gina invites and removes Globex colleagues there.
pub(crate) const LEADS: [(&str, &str); 1] = [("Payments API", "gina")];

/// Grants that end a number of days after the demo is loaded: (workspace, login, days).
/// Ivan's ends within the reminder window, so its reminder is written at once.
pub(crate) const EXPIRING_GRANTS: [(&str, &str, i64); 1] = [("Hooli Search API", "ivan", 3)];

/// Open access reviews: (publisher domain, partner team domain, reviewer login, started by
/// login, days until due).
pub(crate) const REVIEWS: [(&str, &str, &str, &str, i64); 1] =
    [("acme.test", "globex.test", "paul", "alice", 7)];

/// Pending team invitations: (team domain, address, invited by login).
pub(crate) const TEAM_INVITATIONS: [(&str, &str, &str); 1] =
    [("acme.test", "nora@acme.test", "alice")];

/// (name, publisher domain, visibility, multi-partner mode, legacy, summary)
pub(crate) const WORKSPACES: [(&str, &str, &str, bool, bool, &str); 5] = [
    (
        "Payments API",
        "acme.test",
        "partner",
        false,
        false,
        "Charge, capture and refund card payments.",
    ),
    (
        "Fraud Signals",
        "acme.test",
        "partner",
        true,
        false,
        "Risk scores and fraud signals for every payment.",
    ),
    (
        "Refunds API",
        "acme.test",
        "partner",
        false,
        true,
        "Refunds and disputes (created before May 2025).",
    ),
    (
        "Internal Tools",
        "acme.test",
        "internal",
        false,
        false,
        "Back-office scripts for Acme's own team.",
    ),
    (
        "Hooli Search API",
        "hooli.test",
        "partner",
        false,
        false,
        "Search Hooli's catalogue from partner apps.",
    ),
];

/// Publisher members' workspace roles: (workspace, login, role).
pub(crate) const MEMBERS: [(&str, &str, &str); 10] = [
    ("Payments API", "wanda", "admin"),
    ("Payments API", "mike", "editor"),
    ("Payments API", "paul", "viewer"),
    ("Fraud Signals", "wanda", "admin"),
    ("Fraud Signals", "mike", "editor"),
    ("Refunds API", "wanda", "admin"),
    ("Refunds API", "mike", "editor"),
    ("Internal Tools", "mike", "editor"),
    ("Internal Tools", "wanda", "editor"),
    ("Hooli Search API", "hana", "admin"),
];

/// Partner grants: (workspace, login, role).
pub(crate) const GRANTS: [(&str, &str, &str); 8] = [
    ("Payments API", "gina", "editor"),
    ("Payments API", "gary", "viewer"),
    ("Payments API", "ivan", "viewer"),
    ("Fraud Signals", "ivan", "viewer"),
    ("Fraud Signals", "uma", "viewer"),
    ("Refunds API", "ivan", "viewer"),
    ("Hooli Search API", "ivan", "viewer"),
    ("Hooli Search API", "sam", "viewer"),
];

/// Grants that ended when their holder left the partner team: (workspace, login).
pub(crate) const ENDED_GRANTS: [(&str, &str); 2] =
    [("Payments API", "ed"), ("Fraud Signals", "ed")];
