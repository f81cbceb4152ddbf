//! This server's open streams: registration with caps, and each stream's bounded queue.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use partner_api::events::Event;
use partner_api::{TeamId, UserId};
use tokio::sync::mpsc;

use crate::error::AppError;

/// How many streams one session may hold open (one per tab; browsers keep 6 connections
/// per site over HTTP/1.1).
pub const STREAMS_PER_SESSION: usize = 8;

/// How many events may wait for one stream before it is marked lagged.
const QUEUE: usize = 64;

/// The session a stream belongs to: its own session's token hash, and the view's when it
/// is a "view as partner".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SessionKey {
    pub own: Vec<u8>,
    pub view: Option<Vec<u8>>,
}

/// What a stream is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// An event, with the change's number when it comes from one.
    Event { id: Option<i64>, event: Event },
    /// The stream ends.
    End,
}

/// One open stream, as the hub knows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub session: SessionKey,
    pub user: UserId,
    /// The person's team when the stream opened: a stream ends when it changes.
    pub team: Option<TeamId>,
    /// The browser tab it is for: that tab's own changes aren't sent back to it.
    pub tab: Option<String>,
    out: mpsc::Sender<Out>,
    flags: Arc<Flags>,
}

/// What a stream learns without a queue's room: that it lagged, that it must end.
#[derive(Debug, Default)]
struct Flags {
    lagged: AtomicBool,
    ended: AtomicBool,
}

impl Entry {
    /// Queues an event without waiting; a full queue marks the stream lagged instead.
    pub fn send(&self, id: Option<i64>, event: Event) {
        if let Err(mpsc::error::TrySendError::Full(_)) = self.out.try_send(Out::Event { id, event })
        {
            self.flags.lagged.store(true, Ordering::Relaxed);
        }
    }

    /// Ends the stream after what is queued (`last`: an event to send before it).
    pub fn end(&self, last: Option<Event>) {
        if let Some(event) = last {
            self.send(None, event);
        }
        self.flags.ended.store(true, Ordering::Relaxed);
        // With a full queue the stream is awake anyway, and sees the flag.
        let _ = self.out.try_send(Out::End);
    }
}

/// This server's open streams.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

struct Inner {
    streams: Mutex<HashMap<u64, Entry>>,
    next_id: AtomicU64,
    max_streams: usize,
    closed: AtomicBool,
}

/// A registered stream: its queue, until dropped (the browser went away).
pub struct Subscription {
    id: u64,
    hub: Hub,
    pub queue: mpsc::Receiver<Out>,
    flags: Arc<Flags>,
}

impl Subscription {
    /// Whether events were dropped since the last call (the stream must resync).
    pub fn take_lagged(&self) -> bool {
        self.flags.lagged.swap(false, Ordering::Relaxed)
    }

    /// Whether the stream was told to end.
    pub fn ended(&self) -> bool {
        self.flags.ended.load(Ordering::Relaxed)
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.lock().remove(&self.id);
    }
}

