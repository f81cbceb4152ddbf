//! `GET /api/events`: the app's one live-update stream (Server-Sent Events), and
//! [`LiveEvents`], the hub every page listens to so it reads again what an event touches.
//!
//! Events are hints: a page that hears one fetches again, through the usual GETs, only what
//! the event touches. `Resync` reaches every listener; `SessionEnded` ends the session here.

use std::future::Future;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::UserId;
use partner_api::events::{EVENTS_PATH, Event, LAST_EVENT_ID_PARAM, TAB_PARAM};
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{EventSource, MessageEvent};

use super::ApiError;
use super::client::tab_id;

/// The first wait before opening a stream again after the server refused it (401, 429).
const FIRST_RETRY: Duration = Duration::from_secs(5);

/// The longest wait between two tries.
const LAST_RETRY: Duration = Duration::from_secs(60);

/// How long a tab in the background keeps its stream. Browsers allow six connections per
/// site over HTTP/1.1, and each open stream holds one: tabs left in the background give
/// theirs back, and resume where they were when they come to the front.
const HIDDEN_GRACE: Duration = Duration::from_secs(60);

/// How long to wait before the `failures`-th new try: 5 s, doubling, at most 60 s.
pub fn retry_delay(failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(8);
    (FIRST_RETRY * 2u32.pow(doublings)).min(LAST_RETRY)
}

/// Whether `event` is about the workspace `id`: it changed, the receiver's access to it
/// ended, or its access requests changed.
pub fn about_workspace(event: &Event, id: &str) -> bool {
    event
        .workspace()
        .is_some_and(|workspace| workspace.as_str() == id)
}

type Listener = Rc<dyn Fn(&Event)>;

#[derive(Default)]
struct Listeners {
    next_id: u64,
    list: Vec<(u64, Listener)>,
}

/// The browser's `EventSource` and the callbacks it calls, closed when dropped.
struct Stream {
    source: EventSource,
    _on_open: Closure<dyn FnMut(web_sys::Event)>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Stream {
    fn drop(&mut self) {
        self.source.set_onopen(None);
        self.source.set_onmessage(None);
        self.source.set_onerror(None);
        self.source.close();
    }
}

#[derive(Default)]
struct Connection {
    /// Someone is signed in: the stream should be open.
    wanted: bool,
    /// This tab is signing out: the stream stays closed meanwhile.
    paused: bool,
    stream: Option<Stream>,
    /// The next try after the server refused the stream.
    retry: Option<TimeoutHandle>,
    /// Tries refused in a row since the stream was last open.
    failures: u32,
    /// What `SessionEnded` does (the app signs out here).
    ended: Option<Rc<dyn Fn()>>,
    /// The id of the last event received: a stream this tab opens again resumes there.
    last_id: Option<String>,
    /// The stream was closed because the tab stayed in the background or the page was left.
    asleep: bool,
    /// The stream was opened again after sleeping: what happened meanwhile was missed.
    woke: bool,
    /// Closes the stream of a tab gone to the background, unless it comes back first.
    sleep: Option<TimeoutHandle>,
}

impl Connection {
    fn stop(&mut self) {
        if self.stream.take().is_some() {
            mark_open(false);
        }
        if let Some(retry) = self.retry.take() {
            retry.clear();
        }
        if let Some(sleep) = self.sleep.take() {
            sleep.clear();
        }
    }

