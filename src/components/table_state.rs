//! What a paged table of the server's rows shows, and the shape of its body: one
//! definition for every such table (Partnerships' teams, External access's grants).

use leptos::prelude::*;
use partner_api::Paginated;

use super::error_panel::ErrorPanel;
use super::skeleton_rows::SkeletonRows;
use crate::api::ApiError;

/// What a paged table shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableState<T> {
    /// The first page has not arrived yet: skeleton rows.
    Loading,
    /// The list could not be loaded: what happened, and Retry.
    Failed(ApiError),
    /// One page of rows (possibly none).
    Loaded(Paginated<T>),
}

/// Which of its states a table is in (its body changes shape only when this does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Loading,
    Failed,
    Empty,
    Rows,
}

impl<T: Clone> TableState<T> {
    /// The shape of the body.
    pub fn shape(&self) -> Shape {
        match self {
            Self::Loading => Shape::Loading,
            Self::Failed(_) => Shape::Failed,
            Self::Loaded(page) if page.items.is_empty() => Shape::Empty,
            Self::Loaded(_) => Shape::Rows,
        }
    }

    /// Why the list failed (a network error when it hasn't).
    pub fn error(&self) -> ApiError {
        match self {
            Self::Failed(error) => error.clone(),
            _ => ApiError::Network,
        }
    }

    /// The rows of the page, if one has arrived.
    pub fn rows(&self) -> Vec<T> {
        match self {
            Self::Loaded(page) => page.items.clone(),
            _ => Vec::new(),
        }
    }

    /// The page, when it has rows (for its pagination).
    pub fn page_with_rows(&self) -> Option<&Paginated<T>> {
        match self {
            Self::Loaded(page) if !page.items.is_empty() => Some(page),
            _ => None,
        }
    }
}

/// How a paged table's body looks while it has no rows to show.
pub struct StatusRows {
    /// Columns the table has.
    pub columns: usize,
    /// Skeleton rows while the first page loads.
    pub skeleton: usize,
    /// The table's scoped style class (its `.message` cell holds the failure).
    pub class: &'static str,
    /// Load the list again after a failure.
    pub on_retry: Callback<()>,
}

impl StatusRows {
    /// Skeleton rows, the failure with Retry, or `empty` — for the body's shape; nothing
    /// when it has rows. `empty` is worded for each new (empty) answer, not for what is
    /// being typed while the next one loads, so it runs again when `state` changes.
    pub fn view<T>(
        &self,
        shape: Shape,
        state: Signal<TableState<T>>,
        empty: impl Fn() -> AnyView + Send + Sync + 'static,
    ) -> AnyView
    where
        T: Clone + Send + Sync + 'static,
    {
        let (columns, class, on_retry) = (self.columns, self.class, self.on_retry);
        match shape {
            Shape::Loading => {
                view! { <SkeletonRows rows=self.skeleton columns=columns /> }.into_any()
            }
            Shape::Failed => {
                let error = state.with_untracked(TableState::error);
                view! { class=class,
                    <tr>
                        <td class="message" colspan=columns>
                            <ErrorPanel error=error on_retry=on_retry />
                        </td>
                    </tr>
                }
                .into_any()
            }
            Shape::Empty => (move || {
                state.track();
                empty()
            })
            .into_any(),
            Shape::Rows => ().into_any(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shape_follows_the_state() {
        let page = |items: Vec<u8>| Paginated {
            total: items.len() as u64,
            items,
            page: 1,
            per_page: 50,
        };
        assert_eq!(TableState::<u8>::Loading.shape(), Shape::Loading);
        assert_eq!(
            TableState::<u8>::Failed(ApiError::Network).shape(),
            Shape::Failed
        );
        assert_eq!(TableState::Loaded(page(vec![])).shape(), Shape::Empty);
        let rows = TableState::Loaded(page(vec![1, 2]));
        assert_eq!(rows.shape(), Shape::Rows);
        assert_eq!(rows.rows(), [1, 2]);
        assert!(TableState::Loaded(page(vec![])).page_with_rows().is_none());
    }
}
