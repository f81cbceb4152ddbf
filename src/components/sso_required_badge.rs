use leptos::prelude::*;

use super::badge::{Badge, Tone};
use super::icon::IconName;

/// The text of the badge.
pub const SSO_REQUIRED: &str = "SSO required";

/// "SSO required": a publisher requires a partner team's people to open its workspaces from
/// an SSO session (Partnerships rows and drawer; External Workspaces rows).
#[component]
pub fn SsoRequiredBadge() -> impl IntoView {
    view! { <Badge text=SSO_REQUIRED.to_owned() tone=Tone::Accent icon=IconName::Shield /> }
}
