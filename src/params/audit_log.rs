//! The Audit log page's state in the URL: who, where, which other team, what, which days,
//! and where the page starts (`before`, a previous page's `next`). The URL is the single
//! source of truth, so reload, back/forward and a copied link restore the same entries, and
//! "Download CSV" exports exactly what the filters select.

use std::fmt;

use leptos_router::params::{Params, ParamsError, ParamsMap};
use partner_api::audit::{AuditAction, AuditFilter, AuditQuery};
use partner_api::{TeamId, UserId, WorkspaceId};

use crate::routes::AUDIT_LOG_PATH;

/// Entries shown per page.
pub const PER_PAGE: u32 = 50;

/// Every key the page reads from its query.
const KEYS: [&str; 7] = [
    "actor",
    "workspace",
    "partner_team",
    "action",
    "from",
    "to",
    "before",
];

/// `?actor=&workspace=&partner_team=&action=&from=&to=&before=` of Team Settings > Audit
/// log. Values that make no sense (an unknown action, a day that isn't YYYY-MM-DD) read as
/// no filter, so an edited link still opens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditLogParams {
    /// Only changes made by this person.
    pub actor: Option<UserId>,
    /// Only changes in this workspace.
    pub workspace: Option<WorkspaceId>,
    /// Only changes that concern this other team.
    pub partner_team: Option<TeamId>,
    pub action: Option<AuditAction>,
    /// From this day (YYYY-MM-DD, UTC), inclusive.
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD, UTC), inclusive.
    pub to: Option<String>,
    /// Entries older than this cursor; the newest when absent.
    pub before: Option<String>,
}

