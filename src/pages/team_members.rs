//! Team Settings > Members: the team's people, their roles, invitations and removal.

use leptos::prelude::*;

use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};

/// Team Settings > Members: the team's people, their roles, invitations and removal.
#[component]
pub fn TeamMembers() -> impl IntoView {
    view! {
        <TeamSettingsFrame selected=TeamSection::Members>
            <h1>"Members"</h1>
        </TeamSettingsFrame>
    }
}
