//! The layout every email shares. An email is written once, block by block, and each block
//! goes into both parts: the text part shows blocks as plain lines a blank line apart, the
//! HTML part as markup spaced here and framed by [`frame`].

use std::fmt::Write as _;

use super::Message;
use super::html::escape;

/// An email being written: its text part and the blocks of its HTML body, side by side.
pub(super) struct Email {
    text: String,
    html: Vec<Block>,
}

/// One block of the HTML body, as markup whose names are escaped already.
enum Block {
    Paragraph(String),
    /// A list or a table: it keeps its own spacing.
    Group(String),
    /// Buttons carry no margin: the paragraphs around them keep their distance.
    Button(String),
}

impl Email {
    /// Every email opens with "Hi {name},".
    pub(super) fn greeting(name: &str) -> Self {
        let mut email = Self {
            text: String::new(),
            html: Vec::new(),
        };
        email.push_text(&format!("Hi {name},"));
        email
            .html
            .push(Block::Paragraph(format!("Hi {},", escape(name))));
        email
    }

    /// A paragraph: `text` for the text part, `html` (names escaped) for the HTML part.
    pub(super) fn paragraph(mut self, text: &str, html: &str) -> Self {
        self.push_text(text);
        self.html.push(Block::Paragraph(html.to_owned()));
        self
    }

    /// A paragraph that names nobody, so both parts say it with the same words.
    pub(super) fn fixed_paragraph(self, text: &'static str) -> Self {
        self.paragraph(text, text)
    }

    /// A paragraph of its own in the HTML part that the text part puts on the next line of
    /// the block before, not a blank line apart.
    pub(super) fn next_line(mut self, text: &str, html: &str) -> Self {
        self.text.push_str(text);
        self.text.push('\n');
        self.html.push(Block::Paragraph(html.to_owned()));
        self
    }

    /// A bulleted list: "- item" lines in the text part; in the HTML part, items `item_gap`
    /// apart. Each item is its text and its markup (names escaped).
    pub(super) fn list(
        mut self,
        item_gap: &'static str,
        items: impl IntoIterator<Item = (String, String)>,
    ) -> Self {
        let mut lines = String::new();
        let mut markup = String::new();
        for (text, html) in items {
            let _ = writeln!(lines, "- {text}");
            let _ = writeln!(markup, "<li style=\"margin:0 0 {item_gap}\">{html}</li>");
        }
        // The lines end with their own newline; an empty list still keeps its place.
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(&lines);
        self.html.push(Block::Group(format!(
            "<ul style=\"margin:0 0 16px;padding-left:20px\">\n{markup}</ul>"
        )));
        self
    }

    /// The main action: "{lead}: {url}" in the text part, a button `label` in the HTML part.
    pub(super) fn action(mut self, lead: &str, label: &str, url: &str) -> Self {
        self.push_text(&format!("{lead}: {url}"));
        self.html.push(Block::Button(button(url, label)));
        self
    }

    /// One action for each of several targets: in the text part a block "{name}\n{label}:
    /// {url}" each, in the HTML part a table of names, each beside its button.
    pub(super) fn actions<'a>(
        mut self,
        label: &str,
        targets: impl IntoIterator<Item = (&'a str, String)>,
    ) -> Self {
        let mut rows = String::new();
        for (name, url) in targets {
            self.push_text(&format!("{name}\n{label}: {url}"));
            let _ = writeln!(
                rows,
                "<tr><td style=\"padding:8px 16px 8px 0\"><strong>{}</strong></td>\
                 <td style=\"padding:8px 0\">{}</td></tr>",
                escape(name),
                button(&url, label),
            );
        }
        self.html.push(Block::Group(format!(
            "<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px\">\n\
             {rows}</table>"
        )));
        self
    }

    /// Where a partner always finds their workspaces, after `lead` ("You'll also find it"):
    /// the path through the app, with External Workspaces linked to `url`.
    pub(super) fn external_workspaces(self, lead: &'static str, url: &str) -> Self {
        let text =
            format!("{lead} under Workspaces > View All Workspaces > External Workspaces:\n{url}");
        let html = format!(
            "{lead} under Workspaces &gt; View All Workspaces &gt; \
             <a href=\"{}\">External Workspaces</a>.",
            escape(url)
        );
        self.paragraph(&text, &html)
    }

