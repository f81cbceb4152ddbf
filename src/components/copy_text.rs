use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use stylers_macro::style;

/// A value to copy somewhere else (a redirect URI to register at a provider): read-only text
/// that selects itself, and a Copy button that says when it copied.
#[component]
pub fn CopyText(
    /// The input's id (its label points at it).
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
) -> impl IntoView {
    let class = style! {
        .copy-text {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            max-width: 560px;
        }
        label {
            font-weight: 600;
        }
        .row {
            display: flex;
            gap: var(--space-2);
        }
        input {
            flex: 1;
            min-width: 0;
            font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
            font-size: var(--text-xs);
        }
        .copied {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
    };
    let copied = RwSignal::new(None::<&'static str>);
    let copy = move |_| {
        let text = value.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            let done = match web_sys::window() {
                Some(window) => {
                    let promise = window.navigator().clipboard().write_text(&text);
                    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
                }
                None => false,
            };
            copied.set(Some(if done {
                "Copied."
            } else {
                "Couldn't copy: select the text and copy it yourself."
            }));
        });
    };
    view! { class=class,
        <div class="copy-text">
            <label for=id.clone()>{label}</label>
            <div class="row">
                <input
                    class="input"
                    id=id
                    type="text"
                    readonly
                    prop:value=value
                    on:focus=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        input.select();
                    }
                />
                <button type="button" class="button" on:click=copy>
                    "Copy"
                </button>
            </div>
            <span class="copied" role="status">{move || copied.get()}</span>
        </div>
    }
}
