use std::time::Duration;

use leptos::prelude::*;
use stylers_macro::style;

/// How long a toast stays.
const TOAST_TIME: Duration = Duration::from_secs(5);

/// The kind of news a toast brings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Success,
    Error,
}

#[derive(Clone)]
struct Toast {
    id: u64,
    kind: ToastKind,
    message: String,
    undo: Option<Callback<()>>,
}

/// The app's toasts; provided once by `ToastRegion`, used through `use_toasts()`.
#[derive(Clone, Copy)]
pub struct Toasts {
    list: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Toasts {
    /// Shows a message for 5 s.
    pub fn show(&self, kind: ToastKind, message: impl Into<String>) {
        self.push(kind, message.into(), None);
    }

    /// Shows a message with an Undo button.
    pub fn show_with_undo(&self, message: impl Into<String>, undo: Callback<()>) {
        self.push(ToastKind::Success, message.into(), Some(undo));
    }

    fn push(&self, kind: ToastKind, message: String, undo: Option<Callback<()>>) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.list.update(|list| {
            list.push(Toast {
                id,
                kind,
                message,
                undo,
            })
        });
        let list = self.list;
        set_timeout(
            move || list.update(|l| l.retain(|t| t.id != id)),
            TOAST_TIME,
        );
    }

    fn dismiss(&self, id: u64) {
        self.list.update(|l| l.retain(|t| t.id != id));
    }
}

/// The toasts of the nearest `ToastRegion`.
pub fn use_toasts() -> Toasts {
    expect_context::<Toasts>()
}

/// Provides `Toasts` to its children and shows them bottom-right (aria-live polite).
#[component]
pub fn ToastRegion(children: Children) -> impl IntoView {
    let toasts = Toasts {
        list: RwSignal::new(Vec::new()),
        next_id: StoredValue::new(0),
    };
    provide_context(toasts);
    let class = style! {
        .toasts {
            position: fixed;
            right: var(--space-4);
            bottom: var(--space-4);
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            z-index: 50;
            max-width: min(420px, 100vw - 32px);
        }
        .toast {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-3) var(--space-4);
            border-radius: var(--radius-card);
            background: var(--color-text);
            color: var(--color-bg);
            box-shadow: var(--shadow-dialog);
        }
        .toast.error {
            background: var(--color-danger);
            color: var(--color-danger-text);
        }
        .toast button {
            background: none;
            border: none;
            color: inherit;
            font-weight: 600;
            text-decoration: underline;
            cursor: pointer;
            padding: 0;
        }
        .message {
            flex: 1;
        }
    };
    view! { class=class,
        {children()}
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || toasts.list.get() key=|t| t.id let:toast>
                <div class=move || {
                    if toast.kind == ToastKind::Error { "toast error" } else { "toast" }
                }>
                    <span class="message">{toast.message.clone()}</span>
                    {toast
                        .undo
                        .map(|undo| {
                            let id = toast.id;
                            view! { class=class,
                                <button on:click=move |_| {
                                    undo.run(());
                                    toasts.dismiss(id);
                                }>"Undo"</button>
                            }
                        })}
                    <button aria-label="Dismiss" on:click=move |_| toasts.dismiss(toast.id)>
                        <span aria-hidden="true">"✕"</span>
                    </button>
                </div>
            </For>
        </div>
    }
}
