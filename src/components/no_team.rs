use leptos::prelude::*;

use super::no_permission::NoPermission;
use crate::session::use_session;

/// In place of Team Settings for someone who belongs to no team (they left or were
/// removed): why there is nothing to show, and how to get back into a team.
#[component]
pub fn NoTeam() -> impl IntoView {
    let me = use_session().me();
    view! {
        <NoPermission
            title="You're not in a team"
            advice="Team settings belong to a team, and your account isn't in one: you may have \
                    left it or been removed. To join your company's team, ask one of its Team \
                    Admins to invite you; the email has a link that adds you."
            me=me
        />
    }
}
