use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::hooks::use_navigate;
use partner_api::view_as::ViewAs;
use stylers_macro::style;

use super::error_panel::explain;
use super::icon::{Icon, IconName};
use crate::api;
use crate::params::partnerships::PartnershipsParams;
use crate::routes::Page;
use crate::session::use_session;

/// "Viewing Fraud Signals as Uma Ueda (Umbrella) — read-only": what is in view, through whose
/// eyes.
pub fn view_as_sentence(view: &ViewAs) -> String {
    let what = view.workspace.as_ref().map_or_else(
        || format!("{}’s workspaces", view.publisher.name),
        |workspace| workspace.name.clone(),
    );
    format!(
        "Viewing {what} as {} ({}) — read-only",
        view.partner.name, view.partner_team.name
    )
}

/// Where Exit leads: the settings of the workspace in view, or the partner team in
/// Partnerships.
pub fn exit_path(view: &ViewAs) -> String {
    match &view.workspace {
        Some(workspace) => Page::WorkspaceSettings(workspace.id.as_str()).href(),
        None => PartnershipsParams::default()
            .with_team(Some(view.partner_team.id.clone()))
            .href(),
    }
}

/// The banner at the top of every page while a view as partner is on: what is in view,
/// that nothing can be changed, and Exit (back to where the view started).
#[component]
pub fn ViewAsBanner(view: ViewAs) -> impl IntoView {
    let class = style! {
        .view-as-banner {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2) var(--space-4);
            padding: var(--space-2) var(--space-4);
            background: var(--color-warning-soft);
            border-bottom: 2px solid var(--color-warning);
            color: var(--color-text);
        }
        .what {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-weight: 600;
            min-width: 0;
            overflow-wrap: anywhere;
        }
        .mark {
            flex: none;
            display: inline-flex;
            color: var(--color-warning);
        }
        .note {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .exit {
            margin-left: auto;
        }
        .failure {
            flex-basis: 100%;
            color: var(--color-danger);
        }
    };
    let session = use_session();
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let sentence = view_as_sentence(&view);
    let back = StoredValue::new(exit_path(&view));
    let note = format!(
        "You see what {} sees. Changes are turned off.",
        view.partner.name
    );

    let exit = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        let navigate = navigate.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::view_as::exit().await {
                Ok(()) => {
                    session.view_changed();
                    navigate(&back.get_value(), Default::default());
                }
                Err(error) => {
                    failure.set(Some(format!("The view didn't end. {}", explain(&error))));
                }
            }
            pending.set(false);
        });
    };

    // A view just started here: the banner takes the focus, so the change is announced.
    let banner = NodeRef::<leptos::html::Aside>::new();
    Effect::new(move |_| {
        if let Some(element) = banner.get()
            && session.take_view_focus()
        {
            let _ = element.focus();
        }
    });

    view! { class=class,
        <aside
            class="view-as-banner"
            aria-label="View as partner"
            data-testid="view-as-banner"
            tabindex="-1"
            node_ref=banner
        >
            <p class="what">
                <span class="mark" aria-hidden="true">
                    <Icon name=IconName::Users />
                </span>
                <span>{sentence}</span>
            </p>
            <span class="note">{note}</span>
            <button
                type="button"
                class="button exit"
                disabled=pending
                aria-busy=move || pending.get().then_some("true")
                on:click=exit
            >
                {move || if pending.get() { "Exiting…" } else { "Exit view" }}
            </button>
            {move || {
                failure
                    .get()
                    .map(|message| view! { class=class, <p class="failure" role="alert">{message}</p> })
            }}
        </aside>
    }
}
