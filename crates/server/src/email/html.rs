//! HTML escaping for the HTML part of emails: every name and every text that comes from
//! people goes through [`escape`].

/// Escapes text for use in HTML element content and in quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_shown_as_text() {
        assert_eq!(
            escape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
        assert_eq!(
            escape(r#"Tom & "Jerry" <img src=x onerror=1>"#),
            "Tom &amp; &quot;Jerry&quot; &lt;img src=x onerror=1&gt;"
        );
        assert_eq!(escape("Ünïcode stays"), "Ünïcode stays");
        // Escaping twice shows the first escape, never un-escapes it.
        assert_eq!(escape("&lt;"), "&amp;lt;");
    }
}
