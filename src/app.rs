//! The router: every route of the product brief, inside the app shell.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

use crate::api::events::LiveEvents;
use crate::components::shell::Shell;
use crate::pages::access_review::AccessReview;
use crate::pages::access_reviews::AccessReviews;
use crate::pages::audit_log::AuditLog;
use crate::pages::external_access::ExternalAccess;
use crate::pages::join_team::JoinTeam;
use crate::pages::not_found::NotFound;
use crate::pages::partnerships::Partnerships;
use crate::pages::signin::SignIn;
use crate::pages::team_general::TeamGeneral;
use crate::pages::team_members::TeamMembers;
use crate::pages::team_sso::TeamSso;
use crate::pages::workspace::Workspace;
use crate::pages::workspace_settings::WorkspaceSettings;
use crate::pages::workspaces::Workspaces;
use crate::routes::{Page, TEAM_GENERAL_PATH};
use crate::session::Session;

/// The whole web app. Every page but sign-in needs someone signed in.
#[component]
pub fn App() -> impl IntoView {
    let session = Session::provide();
    // The one live-update stream: open while someone is signed in. When the server ends the
    // session, the app signs out here and a page that needs a session goes to sign in, with
    // the way back (`RequireSession`).
    let live = LiveEvents::provide();
    live.connect(
        Memo::new(move |_| session.me().map(|me| me.user.id)),
        move || session.signed_out(),
    );
    view! {
        <Router>
            <Shell>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=|| view! { <Redirect path="/workspaces" /> } />
                    <Route path=path!("/signin") view=SignIn />
                    <Route path=path!("/dev/mailbox") view=crate::pages::dev_mailbox::DevMailbox />
                    <Route
                        path=path!("/workspaces")
                        view=Workspaces
                    />
                    <Route
                        path=path!("/workspace/:id")
                        view=Workspace
                    />
                    <Route
                        path=path!("/workspace/:id/settings")
                        view=WorkspaceSettings
                    />
                    <Route path=path!("/workspace/:id/*any") view=crate::pages::workspace::WorkspaceLegacyLink />
                    <Route
                        path=path!("/settings/team")
                        view=|| view! { <Redirect path=TEAM_GENERAL_PATH /> }
                    />
                    <Route path=path!("/settings/team/general") view=TeamGeneral />
                    <Route path=path!("/settings/team/members") view=TeamMembers />
                    <Route path=path!("/settings/team/sso") view=TeamSso />
                    <Route path=path!("/settings/team/external-access") view=ExternalAccess />
                    <Route path=path!("/settings/team/audit-log") view=AuditLog />
                    <Route path=path!("/settings/team/access-reviews") view=AccessReviews />
                    <Route path=path!("/settings/team/access-reviews/:id") view=AccessReview />
                    <Route path=path!("/join/:token") view=JoinTeam />
                    <Route
                        path=path!("/settings/team/partnerships")
                        view=|| view! { <Redirect path=Page::Partnerships.href() /> }
                    />
                    <Route
                        path=path!("/settings/team/partnerships/external-partners")
                        view=Partnerships
                    />
                </Routes>
            </Shell>
        </Router>
    }
}
