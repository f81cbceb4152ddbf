//! Bulk data for benchmarks: many partner teams of the demo publisher (Acme Payments),
//! legacy workspaces, and other companies (`store/generate.rs` writes them).

pub(crate) const FIRST: [&str; 16] = [
    "Northwind",
    "Blue",
    "Silver",
    "Granite",
    "Harbor",
    "Summit",
    "Copper",
    "Vertex",
    "Maple",
    "Orbit",
    "Lumen",
    "Cedar",
    "Pioneer",
    "Quartz",
    "Aurora",
    "Beacon",
];
pub(crate) const SECOND: [&str; 16] = [
    "Labs",
    "Systems",
    "Logistics",
    "Health",
    "Capital",
    "Retail",
    "Networks",
    "Media",
    "Energy",
    "Foods",
    "Robotics",
    "Travel",
    "Security",
    "Analytics",
    "Studio",
    "Partners",
];

/// What `generate --tenants` added: other companies' data, none of it the demo teams'.
#[derive(Debug, Default)]
pub struct Tenants {
    pub publishers: u64,
    pub partner_teams: u64,
    pub users: u64,
    pub workspaces: u64,
    pub grants: u64,
    pub access_requests: u64,
}

/// Per generated publisher (tenant): its people, workspaces and partner teams; each partner
/// team's people get access to two of its workspaces.
pub(crate) const TENANT_MEMBERS: u32 = 5;
pub(crate) const TENANT_WORKSPACES: u32 = 5;
pub(crate) const TENANT_PARTNER_TEAMS: u32 = 10;
pub(crate) const PARTNER_TEAM_PEOPLE: u32 = 5;
pub(crate) const TENANT_REQUESTS: u32 = 20;

/// What was generated.
#[derive(Debug)]
pub struct Generated {
    pub teams: u64,
    pub partners: u64,
    pub grants: u64,
}
