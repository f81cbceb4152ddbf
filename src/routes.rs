//! Every client-side path of the app, so links are built in one place.

use partner_api::WorkspaceTab;

/// A page of the app; [`Page::href`] gives its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page<'a> {
    /// Team Settings > Partnerships.
    Partnerships,
    /// Workspaces, on one tab.
    Workspaces(WorkspaceTab),
    /// One workspace (the page email links open).
    Workspace(&'a str),
    /// One workspace's settings.
    WorkspaceSettings(&'a str),
    /// The sign-in page.
    SignIn,
}

/// The path of Team Settings > Partnerships.
pub const PARTNERSHIPS_PATH: &str = "/settings/team/partnerships/external-partners";

impl Page<'_> {
    /// The path (and query) of this page.
    pub fn href(&self) -> String {
        match self {
            Self::Partnerships => PARTNERSHIPS_PATH.to_owned(),
            Self::Workspaces(WorkspaceTab::All) => "/workspaces".to_owned(),
            Self::Workspaces(tab) => format!("/workspaces?tab={tab}"),
            Self::Workspace(id) => format!("/workspace/{id}"),
            Self::WorkspaceSettings(id) => format!("/workspace/{id}/settings"),
            Self::SignIn => "/signin".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_have_the_paths_of_the_product_brief() {
        assert_eq!(
            Page::Workspaces(WorkspaceTab::SharedPartner).href(),
            "/workspaces?tab=shared_partner"
        );
        assert_eq!(
            Page::WorkspaceSettings("w1").href(),
            "/workspace/w1/settings"
        );
        assert_eq!(
            Page::Partnerships.href(),
            "/settings/team/partnerships/external-partners"
        );
    }
}
