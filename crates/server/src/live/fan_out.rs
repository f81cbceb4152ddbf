//! The task that hears every committed change and queues, for each open stream of this
//! server, the events it may receive, decided at sending time by [`crate::domain::events`].

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Duration;

use partner_api::audit::AuditAction;
use partner_api::events::Event;
use partner_api::{TeamId, UserId, WorkspaceId};
use tokio::sync::{broadcast, watch};

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
    let mut notices = state.db.subscribe();
    let mut sweep = tokio::time::interval(SWEEP_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.changed() => if *shutdown.borrow() { return },
            _ = sweep.tick() => revalidate(&state, None).await,
            notice = notices.recv() => match notice {
                Ok(Notice::Change(row)) => deliver(&state, &row).await,
                Ok(Notice::SignedOut { user_id }) => revalidate(&state, Some(&user_id.into())).await,
                Ok(Notice::Missed) => state.live.resync_all(),
                Err(broadcast::error::RecvError::Lagged(missed)) => {
                    tracing::warn!(missed, "live updates fell behind; streams resync");
                    state.live.resync_all();
                }
                Err(broadcast::error::RecvError::Closed) => return,
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
    let mut actor_name = None;
    for (session, tabs) in sessions {
        let Some(caller) = current(db, &session, &tabs).await? else {
            continue;
        };
        if actor_name.is_none() {
            if let Some(actor) = &change.actor {
                actor_name = Some(db.user_name(actor.as_str()).await?);
            }
        }
        let events = decide(db, change, &caller, actor_name.clone().flatten().as_deref()).await?;
        for tab in &tabs {
            for event in &events {
                tab.send(Some(id), event.clone());
            }
        }
    }
    Ok(())
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

/// The session's person now; a stream whose session ended, or whose person is no longer
/// in the team it opened with, is ended (the browser reconnects as who they are now).
async fn current(
    db: &Db,
    session: &SessionKey,
    tabs: &[Entry],
) -> Result<Option<Caller>, sqlx::Error> {
    let caller = caller_of(db, session).await?;
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
    for (session, tabs) in sessions {
        if let Err(error) = current(&state.db, &session, &tabs).await {
            tracing::warn!(%error, "could not check a live stream's session");
            return;
        }
    }
}
