//! Team Settings > External access: what the team's people can open in other companies' workspaces.

use leptos::prelude::*;

use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};

/// Team Settings > External access: what the team's people can open in other companies' workspaces.
#[component]
pub fn ExternalAccess() -> impl IntoView {
    view! {
        <TeamSettingsFrame selected=TeamSection::ExternalAccess>
            <h1>"External access"</h1>
        </TeamSettingsFrame>
    }
}
