//! Lists: `?page=1&per_page=50` in, `{items,total,page,per_page}` out.

use serde::{Deserialize, Serialize};

/// Default page size.
pub const DEFAULT_PER_PAGE: u32 = 50;
/// Largest page size a client may ask for.
pub const MAX_PER_PAGE: u32 = 200;

/// One page of a list, with the total across all pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paginated<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// A checked page request: `page ≥ 1`, `1 ≤ per_page ≤ 200`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

/// Why a page request was refused: (field, reason).
pub type PageError = (&'static str, &'static str);

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

impl PageRequest {
    /// Checks raw query values (missing ones take their defaults).
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Result<Self, PageError> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 {
            return Err(("page", "Pages start at 1."));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(("per_page", "per_page must be between 1 and 200."));
        }
        Ok(Self { page, per_page })
    }

    /// The 1-based page number.
    pub fn page(self) -> u32 {
        self.page
    }

    /// Items per page.
    pub fn per_page(self) -> u32 {
        self.per_page
    }

    /// Rows to skip.
    pub fn offset(self) -> u64 {
        u64::from(self.page - 1) * u64::from(self.per_page)
    }

    /// Wraps a page of items.
    pub fn wrap<T>(self, items: Vec<T>, total: u64) -> Paginated<T> {
        Paginated {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

impl<T> Paginated<T> {
    /// The number of pages (at least 1, so "page 1 of 1" reads right for an empty list).
    pub fn page_count(&self) -> u64 {
        self.total.div_ceil(u64::from(self.per_page.max(1))).max(1)
    }

    /// 1-based positions of the first and last item shown ("1–50 of 10,000").
    pub fn range(&self) -> (u64, u64) {
        let start = u64::from(self.page.saturating_sub(1)) * u64::from(self.per_page);
        let shown = self.items.len() as u64;
        if shown == 0 {
            (0, 0)
        } else {
            (start + 1, start + shown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_bounds_are_checked() {
        assert_eq!(
            PageRequest::new(None, None).unwrap(),
            PageRequest::default()
        );
        assert!(PageRequest::new(Some(0), None).is_err());
        assert!(PageRequest::new(None, Some(0)).is_err());
        assert!(PageRequest::new(None, Some(201)).is_err());
        assert_eq!(PageRequest::new(Some(3), Some(200)).unwrap().offset(), 400);
    }

    #[test]
    fn ranges_read_like_people_expect() {
        let page = PageRequest::new(Some(2), Some(50))
            .unwrap()
            .wrap(vec![(); 50], 10_000);
        assert_eq!(page.range(), (51, 100));
        assert_eq!(page.page_count(), 200);
        let empty = PageRequest::default().wrap(Vec::<()>::new(), 0);
        assert_eq!((empty.range(), empty.page_count()), ((0, 0), 1));
    }
}
