use leptos::prelude::*;

pub use crate::params::SortState;

/// `aria-sort`'s value for a state.
fn aria(state: SortState) -> &'static str {
    match state {
        SortState::None => "none",
        SortState::Ascending => "ascending",
        SortState::Descending => "descending",
    }
}

/// The arrow shown beside the label.
fn arrow(state: SortState) -> &'static str {
    match state {
        SortState::None => "↕",
        SortState::Ascending => "↑",
        SortState::Descending => "↓",
    }
}

/// A sortable column header: a real button inside a `<th aria-sort>`.
#[component]
pub fn SortHeader(
    label: &'static str,
    #[prop(into)] state: Signal<SortState>,
    #[prop(into)] on_sort: Callback<()>,
    #[prop(optional)] numeric: bool,
    #[prop(optional, into)] class: String,
) -> impl IntoView {
    view! {
        <th
            scope="col"
            class=format!("{class} {}", if numeric { "numeric" } else { "" })
            aria-sort=move || aria(state.get())
        >
            <button class=format!("{class} sort") on:click=move |_| on_sort.run(())>
                {label}
                <span class=format!("{class} arrow") aria-hidden="true">
                    {move || arrow(state.get())}
                </span>
            </button>
        </th>
    }
}
