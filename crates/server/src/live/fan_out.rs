//! The task that hears every committed change and queues, for each open stream of this
//! server, the events it may receive, decided at sending time by [`crate::domain::events`].

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use partner_api::events::Event;
use partner_api::{TeamId, UserId, WorkspaceId};
use tokio::sync::watch;

use super::hub::{Entry, SessionKey};
use super::lookups::Lookups;
use crate::db::{ChangeRow, Db, Notice};
use crate::domain::authz::{Caller, WorkspaceFacts};
use crate::domain::events::{self, Change, Receiver};
use crate::state::AppState;

/// How often every stream's session is checked (an expired session's stream ends within
/// this; a sign-out's at once).
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// The most notices decided together (a burst of changes costs a few statements per batch,
/// not per change).
const BATCH: usize = 512;

/// Runs until `shutdown` turns `true`: changes become events, lost notices a resync, and
/// streams whose session ended or whose person left their team end. Notices that arrived
/// together are decided together.
pub async fn fan_out(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut changes = state.db.changes();
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    loop {
        let first = tokio::select! {
            _ = shutdown.changed() => if *shutdown.borrow() { return } else { continue },
            _ = sweep.tick() => { self::sweep(&state).await; continue }
            notice = changes.recv() => notice,
        };
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match changes.try_recv() {
                Some(notice) => batch.push(notice),
                None => break,
            }
        }
        let mut rows = Vec::new();
        for notice in batch {
            match notice {
                Notice::Change(row) => rows.push(row),
                Notice::SignedOut { user_id } => {
                    revalidate(&state, Some(&user_id.into())).await;
                }
                Notice::Missed => {
                    tracing::warn!("live updates missed changes; streams resync");
                    state.live.resync_all();
                }
            }
        }
        if !rows.is_empty() {
            deliver(&state, &rows).await;
        }
    }
}

/// The person behind a stream's session now, or `None` when the session ended.
async fn caller_of(db: &Db, session: &SessionKey) -> Result<Option<Caller>, sqlx::Error> {
    let row = match &session.view {
        Some(view) => db.view_caller(view, &session.own).await?,
        None => db.caller(&session.own).await?,
    };
    Ok(row.map(Caller::from))
}

/// Queues a batch of changes' events on the streams they may concern.
async fn deliver(state: &AppState, rows: &[ChangeRow]) {
    let changes: Vec<Decided> = rows
        .iter()
        .filter_map(|row| match row.change() {
            Some(change) => Some(Decided {
                id: row.id,
                change,
                origin: row.origin.clone(),
            }),
            None => {
                tracing::warn!(action = row.action, "a change of an unknown kind");
                None
            }
        })
        .collect();
    let entries = state.live.entries();
    if entries.is_empty() || changes.is_empty() {
        return;
    }
    if let Err(error) = deliver_to(&state.live_db, &changes, entries).await {
        // The streams can't be told what changed: they read everything again.
        tracing::error!(%error, "live updates could not be decided; streams resync");
        state.live.resync_all();
    }
}

/// A change to decide: its number, what it was, and the tab that made it.
struct Decided {
    id: i64,
    change: Change,
    origin: Option<String>,
}

