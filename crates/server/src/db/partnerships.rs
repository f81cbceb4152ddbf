//! Team Settings > Partnerships: the partner teams of a publisher, seen from above.

use partner_api::partnerships::{
    DETAIL_PARTNERS_LISTED, DETAIL_WORKSPACES_LISTED, PartnerPerson, PartnerTeamDetail,
    PartnerTeamSummary, PartnershipRemoved, PartnershipSort, PartnershipSortKey, SsoCoverage,
    SsoFilter, TeamRef, WorkspaceGrant, WorkspaceRef,
};
use partner_api::session::UserRef;
use partner_api::{PageRequest, Paginated, PartnerRole};
use serde_json::json;
use sqlx::{FromRow, SqliteConnection};

use super::audit::{self, Entry};
use super::workspaces::active_grant;
use super::{Db, like_pattern, now};
use crate::domain::authz::Caller;
use crate::error::AppError;

/// The active grants of one partner team (?2) in one publisher's workspaces (?1), whose
/// holders' name or email contains ?3 (NULL: everyone), with their holders.
const TEAM_GRANTS: &str = concat!(
    "WITH team_grants AS (
        SELECT g.user_id, g.workspace_id, g.role
        FROM partner_grants g JOIN users u ON u.id = g.user_id
        WHERE g.publisher_team_id = ?1 AND g.partner_team_id = ?2 AND ",
    active_grant!("g"),
    " AND (?3 IS NULL OR u.name LIKE ?3 ESCAPE '\\' OR u.email LIKE ?3 ESCAPE '\\'))"
);

#[derive(FromRow)]
struct DetailRow {
    user_id: String,
    user_name: String,
    email: String,
    last_sign_in_sso: bool,
    last_sign_in_at: Option<String>,
    workspaces_total: i64,
    workspace_id: String,
    workspace_name: String,
    role: String,
}

/// The ORDER BY of a sort, each served by its own index (migration 0003): ties go by name,
/// then id, so that every page is stable. Unqualified: it orders the summaries' rows
/// wherever they come from.
fn order_by(sort: PartnershipSort) -> &'static str {
    use PartnershipSortKey::*;
    match (sort.key, sort.descending) {
        (Name, false) => "name COLLATE NOCASE, partner_team_id",
        (Name, true) => "name COLLATE NOCASE DESC, partner_team_id DESC",
        (Partners, false) => "partner_count, name COLLATE NOCASE, partner_team_id",
        (Partners, true) => "partner_count DESC, name COLLATE NOCASE, partner_team_id",
        (Workspaces, false) => "workspace_count, name COLLATE NOCASE, partner_team_id",
        (Workspaces, true) => "workspace_count DESC, name COLLATE NOCASE, partner_team_id",
        // Teams nobody has signed in from come last either way.
        (LastActive, false) => {
            "last_active_at IS NULL, last_active_at, name COLLATE NOCASE, partner_team_id"
        }
        (LastActive, true) => {
            "last_active_at IS NULL, last_active_at DESC, name COLLATE NOCASE, partner_team_id"
        }
    }
}

/// The characters `partnership_summaries.chars_mask` tracks, one bit each, in order
/// (migration 0003).
const MASK_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789.-";

/// The bit of a character in `chars_mask`, ignoring ASCII case.
fn mask_bit(c: char) -> Option<i64> {
    MASK_CHARS
        .find(c.to_ascii_lowercase())
        .map(|position| 1 << position)
}

/// The bits of every tracked character of `text`.
fn chars_mask(text: &str) -> i64 {
    text.chars()
        .filter_map(mask_bit)
        .fold(0, |mask, bit| mask | bit)
}

/// Trigrams of a search that are looked up at most; LIKE confirms the rest.
const MAX_TRIGRAMS: usize = 6;

