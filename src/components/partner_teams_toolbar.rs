use leptos::prelude::*;
use partner_api::partnerships::SsoFilter;
use stylers_macro::style;

use super::debounced_search::DebouncedSearch;

/// Search and the SSO filter above the partner teams table. The search runs once typing
/// pauses (or on Enter); both show what the URL says, so back/forward and Clear update them.
#[component]
pub fn PartnerTeamsToolbar(
    /// The search in the URL.
    #[prop(into)]
    q: Signal<String>,
    /// The filter in the URL.
    #[prop(into)]
    sso: Signal<Option<SsoFilter>>,
    /// Typing paused (debounced), or Enter was pressed.
    #[prop(into)]
    on_search: Callback<String>,
    #[prop(into)] on_sso: Callback<Option<SsoFilter>>,
) -> impl IntoView {
    let class = style! {
        .toolbar {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-3);
            margin-bottom: var(--space-3);
        }
        .search {
            position: relative;
            flex: 1 1 280px;
            max-width: 420px;
        }
        .search .input {
            padding-left: 32px;
            padding-right: 32px;
        }
        .search-icon {
            position: absolute;
            left: 10px;
            top: 10px;
            width: 16px;
            height: 16px;
            color: var(--color-text-secondary);
            pointer-events: none;
        }
        .clear {
            position: absolute;
            right: 4px;
            top: 4px;
            width: 28px;
            height: 28px;
            display: grid;
            place-items: center;
            border: none;
            border-radius: var(--radius-control);
            background: none;
            color: var(--color-text-secondary);
            cursor: pointer;
        }
        .clear:hover {
            color: var(--color-text);
            background: var(--color-surface);
        }
        .filter {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .filter label {
            color: var(--color-text-secondary);
            font-weight: 500;
        }
        select {
            height: 36px;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        @media (max-width: 640px) {
            .search {
                max-width: none;
                flex-basis: 100%;
            }
        }
    };

    let search = DebouncedSearch::new(q, on_search);
    let text = search.text;
    let send = move |value: String| search.send(value);
    let on_input = move |ev| search.input(event_target_value(&ev));
    let on_filter = move |ev| {
        on_sso.run(event_target_value(&ev).parse().ok());
    };

    view! { class=class,
        <form
            class="toolbar"
            role="search"
            aria-label="Partner teams"
            on:submit=move |ev| {
                ev.prevent_default();
                send(text.get_untracked());
            }
        >
            <div class="search">
                <label for="partner-search" class="visually-hidden">
                    "Search partner teams"
                </label>
                <svg
                    class="search-icon"
                    viewBox="0 0 16 16"
                    fill="none"
                    stroke="currentColor"
                    stroke-width="1.5"
                    stroke-linecap="round"
                    aria-hidden="true"
                >
                    <circle cx="7" cy="7" r="4.5"></circle>
                    <path d="m10.5 10.5 3.5 3.5"></path>
                </svg>
                <input
                    id="partner-search"
                    class="input"
                    type="text"
                    autocomplete="off"
                    placeholder="Search by team name or domain"
                    prop:value=text
                    on:input=on_input
                />
                {move || {
                    (!text.get().is_empty())
                        .then(|| {
                            view! { class=class,
                                <button
                                    type="button"
                                    class="clear"
                                    aria-label="Clear search"
                                    on:click=move |_| {
                                        text.set(String::new());
                                        send(String::new());
                                    }
                                >
                                    <span aria-hidden="true">"✕"</span>
                                </button>
                            }
                        })
                }}
            </div>
            <div class="filter">
                <label for="sso-filter">"SSO"</label>
                <select id="sso-filter" on:change=on_filter>
                    <option value="" prop:selected=move || sso.get().is_none()>
                        "All partner teams"
                    </option>
                    {SsoFilter::ALL
                        .iter()
                        .map(|filter| {
                            let filter = *filter;
                            view! {
                                <option
                                    value=filter.as_str()
                                    prop:selected=move || sso.get() == Some(filter)
                                >
                                    {filter.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </form>
    }
}
