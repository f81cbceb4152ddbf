use leptos::prelude::*;
use stylers_macro::style;

/// The sentence under a list the server capped: how many more match, and how to find them.
pub fn unlisted_sentence(count: u32, one: &str, many: &str, how: &str) -> String {
    if count == 1 {
        format!("1 more {one} isn't listed. {how}")
    } else {
        format!("{count} more {many} aren't listed. {how}")
    }
}

/// A list's "N more" line: nothing when everything is listed.
#[component]
pub fn UnlistedNote(
    count: u32,
    #[prop(into)] one: String,
    #[prop(into)] many: String,
    /// What finds them ("Search by name or email to find them.").
    #[prop(into)]
    how: String,
) -> impl IntoView {
    let class = style! {
        .unlisted-note {
            margin: 0;
            padding: var(--space-2) var(--space-4);
            color: var(--color-text-secondary);
            font-size: var(--text-sm);
        }
    };
    (count > 0).then(|| {
        view! { class=class,
            <p class="unlisted-note" role="note">{unlisted_sentence(count, &one, &many, &how)}</p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_counts_in_words_people_use() {
        assert_eq!(
            unlisted_sentence(1, "partner", "partners", "Search to find them."),
            "1 more partner isn't listed. Search to find them."
        );
        assert_eq!(
            unlisted_sentence(43, "partner", "partners", "Search to find them."),
            "43 more partners aren't listed. Search to find them."
        );
    }
}