/// The trigrams a search of three or more characters looks up in `partnership_trigrams`
/// (migration 0010): distinct, lowered as the index lowers (ASCII only, as LIKE folds case),
/// at most [`MAX_TRIGRAMS`] of them spread over the search.
fn trigrams(q: &str) -> Vec<String> {
    let chars: Vec<char> = q.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut all: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    all.dedup();
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|t| seen.insert(t.clone()));
    if all.len() <= MAX_TRIGRAMS {
        return all;
    }
    let last = all.len() - 1;
    (0..MAX_TRIGRAMS)
        .map(|i| all[i * last / (MAX_TRIGRAMS - 1)].clone())
        .collect()
}

/// How a search of the partner teams list is answered. Either way a team matches when `q`
/// is part of its name or domain, ignoring ASCII case (SQLite's LIKE), and only the caller's
/// own entries of any index are read: a search costs what the publisher's list holds, not
/// what other companies have.
enum Search {
    /// No search: the totals are kept per publisher.
    None,
    /// One letter, digit, dot or dash: `chars_mask` says whether a team has it, and the
    /// totals are kept per publisher and character.
    Char { bit: i64 },
    /// One or two characters the other forms can't take: every partner team of the
    /// publisher is checked, from an index that holds name, domain and `chars_mask`. `mask`
    /// holds the bits of the characters of `q` that `chars_mask` tracks, for a quick look
    /// before LIKE.
    Scan { like: String, mask: i64 },
    /// Two ASCII characters: the publisher's trigrams that begin with them find the
    /// candidates (every occurrence begins one: migration 0010), LIKE confirms. `from..to`
    /// spans those trigrams.
    Pair {
        like: String,
        from: String,
        to: String,
    },
    /// Three characters or more: the teams of the publisher that have every looked-up
    /// trigram are the candidates, LIKE confirms.
    Indexed {
        like: String,
        trigrams: String,
        count: i64,
    },
}

