//! The two SQL dialects the store speaks. Statements are written once, in the SQL both
//! SQLite and PostgreSQL understand, with numbered parameters (`?1`, `?2`, …); the few
//! places where the dialects differ (case-insensitive order and matching, JSON building)
//! are fragments from [`Dialect`]. For PostgreSQL the parameters become `$1`, `$2`, ….

/// SQLite or PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// `statement` in this dialect: `?N` (and a bare `?`, numbered in order) become `$N` for
    /// PostgreSQL; text in quotes is left as it is.
    pub fn sql(self, statement: &str) -> String {
        match self {
            Self::Sqlite => statement.to_owned(),
            Self::Postgres => numbered_parameters(statement),
        }
    }

    /// `expr` for ordering and comparing names ignoring case. SQLite folds ASCII (NOCASE);
    /// PostgreSQL folds the same ASCII letters with `ascii_lower`, so both order and match
    /// alike (and the expression indexes of the PostgreSQL schema serve it).
    pub fn nocase(self, expr: &str) -> String {
        match self {
            Self::Sqlite => format!("{expr} COLLATE NOCASE"),
            Self::Postgres => format!("ascii_lower({expr})"),
        }
    }

    /// `expr LIKE pattern ESCAPE '\'` ignoring ASCII case, as SQLite's LIKE does.
    pub fn like(self, expr: &str, pattern: &str) -> String {
        match self {
            Self::Sqlite => format!("{expr} LIKE {pattern} ESCAPE '\\'"),
            Self::Postgres => {
                format!("ascii_lower({expr}) LIKE ascii_lower({pattern}) ESCAPE '\\'")
            }
        }
    }

    /// `column = value` for the columns compared ignoring case (emails, domains): SQLite
    /// declares them `COLLATE NOCASE`; PostgreSQL compares `lower()`s (indexed so).
    pub fn eq_nocase(self, column: &str, value: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} = {value}"),
            Self::Postgres => format!("lower({column}) = lower({value})"),
        }
    }

    /// A boolean column as a condition. SQLite stores 0 and 1 and matches partial indexes
    /// by their text (`legacy = 1`); PostgreSQL has booleans.
    pub fn flag(self, column: &str) -> String {
        match self {
            Self::Sqlite => format!("{column} = 1"),
            Self::Postgres => column.to_owned(),
        }
    }

    /// A JSON object built from `key, value` pairs (already SQL).
    pub fn json_object(self, pairs: &str) -> String {
        match self {
            Self::Sqlite => format!("json_object({pairs})"),
            Self::Postgres => format!("json_build_object({pairs})"),
        }
    }

    /// A JSON array of `expr` over the rows, ordered by `order`; `[]` when there are none.
    pub fn json_array(self, expr: &str, order: &str) -> String {
        match self {
            Self::Sqlite => format!("json_group_array({expr} ORDER BY {order})"),
            Self::Postgres => format!("COALESCE(json_agg({expr} ORDER BY {order}), '[]')::text"),
        }
    }

    /// A boolean column as a JSON `true`/`false` (SQLite keeps booleans as 0 and 1).
    pub fn json_bool(self, expr: &str) -> String {
        match self {
            Self::Sqlite => format!("CASE WHEN {expr} THEN json('true') ELSE json('false') END"),
            Self::Postgres => expr.to_owned(),
        }
    }

    /// What a subquery that picks rows to claim adds so that concurrent claimers skip each
    /// other's rows: nothing on SQLite (one writer at a time).
    pub fn skip_locked(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// `expr IN (subquery)` read as lookups of the subquery's values: PostgreSQL plans an
    /// `IN` as a join it may drive from the other side (reading every row of a large
    /// table and checking each); `= ANY(ARRAY(…))` is one index lookup per value.
    pub fn in_subquery(self, expr: &str, subquery: &str) -> String {
        match self {
            Self::Sqlite => format!("{expr} IN ({subquery})"),
            Self::Postgres => format!("{expr} = ANY(ARRAY({subquery}))"),
        }
    }

    /// The elements of a JSON array of strings bound as text (`param`), as rows of `value`.
    pub fn json_strings(self, param: &str) -> String {
        match self {
            Self::Sqlite => format!("SELECT value FROM json_each({param})"),
            Self::Postgres => {
                format!("SELECT value FROM jsonb_array_elements_text(({param})::jsonb) AS value")
            }
        }
    }
}

/// `?N` → `$N` and bare `?` → `$k` (k counting them), outside quoted text.
fn numbered_parameters(statement: &str) -> String {
    let mut out = String::with_capacity(statement.len() + 8);
    let mut chars = statement.chars().peekable();
    let mut quote: Option<char> = None;
    let mut next = 0;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => {
                quote = None;
                out.push(c);
            }
            (Some(_), c) => out.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                out.push(c);
            }
            (None, '?') => {
                out.push('$');
                if chars.peek().is_some_and(char::is_ascii_digit) {
                    while let Some(d) = chars.next_if(char::is_ascii_digit) {
                        out.push(d);
                    }
                } else {
                    next += 1;
                    out.push_str(&next.to_string());
                }
            }
            (None, c) => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_for_postgres_outside_quotes() {
        assert_eq!(
            Dialect::Postgres.sql("SELECT * FROM t WHERE a = ?1 AND b LIKE ?12 OR c = '?1'"),
            "SELECT * FROM t WHERE a = $1 AND b LIKE $12 OR c = '?1'"
        );
        assert_eq!(
            Dialect::Postgres.sql("INSERT INTO t VALUES (?, ?, 'it''s ?')"),
            "INSERT INTO t VALUES ($1, $2, 'it''s ?')"
        );
        assert_eq!(Dialect::Sqlite.sql("a = ?1"), "a = ?1");
    }

    #[test]
    fn fragments_read_as_each_dialect_writes_them() {
        assert_eq!(Dialect::Sqlite.nocase("u.name"), "u.name COLLATE NOCASE");
        assert_eq!(Dialect::Postgres.nocase("u.name"), "ascii_lower(u.name)");
        assert_eq!(
            Dialect::Postgres.like("s.name", "?3"),
            "ascii_lower(s.name) LIKE ascii_lower(?3) ESCAPE '\\'"
        );
        assert_eq!(
            Dialect::Postgres.eq_nocase("email", "?1"),
            "lower(email) = lower(?1)"
        );
    }
}
