//! Plans and roles.

use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal / $label:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The name used on the wire and in the database.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire),+
                }
            }

            /// The name shown to people.
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$variant => $label),+
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($wire => Ok(Self::$variant),)+
                    _ => Err(()),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;

wire_enum!(
    /// A team's plan; Partner Editor seats are a paid add-on of Professional and Enterprise.
    Plan {
        Free => "free" / "Free",
        Professional => "professional" / "Professional",
        Enterprise => "enterprise" / "Enterprise",
    }
);

wire_enum!(
    /// A person's role in their own team.
    TeamRole {
        Admin => "admin" / "Team Admin",
        Member => "member" / "Member",
    }
);

wire_enum!(
    /// A publisher member's role in one of their team's workspaces.
    WorkspaceRole {
        Admin => "admin" / "Workspace Admin",
        Editor => "editor" / "Editor",
        Viewer => "viewer" / "Viewer",
    }
);

wire_enum!(
    /// A partner's role in a workspace: Viewers are free, Editors take a paid seat.
    PartnerRole {
        Viewer => "viewer" / "Viewer",
        Editor => "editor" / "Editor",
    }
);

wire_enum!(
    /// What the caller is in a workspace.
    YourRole {
        Admin => "admin" / "Workspace Admin",
        Editor => "editor" / "Editor",
        Viewer => "viewer" / "Viewer",
        PartnerEditor => "partner_editor" / "Partner Editor",
        PartnerViewer => "partner_viewer" / "Partner Viewer",
    }
);

impl YourRole {
    /// Whether the caller is a partner (from another team) in this workspace.
    pub fn is_partner(self) -> bool {
        matches!(self, Self::PartnerEditor | Self::PartnerViewer)
    }
}

impl From<WorkspaceRole> for YourRole {
    fn from(role: WorkspaceRole) -> Self {
        match role {
            WorkspaceRole::Admin => Self::Admin,
            WorkspaceRole::Editor => Self::Editor,
            WorkspaceRole::Viewer => Self::Viewer,
        }
    }
}

impl From<PartnerRole> for YourRole {
    fn from(role: PartnerRole) -> Self {
        match role {
            PartnerRole::Viewer => Self::PartnerViewer,
            PartnerRole::Editor => Self::PartnerEditor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_wire_names() {
        for role in PartnerRole::ALL {
            assert_eq!(role.as_str().parse::<PartnerRole>(), Ok(*role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert!("owner".parse::<PartnerRole>().is_err());
        assert!(serde_json::from_str::<PartnerRole>("\"owner\"").is_err());
        assert!(YourRole::from(PartnerRole::Editor).is_partner());
    }
}