impl Search {
    fn new(q: Option<&str>) -> Self {
        let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
            return Self::None;
        };
        let like = like_pattern(q);
        if q.chars().count() >= 3 && !q.chars().any(char::is_control) {
            let trigrams = trigrams(q);
            Self::Indexed {
                like,
                count: trigrams.len() as i64,
                trigrams: serde_json::Value::from(trigrams).to_string(),
            }
        } else {
            let mut chars = q.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(c), None, _) if mask_bit(c).is_some() => Self::Char {
                    bit: mask_bit(c).map_or(0, |bit| i64::from(bit.trailing_zeros())),
                },
                (Some(a), Some(b), None)
                    if q.is_ascii() && !q.chars().any(|c| c.is_ascii_control()) =>
                {
                    let from: String = [a, b].iter().map(char::to_ascii_lowercase).collect();
                    let next = char::from(b.to_ascii_lowercase() as u8 + 1);
                    let to = format!("{}{next}", a.to_ascii_lowercase());
                    Self::Pair { like, from, to }
                }
                _ => Self::Scan {
                    mask: chars_mask(q),
                    like,
                },
            }
        }
    }

    /// The rows of the search: FROM and WHERE over `partnership_summaries s`, with ?1 the
    /// publisher, ?2 SSO enforced (NULL: any), ?3 the LIKE pattern, ?4 the trigrams (a JSON
    /// array) and ?11 how many, ?7 the characters that must occur (?8 the one character's
    /// bit, for its total), ?9 and ?10 the range of trigrams that begin with two characters.
    fn rows(&self) -> &'static str {
        match self {
            Self::None => {
                "partnership_summaries s
                 WHERE s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)"
            }
            Self::Char { .. } => {
                "partnership_summaries s
                 WHERE s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)
                   AND s.chars_mask & ?7 <> 0"
            }
            Self::Scan { .. } => {
                "partnership_summaries s
                 WHERE s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)
                   AND s.chars_mask & ?7 = ?7
                   AND (s.name LIKE ?3 ESCAPE '\\' OR s.domain LIKE ?3 ESCAPE '\\')"
            }
            Self::Pair { .. } => {
                "partnership_summaries s
                 WHERE s.id IN (
                         SELECT t.summary_id FROM partnership_trigrams t
                         WHERE t.publisher_key = (SELECT key FROM partnership_publisher_keys
                                                  WHERE publisher_team_id = ?1)
                           AND t.trigram >= ?9 AND t.trigram < ?10)
                   AND s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)
                   AND (s.name LIKE ?3 ESCAPE '\\' OR s.domain LIKE ?3 ESCAPE '\\')"
            }
            Self::Indexed { .. } => {
                "partnership_summaries s
                 WHERE s.id IN (
                         SELECT t.summary_id FROM partnership_trigrams t
                         WHERE t.publisher_key = (SELECT key FROM partnership_publisher_keys
                                                  WHERE publisher_team_id = ?1)
                           AND t.trigram IN (SELECT value FROM json_each(?4))
                         GROUP BY t.summary_id HAVING COUNT(*) = ?11)
                   AND s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)
                   AND (s.name LIKE ?3 ESCAPE '\\' OR s.domain LIKE ?3 ESCAPE '\\')"
            }
        }
    }

    /// One statement that answers with one row: the total and the page as a JSON array
    /// (SQLite connections run on their own threads and hand rows over one at a time, so
    /// a page of 50 rows costs 50 hand-overs; one row costs one). ?5 limit, ?6 offset.
    /// Without a search (or with one tracked character) the total is kept in a table and the
    /// page is read in order from the sort's index; a search finds its matches once, and
    /// counts and pages them.
    fn page_sql(&self, sort: PartnershipSort) -> String {
        let rows = self.rows();
        let order = order_by(sort);
        let page = |from: &str, total: &str| {
            format!(
                "SELECT ({total}) AS total,
                        (SELECT json_group_array(json_object(
                                    'team', json_object('id', partner_team_id, 'name', name, 'domain', domain),
                                    'sso_enforced', CASE WHEN sso_enforced THEN json('true') ELSE json('false') END,
                                    'partner_count', partner_count, 'workspace_count', workspace_count,
                                    'last_active_at', last_active_at)
                                ORDER BY {order})
                         FROM (SELECT * FROM {from} ORDER BY {order} LIMIT ?5 OFFSET ?6) AS page) AS items"
            )
        };
        let kept_total = |table: &str, key: &str| {
            format!(
                "SELECT CASE WHEN ?2 IS NULL THEN teams WHEN ?2 THEN teams_sso_enforced
                             ELSE teams - teams_sso_enforced END
                 FROM {table} WHERE publisher_team_id = ?1{key}"
            )
        };
        match self {
            Self::None => page(rows, &kept_total("partnership_totals", "")),
            Self::Char { .. } => page(
                rows,
                &kept_total("partnership_char_totals", " AND bit = ?8"),
            ),
            Self::Scan { .. } | Self::Pair { .. } | Self::Indexed { .. } => format!(
                "WITH matched AS MATERIALIZED (SELECT s.* FROM {rows}) {}",
                page("matched", "SELECT COUNT(*) FROM matched")
            ),
        }
    }

    fn like(&self) -> Option<&str> {
        match self {
            Self::None | Self::Char { .. } => None,
            Self::Scan { like, .. } | Self::Pair { like, .. } | Self::Indexed { like, .. } => {
                Some(like)
            }
        }
    }

    fn range(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Self::Pair { from, to, .. } => (Some(from), Some(to)),
            _ => (None, None),
        }
    }

    fn bit(&self) -> Option<i64> {
        match self {
            Self::Char { bit } => Some(*bit),
            _ => None,
        }
    }

    fn mask(&self) -> i64 {
        match self {
            Self::Char { bit } => 1 << bit,
            Self::Scan { mask, .. } => *mask,
            _ => 0,
        }
    }

    fn trigrams(&self) -> (Option<&str>, i64) {
        match self {
            Self::Indexed {
                trigrams, count, ..
            } => (Some(trigrams), *count),
            _ => (None, 0),
        }
    }
}

