//! A team's verified domains, each with its "Verified" badge (Team Settings > General and
//! Single sign-on), or a sentence when there is none.

use leptos::prelude::*;
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::icon::IconName;

/// The list, labelled by the heading with id `labelled_by`; `empty` when there is none.
#[component]
pub fn VerifiedDomains(
    domains: Vec<String>,
    labelled_by: &'static str,
    empty: &'static str,
) -> impl IntoView {
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            max-width: 560px;
        }
        li {
            display: flex;
            align-items: center;
            justify-content: space-between;
            gap: var(--space-3);
            min-height: 40px;
            padding: var(--space-2) var(--space-4);
            overflow-wrap: anywhere;
        }
        li + li {
            border-top: 1px solid var(--color-border);
        }
        .domain {
            font-weight: 500;
        }
        .none {
            color: var(--color-text-secondary);
            margin: 0;
        }
    };
    if domains.is_empty() {
        return view! { class=class, <p class="none">{empty}</p> }.into_any();
    }
    let rows = domains
        .into_iter()
        .map(|domain| {
            view! { class=class,
                <li>
                    <span class="domain">{domain}</span>
                    <Badge text="Verified" tone=Tone::Success icon=IconName::Check />
                </li>
            }
        })
        .collect_view();
    view! { class=class, <ul aria-labelledby=labelled_by>{rows}</ul> }.into_any()
}
