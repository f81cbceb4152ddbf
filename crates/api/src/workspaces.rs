//! Workspaces: the tabs of `/workspaces` and the shapes of the workspace endpoints.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A tab of Workspaces > View All Workspaces (`?tab=` in both the web app and the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WorkspaceTab {
    /// Every workspace of the caller's own team.
    #[default]
    All,
    /// The caller's own team's workspaces they are a member of.
    Mine,
    /// Workspaces of other teams shared with the caller ("External Workspaces").
    SharedPartner,
}

impl WorkspaceTab {
    /// Every tab, in display order.
    pub const ALL: [Self; 3] = [Self::All, Self::Mine, Self::SharedPartner];

    /// The value used in `?tab=`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Mine => "mine",
            Self::SharedPartner => "shared_partner",
        }
    }

    /// The tab's label for people.
    pub fn label(self) -> &'static str {
        match self {
            Self::All => "All",
            Self::Mine => "My workspaces",
            Self::SharedPartner => "External Workspaces",
        }
    }

    /// Reads `?tab=`; anything unknown or missing falls back to [`WorkspaceTab::All`].
    pub fn from_query(value: Option<&str>) -> Self {
        value.and_then(|v| v.parse().ok()).unwrap_or_default()
    }
}

impl FromStr for WorkspaceTab {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|tab| tab.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for WorkspaceTab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_round_trip_and_junk_falls_back_to_all() {
        for tab in WorkspaceTab::ALL {
            assert_eq!(WorkspaceTab::from_query(Some(tab.as_str())), tab);
        }
        assert_eq!(
            WorkspaceTab::from_query(Some("overview")),
            WorkspaceTab::All
        );
        assert_eq!(WorkspaceTab::from_query(Some("")), WorkspaceTab::All);
        assert_eq!(WorkspaceTab::from_query(None), WorkspaceTab::All);
    }
}