    /// The stream of tab `tab` (whose own changes it isn't sent), starting after the last
    /// event received, if any.
    fn url(&self, tab: &str) -> String {
        let url = format!("{EVENTS_PATH}?{TAB_PARAM}={tab}");
        match self
            .last_id
            .as_deref()
            .filter(|id| id.bytes().all(|b| b.is_ascii_digit()))
        {
            Some(id) if !id.is_empty() => format!("{url}&{LAST_EVENT_ID_PARAM}={id}"),
            _ => url,
        }
    }
}

/// The live-update hub: one per app, provided by `App`, read with [`use_live_events`].
/// Pages say which events they care about ([`LiveEvents::refetch_on`],
/// [`LiveEvents::keep_fresh`], [`LiveEvents::on`]); the hub owns the one `EventSource`.
#[derive(Clone, Copy)]
pub struct LiveEvents {
    listeners: StoredValue<Listeners, LocalStorage>,
    connection: StoredValue<Connection, LocalStorage>,
}

impl LiveEvents {
    /// A hub with no stream: it hears only what is dispatched to it.
    pub fn new() -> Self {
        let hub = Self {
            listeners: StoredValue::new_local(Listeners::default()),
            connection: StoredValue::new_local(Connection::default()),
        };
        on_cleanup(move || {
            hub.connection.try_update_value(Connection::stop);
        });
        hub
    }

    /// Creates the app's hub and provides it to every component below.
    pub fn provide() -> Self {
        let hub = Self::new();
        provide_context(hub);
        hub
    }

    /// Keeps the stream open while `signed_in` names someone (another person gets a new
    /// stream) and closed otherwise; `ended` runs when the server says the session ended.
    pub fn connect(&self, signed_in: Memo<Option<UserId>>, ended: impl Fn() + 'static) {
        let hub = *self;
        hub.connection
            .update_value(|c| c.ended = Some(Rc::new(ended)));
        Effect::new(move |_| match signed_in.get() {
            Some(_) => hub.open(),
            None => hub.close(),
        });
        // `visibilitychange` bubbles from the document to the window.
        let _listening = window_event_listener_untyped("visibilitychange", move |_| {
            if document().hidden() {
                hub.sleep_later();
            } else {
                hub.wake();
            }
        });
        // A page left for another may be kept in the back/forward cache, and its stream
        // with it: six such pages held every HTTP/1.1 connection to the site, and the next
        // page's requests waited up to a minute. It closes when the page is left, and opens
        // again where it was if the page comes back from that cache.
        let _listening = window_event_listener_untyped("pagehide", move |_| hub.sleep_now());
        let _listening = window_event_listener_untyped("pageshow", move |_| hub.wake());
    }

    /// The tab went to the background: its stream closes after [`HIDDEN_GRACE`], unless
    /// the tab comes back first.
    fn sleep_later(&self) {
        let hub = *self;
        let open = self
            .connection
            .try_with_value(|c| c.stream.is_some() && c.sleep.is_none());
        if open != Some(true) {
            return;
        }
        let sleep = set_timeout_with_handle(
            move || {
                hub.connection.try_update_value(|c| c.sleep = None);
                hub.sleep_now();
            },
            HIDDEN_GRACE,
        );
        if let Ok(sleep) = sleep {
            self.connection.update_value(|c| c.sleep = Some(sleep));
        }
    }

    /// Closes the stream now, to open again where it was on [`LiveEvents::wake`].
    fn sleep_now(&self) {
        self.connection.try_update_value(|c| {
            if let Some(sleep) = c.sleep.take() {
                sleep.clear();
            }
            if c.stream.take().is_some() {
                mark_open(false);
                c.asleep = true;
            }
        });
    }

    /// The tab or page is back: a stream closed meanwhile opens again after its last event.
    fn wake(&self) {
        let wake = self.connection.try_update_value(|c| {
            if let Some(sleep) = c.sleep.take() {
                sleep.clear();
            }
            let wake = std::mem::take(&mut c.asleep) && c.wanted && !c.paused;
            // `pageshow` and `visibilitychange` both wake a page back from the cache.
            c.woke |= wake;
            wake
        });
        if wake == Some(true) {
            self.open();
        }
    }

    /// This tab is signing out: the stream closes first, so the end of the session the
    /// server then announces doesn't race the page's own way out. [`LiveEvents::resume`]
    /// if the sign-out fails.
    pub fn pause(&self) {
        self.connection.try_update_value(|c| {
            c.paused = true;
            c.stop();
        });
    }

    /// The sign-out failed: listen again, if someone is still signed in.
    pub fn resume(&self) {
        let wanted = self
            .connection
            .try_update_value(|c| std::mem::take(&mut c.paused) && c.wanted);
        if wanted == Some(true) {
            self.open();
        }
    }