impl Hub {
    /// A hub that holds at most `max_streams` streams.
    pub fn new(max_streams: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                streams: Mutex::default(),
                next_id: AtomicU64::new(1),
                max_streams,
                closed: AtomicBool::new(false),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Entry>> {
        // A panic elsewhere can't leave the map half-changed: every change is one call.
        self.inner
            .streams
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Registers a stream, unless the session or the server has as many as they may.
    pub fn open(
        &self,
        session: SessionKey,
        user: UserId,
        team: Option<TeamId>,
        tab: Option<String>,
    ) -> Result<Subscription, AppError> {
        if self.inner.closed.load(Ordering::Relaxed) {
            return Err(AppError::Stopping);
        }
        let mut streams = self.lock();
        if streams.len() >= self.inner.max_streams {
            return Err(AppError::TooManyStreams(
                "This server has as many live update streams open as it can hold. Pages still \
                 work; they update when you reload them.",
            ));
        }
        if streams.values().filter(|e| e.session == session).count() >= STREAMS_PER_SESSION {
            return Err(AppError::TooManyStreams(
                "Live updates are open in too many tabs of this session. Close some tabs, then \
                 reload this one.",
            ));
        }
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        let (out, queue) = mpsc::channel(QUEUE);
        let flags = Arc::new(Flags::default());
        streams.insert(
            id,
            Entry {
                session,
                user,
                team,
                tab,
                out,
                flags: flags.clone(),
            },
        );
        Ok(Subscription {
            id,
            hub: self.clone(),
            queue,
            flags,
        })
    }

    /// The open streams, as of now.
    pub fn entries(&self) -> Vec<Entry> {
        self.lock().values().cloned().collect()
    }

    /// How many streams are open.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Tells every stream to read everything again (what was missed can't be told).
    pub fn resync_all(&self) {
        for entry in self.entries() {
            entry.send(None, Event::Resync);
        }
    }

    /// Ends every stream and takes no more (the server is stopping: the browsers reconnect,
    /// to another server behind the balancer).
    pub fn close(&self) {
        self.inner.closed.store(true, Ordering::Relaxed);
        for entry in self.entries() {
            entry.end(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(own: u8) -> SessionKey {
        SessionKey {
            own: vec![own],
            view: None,
        }
    }

    fn event(n: u64) -> Event {
        Event::WorkspaceChanged {
            workspace: format!("ws{n}").as_str().into(),
            change: partner_api::events::WorkspaceChange::Partners,
            by: None,
        }
    }

    #[tokio::test]
    async fn a_stream_that_doesnt_read_never_holds_up_the_others_and_resyncs_later() {
        let hub = Hub::new(10);
        let mut reader = hub.open(key(1), "u1".into(), None, None).unwrap();
        let stalled = hub.open(key(2), "u2".into(), None, None).unwrap();
        // Ten times the queue's room, sent to both; the reader reads as they come.
        let mut read = 0;
        for n in 0..(QUEUE as u64 * 10) {
            for entry in hub.entries() {
                entry.send(Some(n as i64), event(n));
            }
            match reader.queue.try_recv() {
                Ok(Out::Event { id, .. }) => {
                    assert_eq!(id, Some(read));
                    read += 1;
                }
                other => panic!("the reader gets every event in order: {other:?}"),
            }
        }
        assert_eq!(read, QUEUE as i64 * 10);
        assert!(!reader.take_lagged());
        // The stalled stream kept its first QUEUE events and learns it lagged.
        assert!(stalled.take_lagged());
        assert!(!stalled.take_lagged(), "told once");
        assert_eq!(stalled.queue.len(), QUEUE);
    }

    #[tokio::test]
    async fn streams_are_capped_per_session_and_per_server_and_leave_when_dropped() {
        let hub = Hub::new(STREAMS_PER_SESSION + 2);
        let tabs: Vec<_> = (0..STREAMS_PER_SESSION)
            .map(|_| hub.open(key(1), "u1".into(), None, None).unwrap())
            .collect();
        assert!(matches!(
            hub.open(key(1), "u1".into(), None, None),
            Err(AppError::TooManyStreams(_))
        ));
        let _a = hub.open(key(2), "u2".into(), None, None).unwrap();
        let _b = hub.open(key(3), "u3".into(), None, None).unwrap();
        assert!(matches!(
            hub.open(key(4), "u4".into(), None, None),
            Err(AppError::TooManyStreams(_))
        ));
        drop(tabs);
        assert_eq!(hub.len(), 2);
        hub.close();
        assert!(matches!(
            hub.open(key(5), "u5".into(), None, None),
            Err(AppError::Stopping)
        ));
    }

    #[tokio::test]
    async fn ending_a_stream_with_a_full_queue_still_ends_it() {
        let hub = Hub::new(4);
        let stream = hub.open(key(1), "u1".into(), None, None).unwrap();
        let entry = hub.entries().pop().unwrap();
        for n in 0..QUEUE as u64 + 1 {
            entry.send(None, event(n));
        }
        entry.end(Some(Event::SessionEnded));
        assert!(stream.ended());
    }
}
