use leptos::prelude::*;
use partner_api::external_access::PublisherCount;
use partner_api::{PartnerRole, TeamId};
use stylers_macro::style;

use super::debounced_search::DebouncedSearch;
use super::pagination::thousands;

/// The label of a publisher in the filter: "Acme Payments (2)".
pub fn publisher_option(count: &PublisherCount) -> String {
    format!(
        "{} ({})",
        count.publisher.name,
        thousands(count.grants.into())
    )
}

/// Search, publisher and role above the External access table. The search runs once typing
/// pauses (or on Enter); every control shows what the URL says, so back/forward and Clear
/// update them.
#[component]
pub fn ExternalAccessFilters(
    /// The search in the URL.
    #[prop(into)]
    q: Signal<String>,
    /// The publisher in the URL.
    #[prop(into)]
    publisher: Signal<Option<TeamId>>,
    /// The role in the URL.
    #[prop(into)]
    role: Signal<Option<PartnerRole>>,
    /// Every publisher the team's people can open something of, with how many grants.
    #[prop(into)]
    publishers: Signal<Vec<PublisherCount>>,
    /// Typing paused (debounced), or Enter was pressed.
    #[prop(into)]
    on_search: Callback<String>,
    #[prop(into)] on_publisher: Callback<Option<TeamId>>,
    #[prop(into)] on_role: Callback<Option<PartnerRole>>,
) -> impl IntoView {
    let class = style! {
        .filters {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-3);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .search {
            flex: 1 1 260px;
            max-width: 380px;
        }
        label {
            color: var(--color-text-secondary);
            font-weight: 500;
            font-size: var(--text-xs);
        }
        select {
            height: 36px;
            max-width: 100%;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        .publisher select {
            min-width: 200px;
        }
        @media (max-width: 640px) {
            .search, .publisher, .role {
                max-width: none;
                flex: 1 1 100%;
            }
            .publisher select {
                min-width: 0;
            }
        }
    };

    let search = DebouncedSearch::new(q, on_search);
    let text = search.text;
    let send = move |value: String| search.send(value);
    let on_input = move |ev| search.input(event_target_value(&ev));

    // A publisher in the URL that is not listed (its access just ended, or an old link)
    // stays selected, so the select never claims to show every publisher.
    let unlisted = move || {
        let chosen = publisher.get()?;
        let listed = publishers.with(|list| list.iter().any(|p| p.publisher.id == chosen));
        (!listed).then(|| {
            view! {
                <option value=chosen.to_string() selected>
                    "A publisher no one can open anything of now"
                </option>
            }
        })
    };

    view! { class=class,
        <form
            class="filters"
            role="search"
            aria-label="External access"
            on:submit=move |ev| {
                ev.prevent_default();
                send(text.get_untracked());
            }
        >
            <div class="field search">
                <label for="external-search">"Search"</label>
                <input
                    id="external-search"
                    class="input"
                    type="search"
                    autocomplete="off"
                    placeholder="Person, email or workspace"
                    prop:value=text
                    on:input=on_input
                />
            </div>
            <div class="field publisher">
                <label for="external-publisher">"Publisher"</label>
                <select
                    id="external-publisher"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        on_publisher.run((!value.is_empty()).then(|| TeamId::from(value.as_str())));
                    }
                >
                    <option value="" prop:selected=move || publisher.with(Option::is_none)>
                        "All publishers"
                    </option>
                    {unlisted}
                    <For
                        each=move || publishers.get()
                        key=|count| (count.publisher.id.clone(), count.grants, count.publisher.name.clone())
                        let:count
                    >
                        {
                            let id = count.publisher.id.clone();
                            let label = publisher_option(&count);
                            view! {
                                <option
                                    value=id.to_string()
                                    prop:selected=move || publisher.with(|p| p.as_ref() == Some(&id))
                                >
                                    {label}
                                </option>
                            }
                        }
                    </For>
                </select>
            </div>
            <div class="field role">
                <label for="external-role">"Role"</label>
                <select
                    id="external-role"
                    on:change=move |ev| on_role.run(event_target_value(&ev).parse().ok())
                >
                    <option value="" prop:selected=move || role.get().is_none()>
                        "All roles"
                    </option>
                    {PartnerRole::ALL
                        .iter()
                        .map(|option| {
                            let option = *option;
                            view! {
                                <option
                                    value=option.as_str()
                                    prop:selected=move || role.get() == Some(option)
                                >
                                    {option.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::workspaces::Publisher;

    use super::*;

    #[test]
    fn a_publisher_reads_with_its_count() {
        let count = PublisherCount {
            publisher: Publisher {
                id: "t_acme".into(),
                name: "Acme Payments".to_owned(),
            },
            grants: 1200,
        };
        assert_eq!(publisher_option(&count), "Acme Payments (1,200)");
    }
}