/// A publisher's totals (zero when it has no partner team).
async fn totals(conn: &mut SqliteConnection, publisher: &str) -> Result<Totals, sqlx::Error> {
    let totals: Option<Totals> = sqlx::query_as(
        "SELECT teams, teams_sso_enforced, partners, partners_sso FROM partnership_totals
         WHERE publisher_team_id = ?",
    )
    .bind(publisher)
    .fetch_optional(conn)
    .await?;
    Ok(totals.unwrap_or(Totals {
        teams: 0,
        teams_sso_enforced: 0,
        partners: 0,
        partners_sso: 0,
    }))
}

#[derive(FromRow)]
struct Totals {
    teams: i64,
    teams_sso_enforced: i64,
    partners: i64,
    partners_sso: i64,
}

impl Db {
    /// The partner teams of `publisher`: searched, filtered, sorted and paged from the
    /// summaries that the triggers of migrations 0003 and 0010 keep; the count and the page
    /// come from one statement, so they always agree.
    pub async fn partnerships(
        &self,
        publisher: &str,
        q: Option<&str>,
        sso: Option<SsoFilter>,
        sort: PartnershipSort,
        page: PageRequest,
    ) -> Result<Paginated<PartnerTeamSummary>, sqlx::Error> {
        let search = Search::new(q);
        let (total, items): (Option<i64>, String) = sqlx::query_as(&search.page_sql(sort))
            .bind(publisher)
            .bind(sso.map(|f| f == SsoFilter::Enforced))
            .bind(search.like())
            .bind(search.trigrams().0)
            .bind(i64::from(page.per_page()))
            .bind(page.offset() as i64)
            .bind(search.mask())
            .bind(search.bit())
            .bind(search.range().0)
            .bind(search.range().1)
            .bind(search.trigrams().1)
            .fetch_one(&self.pool)
            .await?;
        let items: Vec<PartnerTeamSummary> = serde_json::from_str(&items)
            .map_err(|e| sqlx::Error::Decode(format!("a page of partner teams: {e}").into()))?;
        Ok(page.wrap(items, total.unwrap_or(0).max(0) as u64))
    }

