//! The text of a list's search box: it follows the URL's `q` (back/forward, Clear) and
//! sends a search once typing pauses, or at once on Enter.

use std::time::Duration;

use leptos::prelude::*;

/// How long typing must pause before the search runs.
pub const SEARCH_DEBOUNCE: Duration = Duration::from_millis(300);

/// A search box's state; `text` is what the box shows.
#[derive(Clone, Copy)]
pub struct DebouncedSearch {
    pub text: RwSignal<String>,
    /// The search this box last sent, to tell its own URL changes from others.
    sent: StoredValue<String>,
    timer: StoredValue<Option<TimeoutHandle>>,
    on_search: Callback<String>,
}

impl DebouncedSearch {
    /// A box that shows `q` (the URL's) and calls `on_search` with what is typed.
    pub fn new(q: Signal<String>, on_search: Callback<String>) -> Self {
        let search = Self {
            text: RwSignal::new(q.get_untracked()),
            sent: StoredValue::new(q.get_untracked()),
            timer: StoredValue::new(None),
            on_search,
        };
        on_cleanup(move || search.cancel_timer());
        Effect::new(move |_| {
            let q = q.get();
            if q != search.sent.get_value() {
                search.cancel_timer();
                search.sent.set_value(q.clone());
                search.text.set(q);
            }
        });
        search
    }

    fn cancel_timer(&self) {
        if let Some(handle) = self.timer.try_get_value().flatten() {
            handle.clear();
        }
    }

    /// Sends `value` now, unless it is what was sent last.
    pub fn send(&self, value: String) {
        self.cancel_timer();
        if value != self.sent.get_value() {
            self.sent.set_value(value.clone());
            self.on_search.run(value);
        }
    }

    /// What the box shows now; sent once typing pauses.
    pub fn input(&self, value: String) {
        self.text.set(value.clone());
        self.cancel_timer();
        let search = *self;
        self.timer
            .set_value(set_timeout_with_handle(move || search.send(value), SEARCH_DEBOUNCE).ok());
    }
}