/// Whether `text` reads as a day, YYYY-MM-DD (what `<input type="date">` gives).
pub fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        && matches!(text[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(text[8..10].parse::<u8>(), Ok(1..=31))
}

fn id<T: From<String>>(value: &str) -> Option<T> {
    (!value.is_empty()).then(|| T::from(value.to_owned()))
}

fn day(value: &str) -> Option<String> {
    is_day(value).then(|| value.to_owned())
}

impl AuditLogParams {
    /// Reads the query's key/value pairs (already percent-decoded); later values win.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut params = Self::default();
        for (key, value) in pairs {
            let value = value.as_ref().trim();
            match key.as_ref() {
                "actor" => params.actor = id(value),
                "workspace" => params.workspace = id(value),
                "partner_team" => params.partner_team = id(value),
                "action" => params.action = value.parse().ok(),
                "from" => params.from = day(value),
                "to" => params.to = day(value),
                "before" => params.before = (!value.is_empty()).then(|| value.to_owned()),
                _ => {}
            }
        }
        params
    }

    /// Reads a query string (with or without its leading `?`).
    pub fn from_query_str(query: &str) -> Self {
        Self::from_pairs(super::query_pairs(query))
    }

    /// The page's URL for this view.
    pub fn href(&self) -> String {
        format!("{AUDIT_LOG_PATH}{self}")
    }

    /// The filters, without where the page starts (what the CSV exports).
    pub fn filter(&self) -> AuditFilter {
        AuditFilter {
            actor: self.actor.clone(),
            workspace: self.workspace.clone(),
            partner_team: self.partner_team.clone(),
            action: self.action,
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    /// What to ask `GET /api/team/audit-log` for.
    pub fn api_query(&self) -> AuditQuery {
        AuditQuery {
            before: self.before.clone(),
            per_page: Some(PER_PAGE),
            ..AuditQuery::from(self.filter())
        }
    }

    /// Whether a filter narrows the log.
    pub fn is_filtered(&self) -> bool {
        self.filter() != AuditFilter::default()
    }

    /// Whether the page shows older entries than the newest.
    pub fn is_older(&self) -> bool {
        self.before.is_some()
    }

    /// The same filters, from the newest entry.
    pub fn newest(&self) -> Self {
        Self {
            before: None,
            ..self.clone()
        }
    }

    /// The same filters, entries older than `next` (a page's cursor).
    pub fn older(&self, next: &str) -> Self {
        Self {
            before: Some(next.to_owned()),
            ..self.clone()
        }
    }

    /// Another person (or anyone), from the newest entry.
    pub fn with_actor(&self, actor: Option<UserId>) -> Self {
        Self {
            actor,
            ..self.newest()
        }
    }

    /// Another workspace (or any), from the newest entry.
    pub fn with_workspace(&self, workspace: Option<WorkspaceId>) -> Self {
        Self {
            workspace,
            ..self.newest()
        }
    }

    /// Another team (or any), from the newest entry.
    pub fn with_partner_team(&self, partner_team: Option<TeamId>) -> Self {
        Self {
            partner_team,
            ..self.newest()
        }
    }

    /// Another action (or any), from the newest entry.
    pub fn with_action(&self, action: Option<AuditAction>) -> Self {
        Self {
            action,
            ..self.newest()
        }
    }

    /// Other days (each YYYY-MM-DD or empty for no bound), from the newest entry.
    pub fn with_days(&self, from: &str, to: &str) -> Self {
        Self {
            from: day(from.trim()),
            to: day(to.trim()),
            ..self.newest()
        }
    }

    /// No filter, the newest entries.
    pub fn cleared(&self) -> Self {
        Self::default()
    }
}

impl Params for AuditLogParams {
    fn from_map(map: &ParamsMap) -> Result<Self, ParamsError> {
        Ok(Self::from_pairs(KEYS.into_iter().filter_map(|key| {
            map.get_str(key).map(|value| (key, value))
        })))
    }
}

/// The query string, with its `?`, leaving out what is absent (`""` for the newest entries
/// of the whole log).
impl fmt::Display for AuditLogParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut query = super::QueryWriter::new(f);
        query.text("actor", self.actor.as_ref().map_or("", UserId::as_str))?;
        query.text(
            "workspace",
            self.workspace.as_ref().map_or("", WorkspaceId::as_str),
        )?;
        query.text(
            "partner_team",
            self.partner_team.as_ref().map_or("", TeamId::as_str),
        )?;
        query.text("action", self.action.map_or("", AuditAction::as_str))?;
        query.text("from", self.from.as_deref().unwrap_or(""))?;
        query.text("to", self.to.as_deref().unwrap_or(""))?;
        query.text("before", self.before.as_deref().unwrap_or(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_filter() -> AuditLogParams {
        AuditLogParams {
            actor: Some(UserId::from("u_wanda")),
            workspace: Some(WorkspaceId::from("w a&b")),
            partner_team: Some(TeamId::from("t_globex")),
            action: Some(AuditAction::MultiPartnerOn),
            from: Some("2026-01-01".to_owned()),
            to: Some("2026-12-31".to_owned()),
            before: Some("2026-06-01T10:00:00Z/ae_9+x".to_owned()),
        }
    }

    #[test]
    fn the_newest_entries_of_the_whole_log_are_the_bare_path() {
        let params = AuditLogParams::from_query_str("");
        assert_eq!(params, AuditLogParams::default());
        assert_eq!(params.to_string(), "");
        assert_eq!(params.href(), AUDIT_LOG_PATH);
        assert!(!params.is_filtered());
        assert!(!params.is_older());
    }

    #[test]
    fn every_filter_and_the_cursor_round_trip_through_the_url() {
        let params = every_filter();
        let url = params.to_string();
        assert_eq!(
            url,
            "?actor=u_wanda&workspace=w%20a%26b&partner_team=t_globex\
             &action=workspace.multi_partner_on&from=2026-01-01&to=2026-12-31\
             &before=2026-06-01T10%3A00%3A00Z%2Fae_9%2Bx"
        );
        assert_eq!(AuditLogParams::from_query_str(&url), params);
        for params in [
            AuditLogParams::default().with_actor(Some("u 1".into())),
            AuditLogParams::default().with_workspace(Some("w/1".into())),
            AuditLogParams::default().with_partner_team(Some("t?x".into())),
            AuditLogParams::default().with_action(Some(AuditAction::PartnerInvited)),
            AuditLogParams::default().with_days("2026-02-03", ""),
            AuditLogParams::default().older("c#1"),
        ] {
            let url = params.to_string();
            assert_eq!(AuditLogParams::from_query_str(&url), params, "{url}");
        }
        for action in AuditAction::ALL {
            let params = AuditLogParams::default().with_action(Some(*action));
            assert_eq!(AuditLogParams::from_query_str(&params.to_string()), params);
        }
    }

    #[test]
    fn links_people_write_by_hand_read_sensibly() {
        let params = AuditLogParams::from_query_str(
            "?action=team.exploded&from=yesterday&to=2026-13-01&actor=&before=",
        );
        assert_eq!(params, AuditLogParams::default());
        let params = AuditLogParams::from_query_str("from=2026-02-03&to=2026-02-28&x=1");
        assert_eq!(params.from.as_deref(), Some("2026-02-03"));
        assert_eq!(params.to.as_deref(), Some("2026-02-28"));
        assert!(is_day("2026-02-03"));
        for bad in [
            "",
            "2026-2-3",
            "2026/02/03",
            "2026-00-10",
            "2026-01-32",
            "２０２６-01-01",
        ] {
            assert!(!is_day(bad), "{bad}");
        }
    }

    #[test]
    fn the_page_and_the_csv_ask_for_the_same_filters() {
        let params = every_filter();
        let query = params.api_query();
        assert_eq!(query.filter(), params.filter());
        assert_eq!(query.before, params.before);
        assert_eq!(query.per_page, Some(PER_PAGE));
        assert_eq!(params.filter().action, Some(AuditAction::MultiPartnerOn));
        assert_eq!(AuditLogParams::default().api_query().before, None);
    }

    #[test]
    fn changing_a_filter_starts_again_from_the_newest_entry() {
        let params = every_filter();
        assert_eq!(params.with_actor(None).before, None);
        assert_eq!(params.with_workspace(None).before, None);
        assert_eq!(params.with_partner_team(None).before, None);
        assert_eq!(params.with_action(None).before, None);
        assert_eq!(params.with_days("", "").before, None);
        assert_eq!(params.newest().action, params.action);
        assert_eq!(params.older("n2").before.as_deref(), Some("n2"));
        assert_eq!(params.older("n2").actor, params.actor);
        assert!(!params.cleared().is_filtered());
    }
}
