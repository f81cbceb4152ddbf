use leptos::prelude::*;
use partner_api::ErrorCode;
use stylers_macro::style;

use super::icon::{Icon, IconName};
use crate::api::ApiError;

/// What a person can do about an error, in plain words.
pub fn advice(error: &ApiError) -> &'static str {
    match error {
        ApiError::Network => "Check your connection, then try again.",
        ApiError::Unexpected { .. } => "Reload the page. If it keeps happening, tell us.",
        ApiError::Server { code, .. } => match code {
            ErrorCode::Unauthenticated => "Sign in again to continue.",
            ErrorCode::Forbidden | ErrorCode::NotFound => {
                "Ask a Team Admin if you think you should have access."
            }
            ErrorCode::RateLimited => "Wait a moment, then try again.",
            ErrorCode::Internal | ErrorCode::Unavailable => "Try again in a moment.",
            _ => "Check what you entered, then try again.",
        },
    }
}

/// What happened and what to do, in one sentence pair, for toasts and inline errors.
pub fn explain(error: &ApiError) -> String {
    match error.code() {
        Some(
            ErrorCode::Unauthenticated
            | ErrorCode::Forbidden
            | ErrorCode::NotFound
            | ErrorCode::Internal
            | ErrorCode::Unavailable
            | ErrorCode::Other,
        ) => format!("{error} {}", advice(error)),
        // The network and unexpected answers, and the server's rule messages (no free seat,
        // already a partner…), already say what to do.
        _ => error.to_string(),
    }
}

/// An error in place of content: what happened, what to do, and Retry.
#[component]
pub fn ErrorPanel(
    error: ApiError,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let class = style! {
        .error-panel {
            display: flex;
            gap: var(--space-3);
            align-items: flex-start;
            padding: var(--space-4);
            border: 1px solid var(--color-danger);
            border-radius: var(--radius-card);
            background: var(--color-danger-soft);
            color: var(--color-text);
        }
        .mark {
            color: var(--color-danger);
            padding-top: 2px;
        }
        .body {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            align-items: flex-start;
        }
        .what {
            font-weight: 600;
        }
    };
    let advice = advice(&error);
    view! { class=class,
        <div class="error-panel" role="alert">
            <span class="mark">
                <Icon name=IconName::Alert />
            </span>
            <div class="body">
                <p class="what">{error.to_string()}</p>
                <p>{advice}</p>
                {on_retry
                    .map(|retry| {
                        view! {
                            <button class="button" on:click=move |_| retry.run(())>
                                "Retry"
                            </button>
                        }
                    })}
            </div>
        </div>
    }
}