/// Changes, for many streams: a few statements per batch whatever the number of changes and
/// receivers (the sessions in batches, each workspace as every receiver stands to it in
/// one), then each receiver's events decided in memory. A tab is sent each distinct event
/// once per batch, numbered with the newest change that caused it (events are hints:
/// reading again once covers them all), and none of the changes it made itself.
async fn deliver_to(db: &Db, batch: &[Decided], entries: Vec<Entry>) -> Result<(), sqlx::Error> {
    let changes: Vec<(i64, Change)> = batch.iter().map(|d| (d.id, d.change.clone())).collect();
    let changes = changes.as_slice();
    // Who has access to each workspace the batch changed, and which of the streams' people
    // are partners of a renamed team (one statement each, whatever else the team shares).
    let mut grantees: HashMap<&WorkspaceId, HashSet<String>> = HashMap::new();
    let mut team_partners: HashMap<&TeamId, HashSet<String>> = HashMap::new();
    let mut people: Vec<String> = entries.iter().map(|e| e.user.as_str().to_owned()).collect();
    people.sort();
    people.dedup();
    for (_, change) in changes {
        if let Some(workspace) = &change.workspace
            && !grantees.contains_key(workspace)
        {
            let found = db.workspace_grantees(workspace.as_str()).await?;
            grantees.insert(workspace, found.into_iter().collect());
        }
        if events::reaches_partners_of_team(change) && !team_partners.contains_key(&change.team) {
            let found = db.partners_among(change.team.as_str(), &people).await?;
            team_partners.insert(&change.team, found.into_iter().collect());
        }
    }
    let grantee = |change: &Change, user: &UserId| {
        match &change.workspace {
            Some(workspace) => grantees.get(workspace),
            None => team_partners.get(&change.team),
        }
        .is_some_and(|people| people.contains(user.as_str()))
    };
    // The sessions each change may concern.
    let mut tabs: HashMap<SessionKey, Vec<Entry>> = HashMap::new();
    let mut concerned: Vec<Vec<SessionKey>> = Vec::with_capacity(changes.len());
    for (_, change) in changes {
        let mut sessions = Vec::new();
        for entry in &entries {
            let grantee = grantee(change, &entry.user);
            if events::may_concern(change, &entry.user, entry.team.as_ref(), grantee) {
                sessions.push(entry.session.clone());
            }
        }
        sessions.sort_by(|a, b| (&a.own, &a.view).cmp(&(&b.own, &b.view)));
        sessions.dedup();
        for session in &sessions {
            tabs.entry(session.clone()).or_default();
        }
        concerned.push(sessions);
    }
    if tabs.is_empty() {
        return Ok(());
    }
    for entry in entries {
        if let Some(list) = tabs.get_mut(&entry.session) {
            list.push(entry);
        }
    }
    let callers = current_callers(db, &tabs).await?;
    // Each workspace as each concerned person stands to it.
    let mut facts: HashMap<(&WorkspaceId, String), WorkspaceFacts> = HashMap::new();
    let mut people_of: HashMap<&WorkspaceId, Vec<String>> = HashMap::new();
    for ((_, change), sessions) in changes.iter().zip(&concerned) {
        if let Some(workspace) = &change.workspace {
            let people = people_of.entry(workspace).or_default();
            people.extend(
                sessions
                    .iter()
                    .filter_map(|s| callers.get(s))
                    .map(|c| c.user_id.as_str().to_owned()),
            );
        }
    }
    for (workspace, mut people) in people_of {
        people.sort();
        people.dedup();
        for row in db.workspace_for_people(workspace.as_str(), &people).await? {
            facts.insert((workspace, row.person_id), row.workspace.facts());
        }
    }
    let mut lookups = Lookups::new(db);
    let mut outgoing: HashMap<&SessionKey, Vec<(usize, Event)>> = HashMap::new();
    for (n, ((_, change), sessions)) in changes.iter().zip(&concerned).enumerate() {
        let actor_name = lookups.actor_name(change).await?;
        for session in sessions {
            let Some(caller) = callers.get(session) else {
                continue;
            };
            let workspace = match &change.workspace {
                Some(w) => match facts.get(&(w, caller.user_id.as_str().to_owned())) {
                    Some(facts) => Some(facts),
                    None => continue,
                },
                None => None,
            };
            let receiver = Receiver {
                caller,
                workspace,
                partner_of_team: events::reaches_partners_of_team(change)
                    && grantee(change, &caller.user_id),
            };
            let queue = outgoing.entry(session).or_default();
            for event in events::events_for(change, &receiver, actor_name.as_deref()) {
                queue.push((n, event));
            }
        }
    }
    for (session, events) in outgoing {
        for tab in tabs.get(session).into_iter().flatten() {
            // Each distinct event once, with the newest change; not what the tab did itself.
            let mut queue: Vec<(i64, &Event)> = Vec::new();
            for (n, event) in &events {
                let decided = &batch[*n];
                if tab.tab.is_some() && decided.origin == tab.tab {
                    continue;
                }
                match queue.iter_mut().find(|(_, queued)| *queued == event) {
                    Some(queued) => queued.0 = decided.id,
                    None => queue.push((decided.id, event)),
                }
            }
            for (id, event) in queue {
                tab.send(Some(id), event.clone());
            }
        }
    }
    Ok(())
}

