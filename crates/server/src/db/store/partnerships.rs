// Team Settings > Partnerships: the partner teams of a publisher, from the summaries the
// triggers keep (one row per publisher and partner team) and the per-publisher trigram
// index; a search reads only the caller's entries of any index.

/// The ORDER BY of a sort, each served by its own index: ties go by name, then id, so that
/// every page is stable. Unqualified: it orders the summaries' rows wherever they come from.
fn partnership_order(sort: partner_api::partnerships::PartnershipSort) -> String {
    use partner_api::partnerships::PartnershipSortKey::*;
    let name = D.nocase("name");
    match (sort.key, sort.descending) {
        (Name, false) => format!("{name}, partner_team_id"),
        (Name, true) => format!("{name} DESC, partner_team_id DESC"),
        (Partners, false) => format!("partner_count, {name}, partner_team_id"),
        (Partners, true) => format!("partner_count DESC, {name}, partner_team_id"),
        (Workspaces, false) => format!("workspace_count, {name}, partner_team_id"),
        (Workspaces, true) => format!("workspace_count DESC, {name}, partner_team_id"),
        // Teams nobody has signed in from come last either way.
        (LastActive, false) => {
            format!("last_active_at IS NULL, last_active_at, {name}, partner_team_id")
        }
        (LastActive, true) => {
            format!("last_active_at IS NULL, last_active_at DESC, {name}, partner_team_id")
        }
    }
}

/// The rows of a search: FROM and WHERE over `partnership_summaries s`. Every form binds
/// ?1 the publisher, ?2 SSO enforced (NULL: any), ?3 LIMIT and ?4 OFFSET, then its own:
/// Char ?5 its bit (as a mask) and ?6 the bit's number; Scan ?5 the LIKE pattern and ?6 the
/// characters that must occur; Pair ?5 the pattern and ?6..?7 the range of trigrams that
/// begin with the two characters; Indexed ?5 the pattern, ?6 the trigrams (a JSON array) and
/// ?7 how many.
fn search_rows(search: &crate::db::search::Search) -> String {
    use crate::db::search::Search;
    let publisher = "s.publisher_team_id = ?1 AND (?2 IS NULL OR s.sso_enforced = ?2)";
    let like = format!("({} OR {})", D.like("s.name", "?5"), D.like("s.domain", "?5"));
    match search {
        Search::None => format!("partnership_summaries s WHERE {publisher}"),
        Search::Char { .. } => {
            format!("partnership_summaries s WHERE {publisher} AND s.chars_mask & ?5 <> 0")
        }
        Search::Scan { .. } => format!(
            "partnership_summaries s WHERE {publisher} AND s.chars_mask & ?6 = ?6 AND {like}"
        ),
        // The trigram index's candidates first (`candidates`, see [`search_candidates`]).
        Search::Pair { .. } | Search::Indexed { .. } => format!(
            "partnership_summaries s WHERE {} AND {publisher} AND {like}",
            D.in_subquery("s.id", "SELECT summary_id FROM candidates")
        ),
    }
}

/// The summaries whose name or domain hold the search's trigrams, from the per-publisher
/// trigram index, as a materialized CTE `candidates` read before the summaries: left to
/// itself, PostgreSQL's generic plan read every summary of a large publisher and checked
/// each (100 ms for a two-character search among 10,000 partner teams).
fn search_candidates(search: &crate::db::search::Search) -> Option<String> {
    use crate::db::search::Search;
    let publisher_key = "(SELECT key FROM partnership_publisher_keys WHERE publisher_team_id = ?1)";
    match search {
        Search::Pair { .. } => Some(format!(
            "candidates AS MATERIALIZED (
                 SELECT DISTINCT t.summary_id FROM partnership_trigrams t
                 WHERE t.publisher_key = {publisher_key} AND t.trigram >= ?6 AND t.trigram < ?7), "
        )),
        Search::Indexed { .. } => Some(format!(
            "candidates AS MATERIALIZED (
                 SELECT t.summary_id FROM partnership_trigrams t
                 WHERE t.publisher_key = {publisher_key} AND t.trigram IN ({})
                 GROUP BY t.summary_id HAVING COUNT(*) = ?7), ",
            D.json_strings("?6")
        )),
        _ => None,
    }
}

