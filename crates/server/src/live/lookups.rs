//! What deciding a change's events reads besides the receivers' own facts: who made it (each
//! person once), and whether a receiver is a partner of a team that was renamed.

use std::collections::HashMap;

use partner_api::UserId;
use partner_api::audit::AuditAction;

use crate::db::Db;
use crate::domain::authz::{Caller, WorkspaceFacts};
use crate::domain::events::{Change, ChangeKind, Receiver};

/// Reads for one batch or one replay, remembering names already read.
pub struct Lookups<'a> {
    db: &'a Db,
    names: HashMap<UserId, Option<String>>,
}

impl<'a> Lookups<'a> {
    pub fn new(db: &'a Db) -> Self {
        Self {
            db,
            names: HashMap::new(),
        }
    }

    /// The name of who made the change (none for the server's own changes).
    pub async fn actor_name(&mut self, change: &Change) -> Result<Option<String>, sqlx::Error> {
        let Some(actor) = &change.actor else {
            return Ok(None);
        };
        if !self.names.contains_key(actor) {
            let name = self.db.user_name(actor.as_str()).await?;
            self.names.insert(actor.clone(), name);
        }
        Ok(self.names[actor].clone())
    }

    /// The receiver of a change: the caller, the changed workspace as they stand to it, and
    /// (for a renamed team only) whether they hold partner access from it.
    pub async fn receiver<'c>(
        &self,
        change: &Change,
        caller: &'c Caller,
        workspace: Option<&'c WorkspaceFacts>,
    ) -> Result<Receiver<'c>, sqlx::Error> {
        let partner_of_team = change.kind == ChangeKind::Audited(AuditAction::TeamRenamed)
            && !caller.is_in_team(&change.team)
            && self
                .db
                .holds_grant_of(change.team.as_str(), caller.user_id.as_str(), None)
                .await?;
        Ok(Receiver {
            caller,
            workspace,
            partner_of_team,
        })
    }
}
