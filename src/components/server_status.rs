use leptos::prelude::*;
use stylers_macro::style;

use crate::api;

/// Says so, with Retry, when the server (or its database) can't be reached; nothing while
/// it answers (its version and schema are an operator's detail, in `GET /api/health`).
#[component]
pub fn ServerStatus() -> impl IntoView {
    let health = LocalResource::new(api::health::get);
    let class = style! {
        .server-status {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-size: var(--text-xs);
            color: var(--color-danger);
        }
        .dot {
            width: 8px;
            height: 8px;
            border-radius: 50%;
            background: var(--color-danger);
        }
        .retry {
            height: 24px;
            padding: 0 var(--space-2);
            font-size: var(--text-xs);
        }
    };
    let problem = move || {
        health.get().and_then(Result::err).map(|error| {
            view! { class=class,
                <span class="server-status" title=error.to_string()>
                    <span class="dot" aria-hidden="true"></span>
                    "Can't reach the server"
                    <button class="button retry" on:click=move |_| health.refetch()>
                        "Retry"
                    </button>
                </span>
            }
        })
    };
    // The live region is always there, so that a problem is announced when it appears;
    // busy until the first answer.
    let checking = move || health.read().is_none().then_some("true");
    view! { class=class,
        <div role="status" aria-live="polite" aria-busy=checking data-testid="server-status">
            {problem}
        </div>
    }
}