    /// Calls `run` with every event `wants` accepts, and with every `Resync`, for as long
    /// as the component that asks lives (inside that component's owner).
    pub fn on(&self, wants: impl Fn(&Event) -> bool + 'static, run: impl Fn(&Event) + 'static) {
        // Weak: the list lives in the hub, and must not keep the component alive.
        let owner = Owner::current().map(|owner| owner.downgrade());
        let listener: Listener = Rc::new(move |event| {
            if !matches!(event, Event::Resync) && !wants(event) {
                return;
            }
            match owner.as_ref().map(WeakOwner::upgrade) {
                Some(Some(owner)) => owner.with(|| run(event)),
                Some(None) => {}
                None => run(event),
            }
        });
        let Some(id) = self.listeners.try_update_value(|l| {
            l.next_id += 1;
            l.list.push((l.next_id, listener));
            l.next_id
        }) else {
            return;
        };
        let listeners = self.listeners;
        on_cleanup(move || {
            listeners.try_update_value(|l| l.list.retain(|(other, _)| *other != id));
        });
    }

    /// Calls `refetch` (a resource's) when an event `wants` accepts arrives, and on `Resync`.
    pub fn refetch_on(
        &self,
        wants: impl Fn(&Event) -> bool + 'static,
        refetch: impl Fn() + 'static,
    ) {
        self.on(wants, move |_| refetch());
    }

    /// Keeps `value` (data a loaded section shows and edits in place) up to date: when an
    /// event `wants` accepts arrives, `fetch` asks again and an answer that differs replaces
    /// it. Nothing is rebuilt around what someone is typing; a failed answer keeps what is
    /// shown, and only the latest answer counts.
    pub fn keep_fresh<T, Fut>(
        &self,
        wants: impl Fn(&Event) -> bool + 'static,
        value: RwSignal<T>,
        fetch: impl Fn() -> Fut + 'static,
    ) where
        T: PartialEq + Send + Sync + 'static,
        Fut: Future<Output = Result<T, ApiError>> + 'static,
    {
        let latest = StoredValue::new(0u64);
        self.on(wants, move |_| {
            let asked = latest.get_value() + 1;
            latest.set_value(asked);
            let answer = fetch();
            spawn_local_scoped_with_cancellation(async move {
                if let Ok(fresh) = answer.await
                    && latest.try_get_value() == Some(asked)
                    && value.try_with_untracked(|now| *now != fresh) == Some(true)
                {
                    value.set(fresh);
                }
            });
        });
    }

    /// Delivers one event to the listeners that want it (all of them for `Resync`).
    pub fn dispatch(&self, event: &Event) {
        if matches!(event, Event::SessionEnded) {
            let ended = self.connection.try_update_value(|c| {
                c.wanted = false;
                c.stop();
                c.ended.clone()
            });
            if let Some(ended) = ended.flatten() {
                ended();
            }
        }
        // A copy: a listener may subscribe or leave while it runs.
        let listeners: Vec<Listener> = self
            .listeners
            .try_with_value(|l| l.list.iter().map(|(_, f)| Rc::clone(f)).collect())
            .unwrap_or_default();
        for listener in listeners {
            listener(event);
        }
    }

    /// Delivers the event a stream message carries (the JSON of its `data:`); a kind this
    /// version doesn't know, or text that isn't an event, is left out.
    pub fn receive(&self, data: &str) {
        match serde_json::from_str::<Event>(data) {
            Ok(event) => self.dispatch(&event),
            Err(error) => leptos::logging::warn!("live update left out ({error}): {data}"),
        }
    }

