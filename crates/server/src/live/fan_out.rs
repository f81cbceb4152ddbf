//! The task that hears every committed change and queues, for each open stream of this
//! server, the events it may receive, decided at sending time by [`crate::domain::events`].

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;

use partner_api::audit::AuditAction;
use partner_api::events::Event;
use partner_api::{TeamId, UserId, WorkspaceId};
use tokio::sync::watch;

use super::{Entry, SessionKey};
use crate::db::{ChangeRow, Db, Notice};
use crate::domain::authz::Caller;
use crate::domain::events::{self, Change, ChangeKind, Receiver};
use crate::state::AppState;

/// How often every stream's session is checked (an expired session's stream ends within
/// this; a sign-out's at once).
const SWEEP_EVERY: Duration = Duration::from_secs(30);

/// Runs until `shutdown` turns `true`: changes become events, lost notices a resync, and
/// streams whose session ended or whose person left their team end.
pub async fn fan_out(state: AppState, mut shutdown: watch::Receiver<bool>) {
    let mut changes = state.db.changes();
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.changed() => if *shutdown.borrow() { return },
            _ = sweep.tick() => self::sweep(&state).await,
            notice = changes.recv() => match notice {
                Notice::Change(row) => deliver(&state, &row).await,
                Notice::SignedOut { user_id } => revalidate(&state, Some(&user_id.into())).await,
                Notice::Missed => {
                    tracing::warn!("live updates missed changes; streams resync");
                    state.live.resync_all();
                }
            },
        }
    }
}

/// The change a row records, if its action is one this server knows.
pub fn change_of(row: &ChangeRow) -> Option<Change> {
    let kind = if row.action == ChangeRow::REQUEST_CREATED {
        ChangeKind::RequestCreated
    } else {
        ChangeKind::Audited(AuditAction::from_str(&row.action).ok()?)
    };
    Some(Change {
        kind,
        team: row.team_id.as_str().into(),
        workspace: row.workspace_id.as_deref().map(WorkspaceId::from),
        partner_team: row.partner_team_id.as_deref().map(TeamId::from),
        subject: row.subject_id.as_deref().map(UserId::from),
        actor: row.actor_id.as_deref().map(UserId::from),
    })
}

/// The person behind a stream's session now, or `None` when the session ended.
async fn caller_of(db: &Db, session: &SessionKey) -> Result<Option<Caller>, sqlx::Error> {
    let row = match &session.view {
        Some(view) => db.view_caller(view, &session.own).await?,
        None => db.caller(&session.own).await?,
    };
    Ok(row.map(Caller::from))
}

/// Queues one change's events on the streams it may concern.
async fn deliver(state: &AppState, row: &ChangeRow) {
    let Some(change) = change_of(row) else {
        tracing::warn!(action = row.action, "a change of an unknown kind");
        return;
    };
    let entries = state.live.entries();
    if entries.is_empty() {
        return;
    }
    if let Err(error) = deliver_to(&state.db, &change, row.id, entries).await {
        // The streams can't be told what changed: they read everything again.
        tracing::error!(%error, "live updates could not be decided; streams resync");
        state.live.resync_all();
    }
}

/// One change, for many streams: a fixed number of statements whatever the number of
/// receivers (their sessions in batches, the workspace as each of them stands to it in one),
/// then each receiver's events decided in memory.
async fn deliver_to(
    db: &Db,
    change: &Change,
    id: i64,
    entries: Vec<Entry>,
) -> Result<(), sqlx::Error> {
    let grantees: HashSet<String> = match &change.workspace {
        Some(workspace) => db
            .workspace_grantees(workspace.as_str())
            .await?
            .into_iter()
            .collect(),
        None => HashSet::new(),
    };
    // One decision per session, for each of its tabs.
    let mut sessions: HashMap<SessionKey, Vec<Entry>> = HashMap::new();
    for entry in entries {
        if events::may_concern(
            change,
            &entry.user,
            entry.team.as_ref(),
            grantees.contains(entry.user.as_str()),
        ) {
            sessions
                .entry(entry.session.clone())
                .or_default()
                .push(entry);
        }
    }
    if sessions.is_empty() {
        return Ok(());
    }
    let callers = current_callers(db, &sessions).await?;
    let workspaces = match &change.workspace {
        Some(workspace) => {
            let mut people: Vec<String> = callers
                .values()
                .map(|c| c.user_id.as_str().to_owned())
                .collect();
            people.sort();
            people.dedup();
            db.workspace_for_people(workspace.as_str(), &people)
                .await?
                .into_iter()
                .map(|row| (row.person_id, row.workspace.facts()))
                .collect()
        }
        None => HashMap::new(),
    };
    let actor_name = match &change.actor {
        Some(actor) => db.user_name(actor.as_str()).await?,
        None => None,
    };
    for (session, caller) in &callers {
        let workspace = workspaces.get(caller.user_id.as_str());
        if change.workspace.is_some() && workspace.is_none() {
            continue;
        }
        let partner_of_team = change.kind == ChangeKind::Audited(AuditAction::TeamRenamed)
            && !caller.is_in_team(&change.team)
            && db
                .holds_grant_of(change.team.as_str(), caller.user_id.as_str(), None)
                .await?;
        let receiver = Receiver {
            caller,
            workspace,
            partner_of_team,
        };
        let events = events::events_for(change, &receiver, actor_name.as_deref());
        for tab in sessions.get(session).into_iter().flatten() {
            for event in &events {
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

/// The events one change means for one session's person, from their facts as of now.
pub async fn decide(
    db: &Db,
    change: &Change,
    caller: &Caller,
    actor_name: Option<&str>,
) -> Result<Vec<Event>, sqlx::Error> {
    let workspace = match &change.workspace {
        Some(id) => match db.workspace(id.as_str(), caller).await? {
            Some(row) => Some(row.facts()),
            None => return Ok(Vec::new()),
        },
        None => None,
    };
    let partner_of_team = change.workspace.is_none()
        && !caller.is_in_team(&change.team)
        && db
            .holds_grant_of(change.team.as_str(), caller.user_id.as_str(), None)
            .await?;
    Ok(events::events_for(
        change,
        &Receiver {
            caller,
            workspace: workspace.as_ref(),
            partner_of_team,
        },
        actor_name,
    ))
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
    if let Err(error) = current_callers(&state.db, &sessions).await {
        tracing::warn!(%error, "could not check the live streams' sessions");
    }
}
