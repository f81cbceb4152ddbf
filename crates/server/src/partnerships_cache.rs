//! Pages of Team Settings > Partnerships already answered, as the JSON that was sent.
//!
//! A page is kept with the version of its publisher's list it was answered at (migrations
//! 0004 and 0008 draw a new random version at every change to the list, whoever makes it:
//! this server, another one, or SQL; a random version, unlike a count, never comes back
//! standing for other content when an older copy of the database is restored). A request
//! reads the current version first and is answered from here only when the kept page has
//! that version, so nothing stale is ever served; what
//! the cache saves is the search, the sort and the JSON of the page. Memory is bounded by
//! the bytes kept (`--list-cache-mb`); 0 turns the cache off.

use std::sync::Arc;

use axum::body::Bytes;
use partner_api::PageRequest;
use partner_api::partnerships::{PartnershipSort, SsoFilter};
use quick_cache::Weighter;
use quick_cache::sync::Cache;

/// Which page of which publisher's list, exactly as asked (the search already trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKey {
    publisher: String,
    q: Option<String>,
    sso: Option<SsoFilter>,
    sort: PartnershipSort,
    page: u32,
    per_page: u32,
}

impl ListKey {
    pub fn new(
        publisher: &str,
        q: Option<&str>,
        sso: Option<SsoFilter>,
        sort: PartnershipSort,
        page: PageRequest,
    ) -> Self {
        Self {
            publisher: publisher.to_owned(),
            q: q.map(str::to_owned),
            sso,
            sort,
            page: page.page(),
            per_page: page.per_page(),
        }
    }
}

#[derive(Clone)]
struct Kept {
    version: i64,
    body: Bytes,
}

/// Weighs a kept page by its bytes (and a little for the key and bookkeeping).
#[derive(Clone)]
struct ByBytes;

impl Weighter<ListKey, Kept> for ByBytes {
    fn weight(&self, key: &ListKey, kept: &Kept) -> u64 {
        (kept.body.len() + key.publisher.len() + key.q.as_ref().map_or(0, String::len) + 64) as u64
    }
}

/// The kept pages; cheap to clone (shared).
#[derive(Clone)]
pub struct PartnershipsCache {
    pages: Option<Arc<Cache<ListKey, Kept, ByBytes>>>,
}

impl PartnershipsCache {
    /// Keeps up to `megabytes` of pages; 0 keeps none.
    pub fn new(megabytes: u64) -> Self {
        let bytes = megabytes * 1024 * 1024;
        Self {
            // ~8 KB a page of 50 teams.
            pages: (bytes > 0).then(|| {
                Arc::new(Cache::with_weighter(
                    (bytes / 8192).max(16) as usize,
                    bytes,
                    ByBytes,
                ))
            }),
        }
    }

    /// The page as answered at `version`, if it is kept.
    pub fn get(&self, key: &ListKey, version: i64) -> Option<Bytes> {
        let kept = self.pages.as_ref()?.get(key)?;
        (kept.version == version).then_some(kept.body)
    }

    /// Keeps a page answered at `version` (the version read before the page was).
    pub fn insert(&self, key: ListKey, version: i64, body: Bytes) {
        if let Some(pages) = &self.pages {
            pages.insert(key, Kept { version, body });
        }
    }
}

#[cfg(test)]
mod tests {
    use partner_api::partnerships::PartnershipSortKey;

    use super::*;

    fn key(publisher: &str, q: Option<&str>, page: u32) -> ListKey {
        ListKey::new(
            publisher,
            q,
            None,
            PartnershipSort::default(),
            PageRequest::new(Some(page), Some(50)).unwrap(),
        )
    }

    #[test]
    fn a_page_is_served_only_at_the_version_it_was_answered_at() {
        let cache = PartnershipsCache::new(1);
        cache.insert(key("acme", Some("glo"), 1), 7, Bytes::from_static(b"{}"));
        assert_eq!(cache.get(&key("acme", Some("glo"), 1), 7).unwrap(), "{}");
        assert!(cache.get(&key("acme", Some("glo"), 1), 8).is_none());
        assert!(cache.get(&key("acme", Some("glo"), 2), 7).is_none());
        assert!(cache.get(&key("acme", Some("gl"), 1), 7).is_none());
        assert!(cache.get(&key("hooli", Some("glo"), 1), 7).is_none());
        let sorted = ListKey::new(
            "acme",
            Some("glo"),
            None,
            PartnershipSort {
                key: PartnershipSortKey::Partners,
                descending: true,
            },
            PageRequest::new(Some(1), Some(50)).unwrap(),
        );
        assert!(cache.get(&sorted, 7).is_none());
        let enforced = ListKey::new(
            "acme",
            Some("glo"),
            Some(SsoFilter::Enforced),
            PartnershipSort::default(),
            PageRequest::new(Some(1), Some(50)).unwrap(),
        );
        assert!(cache.get(&enforced, 7).is_none());
    }

    #[test]
    fn memory_is_bounded_and_zero_keeps_nothing() {
        let off = PartnershipsCache::new(0);
        off.insert(key("acme", None, 1), 1, Bytes::from_static(b"{}"));
        assert!(off.get(&key("acme", None, 1), 1).is_none());

        let cache = PartnershipsCache::new(1);
        let page = Bytes::from(vec![b' '; 8192]);
        for n in 1..=1000 {
            cache.insert(key("acme", None, n), 1, page.clone());
        }
        let kept = (1..=1000)
            .filter(|&n| cache.get(&key("acme", None, n), 1).is_some())
            .count();
        assert!(
            (64..128).contains(&kept),
            "1 MiB keeps about 120 pages of 8 KiB, kept {kept}"
        );
    }
}