    /// Opens a new stream (closing any other).
    fn open(&self) {
        let hub = *self;
        let url = self.connection.try_update_value(|c| {
            c.stop();
            c.wanted = true;
            c.paused = false;
            c.asleep = false;
            c.url(tab_id())
        });
        let Some(url) = url else {
            return;
        };
        let Ok(source) = EventSource::new(&url) else {
            hub.failed();
            return;
        };
        let on_open = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| hub.opened());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |message: MessageEvent| {
            let id = message.last_event_id();
            if !id.is_empty() {
                hub.connection.try_update_value(|c| c.last_id = Some(id));
            }
            if let Some(data) = message.data().as_string() {
                hub.receive(&data);
            }
        });
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            // After a dropped connection the browser reconnects by itself (CONNECTING) and
            // sends Last-Event-ID; CLOSED means it gave up (401, 429, not a stream).
            let gave_up = hub.connection.try_with_value(|c| {
                c.stream
                    .as_ref()
                    .is_some_and(|s| s.source.ready_state() == EventSource::CLOSED)
            });
            if gave_up == Some(true) {
                hub.failed();
            }
        });
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.connection.update_value(|c| {
            c.stream = Some(Stream {
                source,
                _on_open: on_open,
                _on_message: on_message,
                _on_error: on_error,
            });
        });
    }

    /// Closes the stream and stops trying (signed out).
    fn close(&self) {
        self.connection.try_update_value(|c| {
            c.wanted = false;
            c.asleep = false;
            c.last_id = None;
            c.stop();
        });
    }

    /// The stream is open. One that replaces a refused or sleeping stream resumes after the
    /// last event received (the server sends what was missed, or `resync`); without one, it
    /// can't know what was missed meanwhile: every page reads again.
    fn opened(&self) {
        mark_open(true);
        let missed = self.connection.try_update_value(|c| {
            let refused = std::mem::take(&mut c.failures) > 0;
            let woke = std::mem::take(&mut c.woke);
            (refused || woke) && c.last_id.is_none()
        });
        if missed == Some(true) {
            self.dispatch(&Event::Resync);
        }
    }

    /// The server refused the stream: try again later, waiting longer each time, and only
    /// while someone is still signed in.
    fn failed(&self) {
        let hub = *self;
        let delay = self.connection.try_update_value(|c| {
            c.stop();
            c.failures += 1;
            c.wanted.then(|| retry_delay(c.failures))
        });
        let Some(Some(delay)) = delay else { return };
        let retry = set_timeout_with_handle(
            move || {
                let wanted = hub.connection.try_update_value(|c| {
                    c.retry = None;
                    c.wanted && !c.paused
                });
                if wanted == Some(true) {
                    hub.open();
                }
            },
            delay,
        );
        if let Ok(retry) = retry {
            self.connection.update_value(|c| c.retry = Some(retry));
        }
    }
}

/// Says on the document whether this tab's stream is open (`data-live="open"`): what a
/// test waits for before changing something elsewhere.
fn mark_open(open: bool) {
    if let Some(root) = document().document_element() {
        let _ = if open {
            root.set_attribute("data-live", "open")
        } else {
            root.remove_attribute("data-live")
        };
    }
}

impl Default for LiveEvents {
    fn default() -> Self {
        Self::new()
    }
}

/// The hub `App` provides; a component mounted on its own (a component test) gets a hub
/// of its own that hears only what is dispatched to it.
pub fn use_live_events() -> LiveEvents {
    use_context().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_streams_are_tried_again_slower_each_time() {
        let waits: Vec<u64> = (1..=7).map(|n| retry_delay(n).as_secs()).collect();
        assert_eq!(waits, [5, 10, 20, 40, 60, 60, 60]);
        assert_eq!(retry_delay(u32::MAX), LAST_RETRY);
    }

    #[test]
    fn a_stream_opened_again_resumes_after_the_last_event_received() {
        let mut connection = Connection::default();
        let tab = "tab-0123abcd";
        assert_eq!(connection.url(tab), "/api/events?tab=tab-0123abcd");
        connection.last_id = Some("42".into());
        assert_eq!(
            connection.url(tab),
            "/api/events?tab=tab-0123abcd&last_event_id=42"
        );
        // Only a number goes into the URL.
        connection.last_id = Some("42&x=1".into());
        assert_eq!(connection.url(tab), "/api/events?tab=tab-0123abcd");
    }
}