    /// The version of `publisher`'s list: a random number drawn at every change to what the
    /// list answers (the triggers of migrations 0004 and 0008). It stands for one point of
    /// the database's history, also across a restore of an older copy, so a page answered at
    /// this version is exactly what the list answers while the version is the same.
    pub async fn partnerships_version(&self, publisher: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(
            "SELECT COALESCE(
                 (SELECT version FROM partnership_versions WHERE publisher_team_id = ?), 0)",
        )
        .bind(publisher)
        .fetch_one(&self.pool)
        .await
    }

    /// How many partner teams enforce SSO and how many partners last signed in with it.
    pub async fn sso_coverage(&self, publisher: &str) -> Result<SsoCoverage, sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let totals = totals(&mut conn, publisher).await?;
        let count = |n: i64| u32::try_from(n).unwrap_or(0);
        Ok(SsoCoverage {
            partner_teams: count(totals.teams),
            partner_teams_sso_enforced: count(totals.teams_sso_enforced),
            partners: count(totals.partners),
            partners_last_sign_in_sso: count(totals.partners_sso),
        })
    }

    /// One partner team of `publisher`; `None` when it is not one (unknown or not a
    /// partner). At most [`DETAIL_PARTNERS_LISTED`] partners (those whose name or email
    /// contains `q`, if given), each with at most [`DETAIL_WORKSPACES_LISTED`] workspaces,
    /// and as many of the team's workspaces; the totals say how many there are.
    pub async fn partnership(
        &self,
        publisher: &str,
        team_id: &str,
        q: Option<&str>,
    ) -> Result<Option<PartnerTeamDetail>, sqlx::Error> {
        let team: Option<(String, String, String, bool)> =
            sqlx::query_as("SELECT id, name, domain, sso_enforced FROM teams WHERE id = ?")
                .bind(team_id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((id, name, domain, sso_enforced)) = team else {
            return Ok(None);
        };
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        // The team's workspaces, whoever the search finds.
        let (workspaces_total, workspaces): (i64, String) = sqlx::query_as(&format!(
            "{TEAM_GRANTS}
             SELECT (SELECT COUNT(DISTINCT workspace_id) FROM team_grants),
                    (SELECT json_group_array(json_object('id', id, 'name', name))
                     FROM (SELECT w.id, w.name FROM workspaces w
                           WHERE w.id IN (SELECT workspace_id FROM team_grants)
                           ORDER BY w.name COLLATE NOCASE, w.id LIMIT ?4))"
        ))
        .bind(publisher)
        .bind(team_id)
        .bind(None::<String>)
        .bind(DETAIL_WORKSPACES_LISTED as i64)
        .fetch_one(&self.pool)
        .await?;
        if workspaces_total == 0 {
            return Ok(None);
        }
        let workspaces: Vec<WorkspaceRef> = serde_json::from_str(&workspaces)
            .map_err(|e| sqlx::Error::Decode(format!("a partner team's workspaces: {e}").into()))?;
        let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
        let partners_total: i64 = sqlx::query_scalar(&format!(
            "{TEAM_GRANTS} SELECT COUNT(DISTINCT user_id) FROM team_grants"
        ))
        .bind(publisher)
        .bind(team_id)
        .bind(&pattern)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<DetailRow> = sqlx::query_as(&format!(
            "{TEAM_GRANTS},
             people AS (
                 SELECT u.id, u.name, u.email, u.last_sign_in_sso, u.last_sign_in_at,
                        COUNT(*) AS workspaces_total
                 FROM team_grants a JOIN users u ON u.id = a.user_id
                 GROUP BY u.id
                 ORDER BY u.name COLLATE NOCASE, u.id LIMIT ?4),
             listed AS (
                 SELECT p.*, w.id AS workspace_id, w.name AS workspace_name, a.role,
                        ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY w.name COLLATE NOCASE, w.id) AS n
                 FROM people p JOIN team_grants a ON a.user_id = p.id
                 JOIN workspaces w ON w.id = a.workspace_id)
             SELECT id AS user_id, name AS user_name, email, last_sign_in_sso, last_sign_in_at,
                    workspaces_total, workspace_id, workspace_name, role
             FROM listed WHERE n <= ?5
             ORDER BY name COLLATE NOCASE, id, n"
        ))
        .bind(publisher)
        .bind(team_id)
        .bind(&pattern)
        .bind(DETAIL_PARTNERS_LISTED as i64)
        .bind(DETAIL_WORKSPACES_LISTED as i64)
        .fetch_all(&self.pool)
        .await?;
        let mut partners: Vec<PartnerPerson> = Vec::new();
        for row in rows {
            let grant = WorkspaceGrant {
                workspace: WorkspaceRef {
                    id: row.workspace_id.into(),
                    name: row.workspace_name,
                },
                role: row.role.parse().unwrap_or(PartnerRole::Viewer),
            };
            match partners.last_mut() {
                Some(person) if person.user.id.as_str() == row.user_id => {
                    person.workspaces.push(grant)
                }
                _ => partners.push(PartnerPerson {
                    user: UserRef {
                        id: row.user_id.into(),
                        name: row.user_name,
                        email: row.email,
                    },
                    last_sign_in_sso: row.last_sign_in_sso,
                    last_sign_in_at: row.last_sign_in_at,
                    workspaces: vec![grant],
                    workspaces_total: count(row.workspaces_total),
                }),
            }
        }
        Ok(Some(PartnerTeamDetail {
            team: TeamRef {
                id: id.into(),
                name,
                domain,
            },
            sso_enforced,
            partners,
            partners_total: count(partners_total),
            workspaces,
            workspaces_total: count(workspaces_total),
        }))
    }

    /// Removes every partner of `team_id` from every workspace of the caller's team.
    pub async fn remove_partnership(
        &self,
        caller: &Caller,
        publisher: &str,
        team_id: &str,
    ) -> Result<PartnershipRemoved, AppError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let grants: Vec<(String, String)> = sqlx::query_as(concat!(
            "SELECT g.workspace_id, g.user_id FROM partner_grants g
             WHERE g.publisher_team_id = ? AND g.partner_team_id = ? AND ",
            active_grant!("g")
        ))
        .bind(publisher)
        .bind(team_id)
        .fetch_all(&mut *tx)
        .await?;
        if grants.is_empty() {
            return Err(AppError::NotFound);
        }
        let at = now();
        for (workspace_id, user_id) in &grants {
            super::partners::revoke_grant(&mut tx, workspace_id, user_id, &at).await?;
            audit::record(
                &mut tx,
                Entry {
                    actor_id: Some(caller.user_id.as_str()),
                    team_id: publisher,
                    action: "partner.removed",
                    workspace_id: Some(workspace_id),
                    subject_id: Some(user_id),
                    detail: json!({ "partner_team_id": team_id, "via": "partnership_removed" }),
                },
            )
            .await?;
        }
        tx.commit().await?;
        let mut people: Vec<&String> = grants.iter().map(|(_, user)| user).collect();
        people.sort();
        people.dedup();
        Ok(PartnershipRemoved {
            partners_removed: people.len() as u32,
            grants_removed: grants.len() as u32,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_look_up_a_few_distinct_lowered_trigrams() {
        assert_eq!(trigrams("aaaa"), ["aaa"]);
        assert_eq!(
            trigrams("Ünï"),
            ["Ünï"],
            "only ASCII is folded, as LIKE folds"
        );
        let long = trigrams("northwind partner 00042");
        assert_eq!(long.len(), MAX_TRIGRAMS);
        assert_eq!(long.first().map(String::as_str), Some("nor"));
        assert_eq!(long.last().map(String::as_str), Some("042"));
    }

    #[test]
    fn the_mask_tracks_letters_digits_dots_and_dashes_ignoring_case() {
        assert_eq!(mask_bit('a'), Some(1));
        assert_eq!(mask_bit('N'), mask_bit('n'));
        assert_eq!(mask_bit('-'), Some(1 << 37));
        assert_eq!(mask_bit('ü'), None);
        assert_eq!(mask_bit('%'), None);
        assert_eq!(chars_mask("No"), (1 << 13) | (1 << 14));
    }

    #[test]
    fn one_tracked_character_needs_no_like_and_anything_else_does() {
        assert!(matches!(Search::new(Some(" N ")), Search::Char { bit: 13 }));
        assert!(matches!(Search::new(Some("-")), Search::Char { bit: 37 }));
        for q in ["%", "ü", "aü", "ü%"] {
            assert!(matches!(Search::new(Some(q)), Search::Scan { .. }), "{q}");
        }
        match Search::new(Some("No")) {
            Search::Pair { from, to, .. } => assert_eq!((from.as_str(), to.as_str()), ("no", "np")),
            _ => panic!("two ASCII characters use the trigrams"),
        }
        match Search::new(Some("GloBex")) {
            Search::Indexed {
                trigrams, count, ..
            } => {
                assert_eq!(trigrams, r#"["glo","lob","obe","bex"]"#);
                assert_eq!(count, 4);
            }
            _ => panic!("three characters or more use the trigrams"),
        }
        assert!(matches!(Search::new(Some("a%")), Search::Pair { .. }));
        assert!(matches!(Search::new(Some("nor")), Search::Indexed { .. }));
        assert!(matches!(Search::new(Some("a\u{0}b")), Search::Scan { .. }));
        assert!(matches!(Search::new(Some("   ")), Search::None));
    }
}
