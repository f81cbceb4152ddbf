use leptos::prelude::*;
use stylers_macro::style;

use super::dialog::Dialog;

/// "Remove …?" — a dialog whose body says exactly what will happen, with Cancel and a
/// button that names the action. While the action runs the button shows its pending label
/// and cannot be pressed again; if it fails, the dialog stays open and says what to do.
#[component]
pub fn ConfirmDialog(
    #[prop(into)] open: Signal<bool>,
    /// The question, naming the action ("Remove Globex as a partner?").
    #[prop(into)]
    title: Signal<String>,
    /// The button's label ("Remove partnership").
    #[prop(into)]
    confirm_label: Signal<String>,
    /// The button's label while the action runs ("Removing…").
    #[prop(into)]
    pending_label: Signal<String>,
    #[prop(into)] pending: Signal<bool>,
    /// Why the last attempt failed and what to do, shown above the buttons.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A destructive action (red button).
    #[prop(optional)]
    danger: bool,
    #[prop(into)] on_confirm: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
    /// What will happen, in plain words.
    children: ChildrenFn,
) -> impl IntoView {
    let class = style! {
        .confirm-actions {
            display: flex;
            justify-content: flex-end;
            gap: var(--space-2);
        }
        .confirm-error {
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius-control);
            background: var(--color-danger-soft);
            color: var(--color-danger);
        }
        .danger {
            background: var(--color-danger);
            border-color: var(--color-danger);
            color: var(--color-danger-text);
        }
    };
    let cancel = move || {
        if !pending.get_untracked() {
            on_cancel.run(());
        }
    };
    let confirm_class = if danger {
        format!("{class} button danger")
    } else {
        format!("{class} button button-primary")
    };
    view! {
        <Dialog open=open on_close=move |()| cancel() title=title>
            {children()}
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! { class=class,
                            <p class="confirm-error" role="alert">
                                {error}
                            </p>
                        }
                    })
            }}
            <div class=format!("{class} confirm-actions")>
                <button
                    type="button"
                    class="button"
                    disabled=pending
                    on:click=move |_| cancel()
                >
                    "Cancel"
                </button>
                <button
                    type="button"
                    class=confirm_class.clone()
                    disabled=pending
                    aria-busy=move || pending.get().to_string()
                    on:click=move |_| {
                        if !pending.get_untracked() {
                            on_confirm.run(());
                        }
                    }
                >
                    {move || if pending.get() { pending_label.get() } else { confirm_label.get() }}
                </button>
            </div>
        </Dialog>
    }
}