    /// The finished email to `to`, whose main link is `link`.
    pub(super) fn message(self, to: &str, subject: String, link: String) -> Message {
        Message {
            to: to.to_owned(),
            html: frame(&subject, &self.body()),
            subject,
            text: self.text,
            link: Some(link),
        }
    }

    /// Blocks are a blank line apart; each ends with its newline.
    fn push_text(&mut self, block: &str) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text.push_str(block);
        self.text.push('\n');
    }

    /// The HTML body: a paragraph keeps 16px from a button, 12px from anything else, and
    /// the last one ends the card with no margin below.
    fn body(&self) -> String {
        let mut body = String::new();
        for (i, block) in self.html.iter().enumerate() {
            match block {
                Block::Paragraph(markup) => {
                    let after_button = i > 0 && matches!(self.html[i - 1], Block::Button(_));
                    let top = if after_button { "16px" } else { "0" };
                    let bottom = match self.html.get(i + 1) {
                        None => "0",
                        Some(Block::Button(_)) => "16px",
                        Some(_) => "12px",
                    };
                    let margin = match (top, bottom) {
                        ("0", "0") => "0".to_owned(),
                        _ => format!("{top} 0 {bottom}"),
                    };
                    let _ = writeln!(body, "<p style=\"margin:{margin}\">{markup}</p>");
                }
                Block::Group(markup) | Block::Button(markup) => {
                    body.push_str(markup);
                    body.push('\n');
                }
            }
        }
        body
    }
}

/// A link styled as a button (email clients ignore stylesheets).
fn button(href: &str, label: &str) -> String {
    format!(
        "<a href=\"{}\" style=\"display:inline-block;background:#0b5cad;color:#ffffff;\
         text-decoration:none;padding:8px 16px;border-radius:6px;font-weight:600\">{}</a>",
        escape(href),
        escape(label)
    )
}

/// The frame every email shares: head, page and card around the body.
fn frame(subject: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n\
         <html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:24px;background:#f6f8fa;color:#1f2328;\
         font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:14px;line-height:1.5\">\n\
         <div style=\"max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d1d9e0;\
         border-radius:10px;padding:24px\">\n\
         <p style=\"margin:0 0 16px;font-size:12px;color:#59636e\">Partner Workspaces</p>\n\
         {body}\
         </div>\n</body>\n</html>\n",
        title = escape(subject),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_keep_their_distance_from_buttons_and_the_last_one_ends_the_card() {
        let m = Email::greeting("Ann <A>")
            .fixed_paragraph("Before.")
            .action("Go there", "Go", "https://x.test/a?b=1&c=2")
            .fixed_paragraph("After.")
            .message(
                "ann@x.test",
                "Hello & welcome".into(),
                "https://x.test".into(),
            );
        assert!(m.html.contains(
            "<p style=\"margin:0 0 12px\">Hi Ann &lt;A&gt;,</p>\n\
             <p style=\"margin:0 0 16px\">Before.</p>\n\
             <a href=\"https://x.test/a?b=1&amp;c=2\""
        ));
        assert!(
            m.html
                .contains(">Go</a>\n<p style=\"margin:16px 0 0\">After.</p>\n</div>")
        );
        assert!(m.html.contains("<title>Hello &amp; welcome</title>"));
        assert_eq!(
            m.text,
            "Hi Ann <A>,\n\nBefore.\n\nGo there: https://x.test/a?b=1&c=2\n\nAfter.\n"
        );
    }

    #[test]
    fn the_text_part_runs_next_lines_on_and_lists_line_by_line() {
        let m = Email::greeting("Ann")
            .fixed_paragraph("One.")
            .next_line("Two.", "Two.")
            .list("4px", [("a".to_owned(), "a".to_owned())])
            .list("4px", [])
            .fixed_paragraph("End.")
            .message("ann@x.test", "S".into(), "https://x.test".into());
        assert_eq!(m.text, "Hi Ann,\n\nOne.\nTwo.\n\n- a\n\n\nEnd.\n");
        assert!(m.html.contains(
            "<p style=\"margin:0 0 12px\">One.</p>\n<p style=\"margin:0 0 12px\">Two.</p>\n"
        ));
        assert!(
            m.html
                .contains("<li style=\"margin:0 0 4px\">a</li>\n</ul>\n")
        );
        assert!(m.html.contains("<p style=\"margin:0\">End.</p>\n</div>"));
    }
}