/// One statement that answers with one row: the total and the page as a JSON array (SQLite
/// connections hand rows over one at a time, so one row is cheaper than fifty). Without a
/// search (or with one tracked character) the total is kept in a table and the page is read
/// in order from the sort's index; a search finds its matches once, and counts and pages them.
fn partnership_page_sql(
    search: &crate::db::search::Search,
    sort: partner_api::partnerships::PartnershipSort,
) -> String {
    use crate::db::search::Search;
    let rows = search_rows(search);
    let order = partnership_order(sort);
    // `sso_required`: one primary-key probe per row of the page.
    let item = D.json_object(&format!(
        "'team', {}, 'sso_enforced', {}, 'sso_required', {}, 'partner_count', partner_count,
         'workspace_count', workspace_count, 'last_active_at', last_active_at",
        D.json_object("'id', partner_team_id, 'name', name, 'domain', domain"),
        D.json_bool("sso_enforced"),
        D.json_bool(
            "EXISTS (SELECT 1 FROM partner_sso_requirements r
                     WHERE r.publisher_team_id = page.publisher_team_id
                       AND r.partner_team_id = page.partner_team_id)"
        )
    ));
    let page = |from: &str, total: &str| {
        format!(
            "SELECT ({total}) AS total,
                    (SELECT {} FROM (SELECT * FROM {from} ORDER BY {order} LIMIT ?3 OFFSET ?4) AS page) AS items",
            D.json_array(&item, &order)
        )
    };
    let kept_total = |table: &str, key: &str| {
        format!(
            "SELECT CASE WHEN ?2 IS NULL THEN teams WHEN ?2 THEN teams_sso_enforced
                         ELSE teams - teams_sso_enforced END
             FROM {table} WHERE publisher_team_id = ?1{key}"
        )
    };
    D.sql(&match search {
        Search::None => page(&rows, &kept_total("partnership_totals", "")),
        Search::Char { .. } => page(&rows, &kept_total("partnership_char_totals", " AND bit = ?6")),
        Search::Scan { .. } | Search::Pair { .. } | Search::Indexed { .. } => format!(
            "WITH {}matched AS MATERIALIZED (SELECT s.* FROM {rows}) {}",
            search_candidates(search).unwrap_or_default(),
            page("matched", "SELECT COUNT(*) FROM matched")
        ),
    })
}

/// The active grants of one partner team (?2) in one publisher's workspaces (?1), whose
/// holders' name or email matches ?3 (NULL: everyone), with their holders.
macro_rules! team_grants {
    () => {
        concat!(
            "WITH team_grants AS (
                SELECT g.user_id, g.workspace_id, g.role, g.ends_at
                FROM partner_grants g JOIN users u ON u.id = g.user_id
                WHERE g.publisher_team_id = ?1 AND g.partner_team_id = ?2 AND ",
            active_grant!("g"),
            " AND (?3 IS NULL OR {name_like} OR {email_like}))"
        )
    };
}

/// [`team_grants!`] in this dialect.
fn team_grants_sql() -> String {
    format!(
        team_grants!(),
        name_like = D.like("u.name", "?3"),
        email_like = D.like("u.email", "?3")
    )
}

