//! Path segments of API URLs. Ids and tokens come from the address bar and from links, so
//! each is escaped as exactly one segment: it can never reach another endpoint.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a path segment escapes: all but letters, digits, `-` and `_` (a `.` could make
/// `..`, which a browser resolves).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_');

/// `text` escaped as one path segment.
pub(super) fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::segment;

    #[test]
    fn a_segment_stays_one_segment() {
        assert_eq!(segment("abc_DEF-1"), "abc_DEF-1");
        assert_eq!(segment("../team"), "%2E%2E%2Fteam");
        assert_eq!(segment("a b?c#d"), "a%20b%3Fc%23d");
    }
}
