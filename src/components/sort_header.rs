use leptos::prelude::*;

/// Which way a column is sorted, for `aria-sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortState {
    None,
    Ascending,
    Descending,
}

impl SortState {
    fn aria(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Ascending => "ascending",
            Self::Descending => "descending",
        }
    }

    fn arrow(self) -> &'static str {
        match self {
            Self::None => "↕",
            Self::Ascending => "↑",
            Self::Descending => "↓",
        }
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
            aria-sort=move || state.get().aria()
        >
            <button class=format!("{class} sort") on:click=move |_| on_sort.run(())>
                {label}
                <span class=format!("{class} arrow") aria-hidden="true">
                    {move || state.get().arrow()}
                </span>
            </button>
        </th>
    }
}