impl Store {
    /// A page of `publisher`'s partner teams (searched, filtered, sorted) as the API's JSON
    /// array, and the total; the count and the page come from one statement.
    pub async fn partnerships_page(
        &self,
        publisher: &str,
        q: Option<&str>,
        sso_enforced: Option<bool>,
        sort: partner_api::partnerships::PartnershipSort,
        page: partner_api::PageRequest,
    ) -> Result<(u64, String), sqlx::Error> {
        use crate::db::search::Search;
        let search = Search::new(q);
        let sql = partnership_page_sql(&search, sort);
        let query = sqlx::query_as::<_, (Option<i64>, String)>(&sql)
            .bind(publisher)
            .bind(sso_enforced)
            .bind(i64::from(page.per_page()))
            .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX));
        let query = match &search {
            Search::None => query,
            Search::Char { bit } => query.bind(1_i64 << bit).bind(*bit),
            Search::Scan { like, mask } => query.bind(like.clone()).bind(*mask),
            Search::Pair { like, from, to } => query.bind(like.clone()).bind(from.clone()).bind(to.clone()),
            Search::Indexed { like, trigrams, count } => {
                query.bind(like.clone()).bind(trigrams.clone()).bind(*count)
            }
        };
        let (total, items) = query.fetch_one(&self.pool).await?;
        Ok((u64::try_from(total.unwrap_or(0)).unwrap_or(0), items))
    }

    /// The version of `publisher`'s list: a random number drawn at every change to what the
    /// list answers (by triggers). It stands for one point of the database's history, also
    /// across a restore of an older copy, so a page answered at this version is exactly what
    /// the list answers while the version is the same.
    pub async fn partnerships_version(&self, publisher: &str) -> Result<i64, sqlx::Error> {
        sqlx::query_scalar(sql!(
            "SELECT COALESCE(
                 (SELECT version FROM partnership_versions WHERE publisher_team_id = ?1), CAST(0 AS BIGINT))"
        ))
        .bind(publisher)
        .fetch_one(&self.pool)
        .await
    }

    /// A publisher's totals (zero when it has no partner team).
    pub async fn partnership_totals(&self, publisher: &str) -> Result<Totals, sqlx::Error> {
        let totals: Option<Totals> = sqlx::query_as(sql!(
            "SELECT teams, teams_sso_enforced, partners, partners_sso FROM partnership_totals
             WHERE publisher_team_id = ?1"
        ))
        .bind(publisher)
        .fetch_optional(&self.pool)
        .await?;
        Ok(totals.unwrap_or_default())
    }

    /// A team's id, name, domain and SSO flag.
    pub async fn team_ref(
        &self,
        team_id: &str,
    ) -> Result<Option<(String, String, String, bool)>, sqlx::Error> {
        sqlx::query_as(sql!("SELECT id, name, domain, sso_enforced FROM teams WHERE id = ?1"))
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The workspaces of `publisher` shared with `team` (at most `limit`, by name) as the
    /// API's JSON array, and how many there are.
    pub async fn team_workspaces(
        &self,
        publisher: &str,
        team: &str,
        limit: usize,
    ) -> Result<(u64, String), sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "{} SELECT (SELECT COUNT(DISTINCT workspace_id) FROM team_grants),
                         (SELECT {} FROM (SELECT w.id, w.name FROM workspaces w
                                          WHERE w.id IN (SELECT workspace_id FROM team_grants)
                                          ORDER BY {}, w.id LIMIT ?4) AS listed)",
                team_grants_sql(),
                D.json_array(
                    &D.json_object("'id', id, 'name', name"),
                    &format!("{}, id", D.nocase("name"))
                ),
                D.nocase("w.name")
            ))
        });
        let (total, workspaces): (i64, String) = sqlx::query_as(STATEMENT.as_str())
            .bind(publisher)
            .bind(team)
            .bind(None::<String>)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_one(&self.pool)
            .await?;
        Ok((u64::try_from(total).unwrap_or(0), workspaces))
    }

    /// The partners of `team` in `publisher`'s workspaces whose name or email matches
    /// `pattern`: how many, and the first `people` by name, each with up to `grants` of
    /// their workspaces (by name) and how many they have.
    pub async fn team_partners(
        &self,
        publisher: &str,
        team: &str,
        pattern: Option<&str>,
        people: usize,
        grants: usize,
    ) -> Result<(u64, Vec<DetailRow>), sqlx::Error> {
        static COUNT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "{} SELECT COUNT(DISTINCT user_id) FROM team_grants",
                team_grants_sql()
            ))
        });
        static ROWS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "{},
                 people AS (
                     SELECT u.id, u.name, u.email, u.last_sign_in_sso, u.last_sign_in_at,
                            COUNT(*) AS workspaces_total
                     FROM team_grants a JOIN users u ON u.id = a.user_id
                     GROUP BY u.id, u.name, u.email, u.last_sign_in_sso, u.last_sign_in_at
                     ORDER BY {}, u.id LIMIT ?4),
                 listed AS (
                     SELECT p.*, w.id AS workspace_id, w.name AS workspace_name, a.role, a.ends_at,
                            ROW_NUMBER() OVER (PARTITION BY p.id ORDER BY {}, w.id) AS n
                     FROM people p JOIN team_grants a ON a.user_id = p.id
                     JOIN workspaces w ON w.id = a.workspace_id)
                 SELECT id AS user_id, name AS user_name, email, last_sign_in_sso, last_sign_in_at,
                        workspaces_total, workspace_id, workspace_name, role, ends_at
                 FROM listed WHERE n <= ?5
                 ORDER BY {}, id, n",
                team_grants_sql(),
                D.nocase("u.name"),
                D.nocase("w.name"),
                D.nocase("name")
            ))
        });
        let total: i64 = sqlx::query_scalar(COUNT.as_str())
            .bind(publisher)
            .bind(team)
            .bind(pattern)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<DetailRow> = sqlx::query_as(ROWS.as_str())
            .bind(publisher)
            .bind(team)
            .bind(pattern)
            .bind(i64::try_from(people).unwrap_or(i64::MAX))
            .bind(i64::try_from(grants).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        Ok((u64::try_from(total).unwrap_or(0), rows))
    }
}

impl Tx {
    /// The active grants of `team` in `publisher`'s workspaces, as (workspace, person).
    pub async fn pair_grants(
        &mut self,
        publisher: &str,
        team: &str,
    ) -> Result<Vec<(String, String)>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(
            "SELECT g.workspace_id, g.user_id FROM partner_grants g
             WHERE g.publisher_team_id = ?1 AND g.partner_team_id = ?2 AND ",
            active_grant!("g"),
            " ORDER BY g.workspace_id, g.user_id"
        )))
        .bind(publisher)
        .bind(team)
        .fetch_all(self.conn())
        .await
    }
}
