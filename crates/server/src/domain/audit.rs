//! How audit entries show values: what people saw, not what the database stores.

use std::str::FromStr;

/// The label of a stored value (a role, a visibility) as people see it; the stored text
/// itself if it is not one.
pub fn shown<T: FromStr>(stored: &str, label: fn(T) -> &'static str) -> String {
    stored
        .parse::<T>()
        .map_or_else(|_| stored.to_owned(), |value| label(value).to_owned())
}

/// A switch's state.
pub fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}

#[cfg(test)]
mod tests {
    use partner_api::workspaces::Visibility;
    use partner_api::{PartnerRole, TeamRole};

    use super::*;

    #[test]
    fn stored_values_show_as_labels() {
        assert_eq!(shown("editor", PartnerRole::label), "Editor");
        assert_eq!(shown("admin", TeamRole::label), "Team Admin");
        assert_eq!(shown("internal", Visibility::label), "Internal");
        assert_eq!(shown("mystery", PartnerRole::label), "mystery");
        assert_eq!(on_off(true), "on");
    }
}
