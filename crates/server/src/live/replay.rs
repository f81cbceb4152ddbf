//! Resuming a stream: what a browser that reconnects with `Last-Event-ID` missed.

use std::collections::{HashMap, VecDeque};

use partner_api::events::Event;

use super::lookups::Lookups;
use crate::db::Db;
use crate::domain::authz::{Caller, WorkspaceFacts};
use crate::domain::events;
use crate::error::AppError;

/// A resume replays at most this many changes; more, and the stream resyncs instead.
const REPLAY_LIMIT: u32 = 500;

/// A change numbered before the last one seen may commit after it (PostgreSQL takes numbers
/// at insert, not commit): a resume also replays this much before it.
const REPLAY_SLACK: time::Duration = time::Duration::seconds(5);

/// What a browser that saw change `after` missed, for this session: the events, or one
/// `resync` when the log no longer holds it (or holds too much after it). What `tab` made
/// itself is left out.
pub async fn replay(
    db: &Db,
    caller: &Caller,
    after: i64,
    tab: Option<&str>,
) -> Result<VecDeque<(Option<i64>, Event)>, AppError> {
    let resync = VecDeque::from([(None, Event::Resync)]);
    let Some(rows) = db
        .changes_after(after, REPLAY_SLACK, REPLAY_LIMIT + 1)
        .await?
    else {
        return Ok(resync);
    };
    if rows.len() > REPLAY_LIMIT as usize {
        return Ok(resync);
    }
    // Each workspace and each actor read once, however many changes name them.
    let mut workspaces: HashMap<String, Option<WorkspaceFacts>> = HashMap::new();
    let mut lookups = Lookups::new(db);
    let mut missed = VecDeque::new();
    for row in rows {
        if tab.is_some() && row.origin.as_deref() == tab {
            continue;
        }
        let Some(change) = row.change() else {
            continue;
        };
        // Whether they are partners there is read for the few that pass.
        let grantee = change.workspace.is_some() || events::reaches_partners_of_team(&change);
        if !events::may_concern(&change, &caller.user_id, caller.team_id.as_ref(), grantee) {
            continue;
        }
        let workspace = match &change.workspace {
            Some(id) => {
                if !workspaces.contains_key(id.as_str()) {
                    let facts = db.workspace(id.as_str(), caller).await?.map(|w| w.facts());
                    workspaces.insert(id.as_str().to_owned(), facts);
                }
                match &workspaces[id.as_str()] {
                    Some(facts) => Some(facts),
                    None => continue,
                }
            }
            None => None,
        };
        let actor = lookups.actor_name(&change).await?;
        let receiver = lookups.receiver(&change, caller, workspace).await?;
        for event in events::events_for(&change, &receiver, actor.as_deref()) {
            missed.push_back((Some(row.id), event));
        }
    }
    Ok(missed)
}
