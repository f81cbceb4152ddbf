//! The page a team invitation's link opens: join the team by signing in, or signing up.

use leptos::prelude::*;

/// `/join/:token`.
#[component]
pub fn JoinTeam() -> impl IntoView {
    view! { <h1>"Join your team"</h1> }
}
