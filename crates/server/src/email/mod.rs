//! Emails: what they say (`templates`, plain functions), the layout they share (`layout`),
//! how names are made safe in HTML (`html`), and how they leave the outbox (`delivery`).
//! Every email is written to the outbox in the transaction of the change that causes it
//! (see `db::outbox`).

pub mod delivery;
pub mod expiry;
pub mod html;
mod layout;
pub mod reviews;
pub mod templates;

/// One email, ready for the outbox: a text part, an HTML part and its main link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub link: Option<String>,
}

/// Absolute links into the web app, built from `--public-url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Links {
    base: String,
}

impl Links {
    /// Links under `public_url` (a trailing slash is ignored).
    pub fn new(public_url: &str) -> Self {
        Self {
            base: public_url.trim().trim_end_matches('/').to_owned(),
        }
    }

    /// The workspace page an email's "Go to workspace" opens.
    pub fn workspace(&self, id: &str) -> String {
        format!("{}/workspace/{}", self.base, path_segment(id))
    }

    /// Team Settings > Partnerships.
    pub fn partnerships(&self) -> String {
        format!("{}/settings/team/partnerships/external-partners", self.base)
    }

    /// The access requests on Team Settings > Partnerships, where they are decided.
    pub fn access_requests(&self) -> String {
        format!("{}#access-requests", self.partnerships())
    }

    /// The page a team invitation's link opens.
    pub fn join_team(&self, token: &str) -> String {
        format!("{}/join/{}", self.base, path_segment(token))
    }

    /// One access review's page.
    pub fn review(&self, id: &str) -> String {
        format!(
            "{}/settings/team/access-reviews/{}",
            self.base,
            path_segment(id)
        )
    }

    /// Workspaces > View All Workspaces > External Workspaces.
    pub fn external_workspaces(&self) -> String {
        format!("{}/workspaces?tab=shared_partner", self.base)
    }
}

/// Ids are opaque: anything but unreserved characters is percent-encoded.
pub(crate) fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_absolute_and_ids_cannot_break_out_of_their_segment() {
        let links = Links::new("https://partners.example.com/ ");
        assert_eq!(
            links.workspace("ab12"),
            "https://partners.example.com/workspace/ab12"
        );
        assert_eq!(
            links.workspace("../x?y"),
            "https://partners.example.com/workspace/..%2Fx%3Fy"
        );
        assert_eq!(
            links.partnerships(),
            "https://partners.example.com/settings/team/partnerships/external-partners"
        );
    }
}
