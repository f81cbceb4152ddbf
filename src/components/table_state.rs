//! What a paged table of the server's rows shows, and the shape of its body: one
//! definition for every such table (Partnerships' teams, External access's grants).

use partner_api::Paginated;

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
