use leptos::prelude::*;
use stylers_macro::style;

/// Formats a count with thousands separators ("10,000").
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A count with its noun, with thousands separators ("1 workspace", "1,401 workspaces").
pub fn counted(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{} {many}", thousands(n))
    }
}

/// "1–50 of 10,000" with Previous / Next links (each page is its own URL).
#[component]
pub fn Pagination(
    /// First and last position shown (1-based; (0, 0) when empty).
    range: (u64, u64),
    total: u64,
    /// Where Previous goes, if there is a previous page.
    prev: Option<String>,
    /// Where Next goes, if there is a next page.
    next: Option<String>,
    /// Stay where the page is scrolled when changing pages (the list sits below other
    /// content, so going to the top would lose it).
    #[prop(optional)]
    keep_scroll: bool,
    /// The navigation's name, when a page has more than one list ("Pages" otherwise).
    #[prop(optional)]
    label: Option<&'static str>,
) -> impl IntoView {
    let class = style! {
        .pagination {
            display: flex;
            align-items: center;
            justify-content: flex-end;
            gap: var(--space-3);
            padding: var(--space-3) 0;
            color: var(--color-text-secondary);
            font-variant-numeric: tabular-nums;
        }
        .disabled {
            opacity: 0.5;
            pointer-events: none;
        }
    };
    let summary = if total == 0 {
        "No results".to_owned()
    } else {
        format!(
            "{}–{} of {}",
            thousands(range.0),
            thousands(range.1),
            thousands(total)
        )
    };
    let link = move |href: Option<String>, label: &'static str, rel: &'static str| match href {
        Some(href) => view! { class=class,
            <a class="button" href=href rel=rel data-noscroll=keep_scroll.then_some("")>
                {label}
            </a>
        }
        .into_any(),
        None => view! { class=class,
            <span class="button disabled" aria-disabled="true">{label}</span>
        }
        .into_any(),
    };
    view! { class=class,
        <nav class="pagination" aria-label=label.unwrap_or("Pages")>
            <span aria-live="polite">{summary}</span>
            {link(prev, "Previous", "prev")}
            {link(next, "Next", "next")}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::{counted, thousands};

    #[test]
    fn counts_read_with_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(counted(1, "person", "people"), "1 person");
        assert_eq!(counted(1_401, "person", "people"), "1,401 people");
    }
}
