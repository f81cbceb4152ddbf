use leptos::prelude::*;
use stylers_macro::style;

/// A search of a list of people that the server caps (it lists the first few hundred and
/// says how many there are): finds the others by name or email. Runs on Enter or Search;
/// shows the search in force, with Clear.
#[component]
pub fn PeopleSearch(
    /// Names what is searched ("Find a member").
    #[prop(into)]
    label: String,
    /// The id of the input (unique on the page).
    #[prop(into)]
    id: String,
    /// The search in force.
    #[prop(into)]
    q: Signal<String>,
    /// Search was asked for (the text, trimmed; empty to clear).
    #[prop(into)]
    on_search: Callback<String>,
) -> impl IntoView {
    let class = style! {
        .people-search {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-2);
            margin-bottom: var(--space-3);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            flex: 1 1 240px;
            max-width: 360px;
        }
        label {
            font-weight: 500;
            font-size: var(--text-sm);
            color: var(--color-text);
        }
        @media (max-width: 640px) {
            .field {
                max-width: none;
            }
        }
    };
    let text = RwSignal::new(q.get_untracked());
    Effect::new(move |_| text.set(q.get()));
    let search = move |value: String| on_search.run(value.trim().to_owned());
    let form_label = label.clone();
    view! { class=class,
        <form
            class="people-search"
            role="search"
            aria-label=form_label
            on:submit=move |ev| {
                ev.prevent_default();
                search(text.get_untracked());
            }
        >
            <div class="field">
                <label for=id.clone()>{label}</label>
                <input
                    id=id
                    class="input"
                    type="search"
                    autocomplete="off"
                    placeholder="Name or email"
                    prop:value=text
                    on:input=move |ev| text.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button">"Search"</button>
            {move || {
                (!q.get().is_empty())
                    .then(|| {
                        view! { class=class,
                            <button
                                type="button"
                                class="button"
                                on:click=move |_| {
                                    text.set(String::new());
                                    search(String::new());
                                }
                            >
                                "Clear"
                            </button>
                        }
                    })
            }}
        </form>
    }
}
