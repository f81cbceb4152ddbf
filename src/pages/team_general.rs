//! Team Settings > General: the team name, plan, seats and the team's SSO setting.

use leptos::prelude::*;

use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};

/// Team Settings > General: the team name, plan, seats and the team's SSO setting.
#[component]
pub fn TeamGeneral() -> impl IntoView {
    view! {
        <TeamSettingsFrame selected=TeamSection::General>
            <h1>"General"</h1>
        </TeamSettingsFrame>
    }
}
