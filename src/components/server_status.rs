use leptos::prelude::*;
use stylers_macro::style;

use crate::api;

/// Whether the server (and its database) answers, with Retry when it does not.
#[component]
pub fn ServerStatus() -> impl IntoView {
    let health = LocalResource::new(api::health::get);
    let class = style! {
        .server-status {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .dot {
            width: 8px;
            height: 8px;
            border-radius: 50%;
            background: var(--color-text-secondary);
        }
        .online .dot {
            background: var(--color-success);
        }
        .offline {
            color: var(--color-danger);
        }
        .offline .dot {
            background: var(--color-danger);
        }
        .retry {
            height: 24px;
            padding: 0 var(--space-2);
            font-size: var(--text-xs);
        }
    };
    let state = move || {
        Suspend::new(async move {
            match health.await {
                Ok(health) => view! { class=class,
                    <span class="server-status online" title=format!("Server {}", health.version)>
                        <span class="dot" aria-hidden="true"></span>
                        {format!("Server online · schema {}", health.schema_version)}
                    </span>
                }
                .into_any(),
                Err(error) => view! { class=class,
                    <span class="server-status offline" title=error.to_string()>
                        <span class="dot" aria-hidden="true"></span>
                        "Server unreachable"
                        <button class="button retry" on:click=move |_| health.refetch()>
                            "Retry"
                        </button>
                    </span>
                }
                .into_any(),
            }
        })
    };
    view! { class=class,
        <div role="status" aria-live="polite" data-testid="server-status">
            <Transition fallback=move || {
                view! { class=class,
                    <span class="server-status">
                        <span class="dot" aria-hidden="true"></span>
                        "Checking server…"
                    </span>
                }
            }>{state}</Transition>
        </div>
    }
}
