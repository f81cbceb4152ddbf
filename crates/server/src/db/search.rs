//! How a search of Team Settings > Partnerships is answered (the store writes its SQL):
//! which index finds the candidates, with the values it binds. Pure, so each form is tested
//! without a database.

use crate::db::like_pattern;

/// The characters `partnership_summaries.chars_mask` tracks, one bit each, in order
/// (migration 0003).
const MASK_CHARS: &str = "abcdefghijklmnopqrstuvwxyz0123456789.-";

/// The bit of a character in `chars_mask`, ignoring ASCII case.
fn mask_bit(c: char) -> Option<i64> {
    MASK_CHARS
        .find(c.to_ascii_lowercase())
        .map(|position| 1 << position)
}

/// The bits of every tracked character of `text`.
fn chars_mask(text: &str) -> i64 {
    text.chars()
        .filter_map(mask_bit)
        .fold(0, |mask, bit| mask | bit)
}

/// Trigrams of a search that are looked up at most; LIKE confirms the rest.
const MAX_TRIGRAMS: usize = 6;

/// The trigrams a search of three or more characters looks up in `partnership_trigrams`
/// (migration 0010): distinct, lowered as the index lowers (ASCII only, as LIKE folds case),
/// at most [`MAX_TRIGRAMS`] of them spread over the search.
pub fn trigrams(q: &str) -> Vec<String> {
    let chars: Vec<char> = q.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut all: Vec<String> = chars.windows(3).map(|w| w.iter().collect()).collect();
    all.dedup();
    let mut seen = std::collections::BTreeSet::new();
    all.retain(|t| seen.insert(t.clone()));
    if all.len() <= MAX_TRIGRAMS {
        return all;
    }
    let last = all.len() - 1;
    (0..MAX_TRIGRAMS)
        .map(|i| all[i * last / (MAX_TRIGRAMS - 1)].clone())
        .collect()
}

/// How a search of the partner teams list is answered. Either way a team matches when `q`
/// is part of its name or domain, ignoring ASCII case (SQLite's LIKE), and only the caller's
/// own entries of any index are read: a search costs what the publisher's list holds, not
/// what other companies have.
pub enum Search {
    /// No search: the totals are kept per publisher.
    None,
    /// One letter, digit, dot or dash: `chars_mask` says whether a team has it, and the
    /// totals are kept per publisher and character.
    Char { bit: i64 },
    /// One or two characters the other forms can't take: every partner team of the
    /// publisher is checked, from an index that holds name, domain and `chars_mask`. `mask`
    /// holds the bits of the characters of `q` that `chars_mask` tracks, for a quick look
    /// before LIKE.
    Scan { like: String, mask: i64 },
    /// Two ASCII characters: the publisher's trigrams that begin with them find the
    /// candidates (every occurrence begins one: migration 0010), LIKE confirms. `from..to`
    /// spans those trigrams.
    Pair {
        like: String,
        from: String,
        to: String,
    },
    /// Three characters or more: the teams of the publisher that have every looked-up
    /// trigram are the candidates, LIKE confirms.
    Indexed {
        like: String,
        trigrams: String,
        count: i64,
    },
}

impl Search {
    pub fn new(q: Option<&str>) -> Self {
        let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
            return Self::None;
        };
        let like = like_pattern(q);
        if q.chars().count() >= 3 && !q.chars().any(char::is_control) {
            let trigrams = trigrams(q);
            Self::Indexed {
                like,
                count: trigrams.len() as i64,
                trigrams: serde_json::Value::from(trigrams).to_string(),
            }
        } else {
            let mut chars = q.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some(c), None, _) if mask_bit(c).is_some() => Self::Char {
                    bit: mask_bit(c).map_or(0, |bit| i64::from(bit.trailing_zeros())),
                },
                (Some(a), Some(b), None)
                    if q.is_ascii() && !q.chars().any(|c| c.is_ascii_control()) =>
                {
                    let from: String = [a, b].iter().map(char::to_ascii_lowercase).collect();
                    let next = char::from(b.to_ascii_lowercase() as u8 + 1);
                    let to = format!("{}{next}", a.to_ascii_lowercase());
                    Self::Pair { like, from, to }
                }
                _ => Self::Scan {
                    mask: chars_mask(q),
                    like,
                },
            }
        }
    }

    pub fn like(&self) -> Option<&str> {
        match self {
            Self::None | Self::Char { .. } => None,
            Self::Scan { like, .. } | Self::Pair { like, .. } | Self::Indexed { like, .. } => {
                Some(like)
            }
        }
    }

    pub fn range(&self) -> (Option<&str>, Option<&str>) {
        match self {
            Self::Pair { from, to, .. } => (Some(from), Some(to)),
            _ => (None, None),
        }
    }

    pub fn bit(&self) -> Option<i64> {
        match self {
            Self::Char { bit } => Some(*bit),
            _ => None,
        }
    }

    pub fn mask(&self) -> i64 {
        match self {
            Self::Char { bit } => 1 << bit,
            Self::Scan { mask, .. } => *mask,
            _ => 0,
        }
    }

    pub fn trigrams(&self) -> (Option<&str>, i64) {
        match self {
            Self::Indexed {
                trigrams, count, ..
            } => (Some(trigrams), *count),
            _ => (None, 0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_look_up_a_few_distinct_lowered_trigrams() {
        assert_eq!(trigrams("aaaa"), ["aaa"]);
        assert_eq!(
            trigrams("Ünï"),
            ["Ünï"],
            "only ASCII is folded, as LIKE folds"
        );
        let long = trigrams("northwind partner 00042");
        assert_eq!(long.len(), MAX_TRIGRAMS);
        assert_eq!(long.first().map(String::as_str), Some("nor"));
        assert_eq!(long.last().map(String::as_str), Some("042"));
    }

    #[test]
    fn the_mask_tracks_letters_digits_dots_and_dashes_ignoring_case() {
        assert_eq!(mask_bit('a'), Some(1));
        assert_eq!(mask_bit('N'), mask_bit('n'));
        assert_eq!(mask_bit('-'), Some(1 << 37));
        assert_eq!(mask_bit('ü'), None);
        assert_eq!(mask_bit('%'), None);
        assert_eq!(chars_mask("No"), (1 << 13) | (1 << 14));
    }

    #[test]
    fn one_tracked_character_needs_no_like_and_anything_else_does() {
        assert!(matches!(Search::new(Some(" N ")), Search::Char { bit: 13 }));
        assert!(matches!(Search::new(Some("-")), Search::Char { bit: 37 }));
        for q in ["%", "ü", "aü", "ü%"] {
            assert!(matches!(Search::new(Some(q)), Search::Scan { .. }), "{q}");
        }
        match Search::new(Some("No")) {
            Search::Pair { from, to, .. } => assert_eq!((from.as_str(), to.as_str()), ("no", "np")),
            _ => panic!("two ASCII characters use the trigrams"),
        }
        match Search::new(Some("GloBex")) {
            Search::Indexed {
                trigrams, count, ..
            } => {
                assert_eq!(trigrams, r#"["glo","lob","obe","bex"]"#);
                assert_eq!(count, 4);
            }
            _ => panic!("three characters or more use the trigrams"),
        }
        assert!(matches!(Search::new(Some("a%")), Search::Pair { .. }));
        assert!(matches!(Search::new(Some("nor")), Search::Indexed { .. }));
        assert!(matches!(Search::new(Some("a\u{0}b")), Search::Scan { .. }));
        assert!(matches!(Search::new(Some("   ")), Search::None));
    }
}
