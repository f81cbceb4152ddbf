//! `GET /api/events`: live updates of the signed-in session, as Server-Sent Events.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use partner_api::ErrorBody;
use partner_api::events::{Event, RECONNECT_MS, is_tab_id};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::extract::{ApiQuery, cookie, session_token};
use crate::domain::authz::Caller;
use crate::domain::session_token as token;
use crate::error::AppError;
use crate::live::{self, Out, SessionKey, Subscription};
use crate::state::AppState;

/// How often an idle stream says it is alive (proxies close silent connections).
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `?last_event_id=`: where a stream the web app reopens itself resumes; `?tab=`: the browser
/// tab it is for (whose own changes it isn't sent).
#[derive(Debug, Default, serde::Deserialize)]
struct Resume {
    last_event_id: Option<i64>,
    tab: Option<String>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(events))
}

/// The session's live updates: a Server-Sent Events stream of `Event` JSON messages
/// (`data:`), each sent only if the session could read the change with a GET, decided when
/// sent. Events of recorded changes carry the change's number as their `id`; a browser that
/// reconnects sends it back as `Last-Event-ID` and is sent what it missed (or `resync` when
/// that is more than can be told). The stream ends at sign-out, when the session expires or
/// its person leaves their team (after `session_ended` or `resync`). At most 8 streams per
/// session, and as many per server as `--max-streams`.
#[utoipa::path(
    get, path = "/events", tag = "session",
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "The id of the last event received, to resume"),
        ("last_event_id" = Option<i64>, Query, description = "The same, for a stream the web app opens itself (EventSource can't set the header); the header wins"),
        ("tab" = Option<String>, Query, description = "The browser tab the stream is for (its X-Tab-Id): the changes that tab makes aren't sent back to it"),
    ),
    responses(
        (status = 200, description = "The stream (text/event-stream)", content_type = "text/event-stream", body = Event),
        (status = 401, body = ErrorBody),
        (status = 429, description = "rate_limited: too many streams open for the session or the server", body = ErrorBody),
        (status = 503, description = "unavailable: the server is stopping", body = ErrorBody),
    )
)]
async fn events(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(resume): ApiQuery<Resume>,
) -> Result<Response, AppError> {
    let own = session_token(&headers, &state).ok_or(AppError::Unauthenticated)?;
    let session = SessionKey {
        own: token::hash(&own),
        view: caller
            .view
            .as_ref()
            .and_then(|_| cookie(&headers, state.session_cookie.view_name()))
            .map(|view| token::hash(&view)),
    };
    let tab = resume.tab.filter(|tab| is_tab_id(tab));
    let subscription = state.live.open(
        session,
        caller.user_id.clone(),
        caller.team_id.clone(),
        tab.clone(),
    )?;
    let last_seen = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.trim().parse::<i64>().ok())
        .or(resume.last_event_id);
    let replay = match last_seen {
        Some(after) => live::replay(&state.db, &caller, after, tab.as_deref()).await?,
        None => VecDeque::new(),
    };
    let mut response = Sse::new(stream(subscription, replay))
        .keep_alive(KeepAlive::new().interval(KEEP_ALIVE))
        .into_response();
    // Not buffered by nginx, never cached.
    let headers = response.headers_mut();
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The SSE messages of one stream: the reconnect delay, what a resume replays, then what
/// the hub queues; `resync` whenever the queue overflowed.
fn stream(
    subscription: Subscription,
    replay: VecDeque<(Option<i64>, Event)>,
) -> impl Stream<Item = Result<SseEvent, Infallible>> {
    struct Live {
        subscription: Subscription,
        replay: VecDeque<(Option<i64>, Event)>,
        greeted: bool,
    }
    let live = Live {
        subscription,
        replay,
        greeted: false,
    };
    futures_util::stream::unfold(Some(live), |live| async move {
        let mut live = live?;
        if !live.greeted {
            live.greeted = true;
            let hello = SseEvent::default()
                .retry(Duration::from_millis(RECONNECT_MS))
                .comment("live");
            return Some((Ok(hello), Some(live)));
        }
        if let Some((id, event)) = live.replay.pop_front() {
            return Some((Ok(message(id, &event)), Some(live)));
        }
        if live.subscription.take_lagged() {
            return Some((Ok(message(None, &Event::Resync)), Some(live)));
        }
        if live.subscription.ended() && live.subscription.queue.is_empty() {
            return None;
        }
        match live.subscription.queue.recv().await {
            Some(Out::Event { id, event }) => Some((Ok(message(id, &event)), Some(live))),
            Some(Out::End) | None => None,
        }
    })
}

/// One event as an SSE message.
fn message(id: Option<i64>, event: &Event) -> SseEvent {
    let json = serde_json::to_string(event).unwrap_or_else(|_| r#"{"kind":"resync"}"#.into());
    let message = SseEvent::default().data(json);
    match id {
        Some(id) => message.id(id.to_string()),
        None => message,
    }
}
