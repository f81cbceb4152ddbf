// Single sign-on: teams' identity providers, sign-ins in flight, publishers' requirements.

/// A team's provider with the team's facts and who last changed it (`p` the provider).
macro_rules! sso_provider_select {
    () => {
        "SELECT p.team_id, t.name AS team_name, t.domain, t.sso_enforced, p.issuer, p.client_id,
                p.client_secret, p.updated_at, p.updated_by AS updated_by_id,
                ub.name AS updated_by_name, ub.email AS updated_by_email
         FROM team_sso_providers p JOIN teams t ON t.id = p.team_id
              LEFT JOIN users ub ON ub.id = p.updated_by"
    };
}

impl Store {
    /// The identity provider of the team with this email domain, if it has one.
    pub async fn sso_provider_for_domain(
        &self,
        domain: &str,
    ) -> Result<Option<SsoProviderRow>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "{} WHERE {}",
                sso_provider_select!(),
                D.eq_nocase("t.domain", "?1")
            ))
        });
        sqlx::query_as(STATEMENT.as_str())
            .bind(domain.trim())
            .fetch_optional(&self.pool)
            .await
    }

    /// A team's identity provider, if it has one.
    pub async fn sso_provider(&self, team_id: &str) -> Result<Option<SsoProviderRow>, sqlx::Error> {
        sqlx::query_as(sql!(concat!(sso_provider_select!(), " WHERE p.team_id = ?1")))
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Records an SSO sign-in sent to the provider.
    pub async fn start_sso_login(
        &self,
        state_hash: &[u8],
        row: &SsoLoginRow,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(sql!(
            "INSERT INTO sso_logins (state_hash, browser_hash, team_id, email, nonce, pkce_verifier,
                                     return_to, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        ))
        .bind(state_hash)
        .bind(&row.browser_hash)
        .bind(&row.team_id)
        .bind(&row.email)
        .bind(&row.nonce)
        .bind(&row.pkce_verifier)
        .bind(&row.return_to)
        .bind(&row.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes (deletes and returns) the sign-in with this state: of two callbacks with one
    /// state, one gets it.
    pub async fn take_sso_login(&self, state_hash: &[u8]) -> Result<Option<SsoLoginRow>, sqlx::Error> {
        sqlx::query_as(sql!(
            "DELETE FROM sso_logins WHERE state_hash = ?1
             RETURNING browser_hash, team_id, email, nonce, pkce_verifier, return_to, expires_at"
        ))
        .bind(state_hash)
        .fetch_optional(&self.pool)
        .await
    }

    /// Deletes up to `batch` SSO sign-ins that were never finished; returns how many.
    pub async fn delete_expired_sso_logins(&self, batch: u32) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql!(
            "DELETE FROM sso_logins WHERE state_hash IN (
                 SELECT state_hash FROM sso_logins WHERE expires_at <= ?1 ORDER BY expires_at LIMIT ?2)"
        ))
        .bind(now())
        .bind(i64::from(batch))
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// The account of a team with this address (ignoring case), if any.
    pub async fn team_member_by_email(
        &self,
        team_id: &str,
        email: &str,
    ) -> Result<Option<String>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!(
                "SELECT id FROM users WHERE {} AND team_id = ?2",
                D.eq_nocase("email", "?1")
            ))
        });
        sqlx::query_scalar(STATEMENT.as_str())
            .bind(email.trim())
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await
    }

    /// The id of the team with this domain, if any.
    pub async fn team_by_domain(&self, domain: &str) -> Result<Option<String>, sqlx::Error> {
        static STATEMENT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            D.sql(&format!("SELECT id FROM teams WHERE {}", D.eq_nocase("domain", "?1")))
        });
        sqlx::query_scalar(STATEMENT.as_str())
            .bind(domain)
            .fetch_optional(&self.pool)
            .await
    }

    /// Whether `publisher` shares workspaces with `partner_team` (it is in its Partnerships).
    pub async fn shares_with(&self, publisher: &str, partner_team: &str) -> Result<bool, sqlx::Error> {
        sqlx::query_scalar(sql!(
            "SELECT EXISTS (SELECT 1 FROM partnership_summaries
                            WHERE publisher_team_id = ?1 AND partner_team_id = ?2)"
        ))
        .bind(publisher)
        .bind(partner_team)
        .fetch_one(&self.pool)
        .await
    }

    /// Whether `publisher` requires `partner_team`'s people to sign in with SSO, and whether
    /// that team has an identity provider here.
    pub async fn sso_requirement(
        &self,
        publisher: &str,
        partner_team: &str,
    ) -> Result<(bool, bool), sqlx::Error> {
        sqlx::query_as(sql!(
            "SELECT EXISTS (SELECT 1 FROM partner_sso_requirements
                            WHERE publisher_team_id = ?1 AND partner_team_id = ?2),
                    EXISTS (SELECT 1 FROM team_sso_providers WHERE team_id = ?2)"
        ))
        .bind(publisher)
        .bind(partner_team)
        .fetch_one(&self.pool)
        .await
    }
}

