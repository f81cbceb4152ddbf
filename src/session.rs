//! Who is signed in: one [`Session`] for the whole app, provided by `App`, read with
//! [`use_session`].

use leptos::prelude::*;
use partner_api::Me;
use partner_api::sso::SessionInfo;
use partner_api::view_as::ViewAs;

use crate::api::{self, ApiError};

/// The signed-in account, loaded once from `GET /api/me` and updated in place by sign-in
/// and sign-out, so the shell and every page agree without a reload.
#[derive(Clone, Copy)]
pub struct Session {
    me: LocalResource<Result<Option<Me>, ApiError>>,
    /// How the session was made and the view as partner it is in (`GET /api/session`):
    /// asked once per app load and again when a view starts or ends.
    info: LocalResource<Result<Option<SessionInfo>, ApiError>>,
    /// A view was just started here: its banner takes the focus once it shows.
    view_started: RwSignal<bool>,
}

/// What is known about the session right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// `GET /api/me` has not answered yet.
    Loading,
    /// Someone is signed in.
    SignedIn(Me),
    /// No one is signed in.
    SignedOut,
    /// The server could not say (unreachable, or an unexpected answer).
    Failed(ApiError),
}

impl Session {
    /// Starts loading the session and provides it to every component below.
    pub fn provide() -> Self {
        let session = Self {
            me: LocalResource::new(api::session::me),
            info: LocalResource::new(api::session::info),
            view_started: RwSignal::new(false),
        };
        provide_context(session);
        session
    }

    /// The current state (reactive).
    pub fn state(&self) -> SessionState {
        match self.me.get() {
            None => SessionState::Loading,
            Some(Ok(Some(me))) => SessionState::SignedIn(me),
            Some(Ok(None)) => SessionState::SignedOut,
            Some(Err(error)) => SessionState::Failed(error),
        }
    }

    /// The signed-in account, if any (reactive).
    pub fn me(&self) -> Option<Me> {
        match self.state() {
            SessionState::SignedIn(me) => Some(me),
            _ => None,
        }
    }

    /// Records a successful sign-in (the answer of `POST /api/session`).
    pub fn signed_in(&self, me: Me) {
        self.me.set(Some(Ok(Some(me))));
        self.info.refetch();
    }

    /// Records a sign-out.
    pub fn signed_out(&self) {
        self.me.set(Some(Ok(None)));
        self.info.set(Some(Ok(None)));
    }

    /// The view as partner this session is in, if any (reactive). A failed `GET
    /// /api/session` shows no banner: every write of a view is refused by the server anyway,
    /// with its own message.
    pub fn view_as(&self) -> Option<ViewAs> {
        match self.info.get() {
            Some(Ok(Some(info))) => info.view_as,
            _ => None,
        }
    }

    /// A view as partner started or ended: who `GET /api/me` describes changed with it.
    pub fn view_changed(&self) {
        self.me.refetch();
        self.info.refetch();
    }

    /// A view as partner was started from this page: the banner should take the focus (so
    /// a screen reader says the view is on) when it shows.
    pub fn view_started(&self) {
        self.view_started.set(true);
        self.view_changed();
    }

    /// Whether the banner should take the focus now; true once per started view.
    pub fn take_view_focus(&self) -> bool {
        let started = self.view_started.get_untracked();
        if started {
            self.view_started.set(false);
        }
        started
    }

    /// Asks the server again (after a failure).
    pub fn refetch(&self) {
        self.me.refetch();
    }
}

/// The session provided by `App`.
pub fn use_session() -> Session {
    use_context().expect("Session::provide() runs in App, above every component")
}
