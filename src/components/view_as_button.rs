use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::hooks::use_navigate;
use partner_api::view_as::StartViewAs;
use partner_api::{UserId, WorkspaceId};

use super::error_panel::explain;
use super::toast::{ToastKind, use_toasts};
use crate::api;
use crate::session::use_session;

/// "View as Uma Ueda": starts a read-only view of our workspaces as that partner sees them
/// (one workspace, or all of ours shared with them), then opens where the view starts. The
/// server decides who may; a refusal shows as a toast.
#[component]
pub fn ViewAsButton(
    partner: UserId,
    #[prop(into)] partner_name: String,
    /// The one workspace to view; `None` for every workspace of ours shared with them.
    #[prop(optional)]
    workspace: Option<WorkspaceId>,
    /// Extra classes ("small").
    #[prop(optional, into)]
    class: String,
) -> impl IntoView {
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let label = format!("View as {partner_name}");
    let request = StoredValue::new(StartViewAs { partner, workspace });
    let name = StoredValue::new(partner_name);

    let start = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::view_as::start(&request.get_value()).await {
                Ok(view) => {
                    session.view_started();
                    navigate(&view.start_path, Default::default());
                }
                Err(error) => {
                    toasts.show(
                        ToastKind::Error,
                        format!("Couldn't view as {}: {}", name.get_value(), explain(&error)),
                    );
                }
            }
            pending.set(false);
        });
    };

    view! {
        <button
            type="button"
            class=format!("button {class}")
            aria-label=label
            disabled=pending
            aria-busy=move || pending.get().then_some("true")
            on:click=start
        >
            {move || if pending.get() { "Opening…" } else { "View as" }}
        </button>
    }
}