impl Tx {
    /// Sets up or changes a team's provider; `client_secret` (sealed) `None` keeps the
    /// stored one. False when there is none to keep.
    pub async fn set_sso_provider(
        &mut self,
        team_id: &str,
        issuer: &str,
        client_id: &str,
        client_secret: Option<&[u8]>,
        by: Option<&str>,
        at: &str,
    ) -> Result<bool, sqlx::Error> {
        let changed = match client_secret {
            Some(secret) => sqlx::query(sql!(
                "INSERT INTO team_sso_providers (team_id, issuer, client_id, client_secret, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (team_id) DO UPDATE SET issuer = excluded.issuer,
                     client_id = excluded.client_id, client_secret = excluded.client_secret,
                     updated_at = excluded.updated_at, updated_by = excluded.updated_by"
            ))
            .bind(team_id)
            .bind(issuer)
            .bind(client_id)
            .bind(secret)
            .bind(at)
            .bind(by)
            .execute(self.conn())
            .await?,
            None => sqlx::query(sql!(
                "UPDATE team_sso_providers SET issuer = ?2, client_id = ?3, updated_at = ?4, updated_by = ?5
                 WHERE team_id = ?1"
            ))
            .bind(team_id)
            .bind(issuer)
            .bind(client_id)
            .bind(at)
            .bind(by)
            .execute(self.conn())
            .await?,
        };
        Ok(changed.rows_affected() == 1)
    }

    /// Removes a team's provider; returns its issuer, if it had one.
    pub async fn remove_sso_provider(&mut self, team_id: &str) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar(sql!(
            "DELETE FROM team_sso_providers WHERE team_id = ?1 RETURNING issuer"
        ))
        .bind(team_id)
        .fetch_optional(self.conn())
        .await
    }

    /// Requires (or stops requiring) SSO of a partner team's people; true when it changed.
    pub async fn set_sso_requirement(
        &mut self,
        publisher: &str,
        partner_team: &str,
        required: bool,
        by: &str,
        at: &str,
    ) -> Result<bool, sqlx::Error> {
        let done = if required {
            sqlx::query(sql!(
                "INSERT INTO partner_sso_requirements (publisher_team_id, partner_team_id, required_by, created_at)
                 VALUES (?1, ?2, ?3, ?4) ON CONFLICT (publisher_team_id, partner_team_id) DO NOTHING"
            ))
            .bind(publisher)
            .bind(partner_team)
            .bind(by)
            .bind(at)
            .execute(self.conn())
            .await?
        } else {
            sqlx::query(sql!(
                "DELETE FROM partner_sso_requirements WHERE publisher_team_id = ?1 AND partner_team_id = ?2"
            ))
            .bind(publisher)
            .bind(partner_team)
            .execute(self.conn())
            .await?
        };
        let changed = done.rows_affected() == 1;
        if changed {
            // The Partnerships list shows the requirement: a new version of the publisher's
            // list (as the summaries' triggers draw for their changes).
            static BUMP: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
                let random = match D {
                    Dialect::Sqlite => "random()",
                    Dialect::Postgres => "CAST(random() * 9.0e18 AS BIGINT)",
                };
                D.sql(&format!(
                    "INSERT INTO partnership_versions (publisher_team_id, version) VALUES (?1, {random})
                     ON CONFLICT (publisher_team_id) DO UPDATE SET version = {random}"
                ))
            });
            sqlx::query(BUMP.as_str())
                .bind(publisher)
                .execute(self.conn())
                .await?;
        }
        Ok(changed)
    }
}