/// The person behind each session now, read in batches; streams whose session ended, or
/// whose person is no longer in the team they opened with, are ended and left out.
async fn current_callers(
    db: &Db,
    sessions: &HashMap<SessionKey, Vec<Entry>>,
) -> Result<HashMap<SessionKey, Caller>, sqlx::Error> {
    let own: Vec<Vec<u8>> = sessions
        .keys()
        .filter(|key| key.view.is_none())
        .map(|key| key.own.clone())
        .collect();
    let mut found: HashMap<SessionKey, Caller> = db
        .session_callers(&own)
        .await?
        .into_iter()
        .map(|row| {
            let key = SessionKey {
                own: row.token_hash,
                view: None,
            };
            (key, Caller::from(row.caller))
        })
        .collect();
    // Views are few: one at a time.
    for key in sessions.keys().filter(|key| key.view.is_some()) {
        if let Some(caller) = caller_of(db, key).await? {
            found.insert(key.clone(), caller);
        }
    }
    let mut current = HashMap::new();
    for (key, tabs) in sessions {
        let caller = found.remove(key);
        if let Some(caller) = settle(db, key, tabs, caller).await? {
            current.insert(key.clone(), caller);
        }
    }
    Ok(current)
}

/// What a stream's session is now (`caller`, as just read): streams whose session ended,
/// or whose person is no longer in the team they opened with, are ended (the browser
/// reconnects as who they are now) and `None` is returned.
async fn settle(
    db: &Db,
    session: &SessionKey,
    tabs: &[Entry],
    caller: Option<Caller>,
) -> Result<Option<Caller>, sqlx::Error> {
    match &caller {
        // A view that ended while its viewer's session lives: the stream ends, and the
        // browser reconnects as the viewer.
        None if session.view.is_some() && db.caller(&session.own).await?.is_some() => {
            for tab in tabs {
                tab.end(Some(Event::Resync));
            }
            Ok(None)
        }
        None => {
            for tab in tabs {
                tab.end(Some(Event::SessionEnded));
            }
            Ok(None)
        }
        Some(now) if tabs.iter().any(|tab| tab.team != now.team_id) => {
            for tab in tabs {
                tab.end(Some(Event::Resync));
            }
            Ok(None)
        }
        Some(_) => Ok(caller),
    }
}

/// Checks every stream's session (the periodic sweep; tests call it to skip the wait).
pub async fn sweep(state: &AppState) {
    revalidate(state, None).await;
}

/// Checks the sessions of every stream (or of one person's, and every view's, since a
/// view's stream is its partner's): ended sessions' streams end.
async fn revalidate(state: &AppState, user: Option<&UserId>) {
    let mut sessions: HashMap<SessionKey, Vec<Entry>> = HashMap::new();
    for entry in state.live.entries() {
        if user.is_none_or(|user| entry.user == *user || entry.session.view.is_some()) {
            sessions
                .entry(entry.session.clone())
                .or_default()
                .push(entry);
        }
    }
    if let Err(error) = current_callers(&state.live_db, &sessions).await {
        tracing::warn!(%error, "could not check the live streams' sessions");
    }
}
