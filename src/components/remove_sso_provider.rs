use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::sso::SsoSettings;
use stylers_macro::style;

use super::confirm_dialog::ConfirmDialog;
use super::error_panel::explain;
use super::toast::{ToastKind, use_toasts};
use crate::api;

/// What removing the provider does, in plain words.
pub fn removal_consequences(required: bool) -> Vec<&'static str> {
    let mut lines = vec![
        "Your people can't sign in with SSO any more; they sign in with their passwords.",
        "Publishers that require SSO of your team keep your people out of their workspaces \
         until a provider is set up again.",
    ];
    if required {
        lines.push(
            "“Require SSO for our people” stays on but has no effect until a provider is set up \
             again.",
        );
    }
    lines
}

/// "Remove provider…": removes the team's identity provider after a confirmation that says
/// what changes (`DELETE /api/team/sso`).
#[component]
pub fn RemoveSsoProvider(settings: RwSignal<SsoSettings>) -> impl IntoView {
    let class = style! {
        .remove-provider {
            display: flex;
            flex-direction: column;
            align-items: flex-start;
            gap: var(--space-2);
        }
        ul {
            margin: 0;
            padding-left: var(--space-5);
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
    };
    let toasts = use_toasts();
    let open = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let remove = move |()| {
        pending.set(true);
        error.set(None);
        spawn_local_scoped_with_cancellation(async move {
            match api::sso::remove_provider().await {
                Ok(()) => {
                    open.set(false);
                    toasts.show(
                        ToastKind::Success,
                        "The identity provider is removed. Your people sign in with passwords.",
                    );
                    settings.update(|s| s.provider = None);
                }
                Err(failure) => error.set(Some(explain(&failure))),
            }
            pending.set(false);
        });
    };
    let consequences = move || {
        removal_consequences(settings.with(|s| s.required))
            .into_iter()
            .map(|line| view! { class=class, <li>{line}</li> })
            .collect_view()
    };
    view! { class=class,
        <div class="remove-provider">
            <button type="button" class="button button-danger" on:click=move |_| {
                error.set(None);
                open.set(true);
            }>
                "Remove provider…"
            </button>
            <ConfirmDialog
                open=open
                title="Remove your identity provider?".to_owned()
                confirm_label="Remove provider".to_owned()
                pending_label="Removing…".to_owned()
                pending=pending
                error=error
                danger=true
                on_confirm=remove
                on_cancel=move |()| open.set(false)
            >
                <ul class=class>{consequences}</ul>
            </ConfirmDialog>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removing_says_what_happens_to_a_required_setting_too() {
        assert_eq!(removal_consequences(false).len(), 2);
        assert!(removal_consequences(true)[2].contains("Require SSO for our people"));
    }
}
