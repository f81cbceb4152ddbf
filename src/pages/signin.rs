use leptos::prelude::*;
use stylers_macro::style;

/// Sign in with email and password.
#[component]
pub fn SignIn() -> impl IntoView {
    let class = style! {
        .signin {
            margin: var(--space-7) auto;
            width: min(380px, 100% - 32px);
            padding: var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        h1 {
            margin-bottom: var(--space-4);
        }
    };
    view! { class=class,
        <section class="signin" aria-labelledby="signin-title">
            <h1 id="signin-title">"Sign in to Partner Workspaces"</h1>
        </section>
    }
}
