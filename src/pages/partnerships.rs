use leptos::prelude::*;
use stylers_macro::style;

use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};

/// Team Settings > Partnerships: partner teams, SSO, access requests and seats.
#[component]
pub fn Partnerships() -> impl IntoView {
    let class = style! {
        header {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            margin-bottom: var(--space-5);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
    };
    view! {
        <TeamSettingsFrame selected=TeamSection::Partnerships>
            <header class=class>
                <h1>"Partnerships"</h1>
                <p class=format!("{class} lede")>
                    "Partner teams from other companies who can open your partner workspaces, \
                     and whether they sign in with SSO."
                </p>
            </header>
        </TeamSettingsFrame>
    }
}
