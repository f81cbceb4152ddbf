use leptos::prelude::*;
use stylers_macro::style;

use crate::routes::PARTNERSHIPS_PATH;

/// The sections of Team Settings (only Partnerships is built so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamSection {
    General,
    Members,
    Partnerships,
}

/// The left navigation of Team Settings, with the page beside it.
#[component]
pub fn TeamSettingsFrame(selected: TeamSection, children: Children) -> impl IntoView {
    let class = style! {
        .team-settings {
            display: grid;
            grid-template-columns: var(--sidebar-width) minmax(0, 1fr);
            flex: 1;
        }
        aside {
            border-right: 1px solid var(--color-border);
            padding: var(--space-5) var(--space-3);
        }
        .heading {
            font-size: var(--text-xs);
            font-weight: 600;
            text-transform: uppercase;
            letter-spacing: 0.5px;
            color: var(--color-text-secondary);
            padding: 0 var(--space-3) var(--space-2);
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        a, .soon {
            display: block;
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius-control);
            color: var(--color-text);
            text-decoration: none;
        }
        .soon {
            color: var(--color-text-secondary);
        }
        .soon small {
            display: block;
            font-size: var(--text-xs);
        }
        a[aria-current="page"] {
            background: var(--color-accent-soft);
            font-weight: 600;
        }
        .content {
            padding: var(--space-5) var(--space-6);
            max-width: var(--content-max);
        }
        @media (max-width: 640px) {
            .team-settings {
                grid-template-columns: minmax(0, 1fr);
            }
            aside {
                border-right: none;
                border-bottom: 1px solid var(--color-border);
            }
            .content {
                padding: var(--space-4);
            }
        }
    };
    let current = |section: TeamSection| (section == selected).then_some("page");
    view! { class=class,
        <div class="team-settings">
            <aside>
                <p class="heading" id="team-settings-heading">"Team Settings"</p>
                <nav aria-labelledby="team-settings-heading">
                    <ul>
                        <li>
                            <span class="soon">
                                "General" <small>"Team name, plan and SSO — coming soon"</small>
                            </span>
                        </li>
                        <li>
                            <span class="soon">
                                "Members" <small>"Your team's people and roles — coming soon"</small>
                            </span>
                        </li>
                        <li>
                            <a href=PARTNERSHIPS_PATH aria-current=current(TeamSection::Partnerships)>
                                "Partnerships"
                            </a>
                        </li>
                    </ul>
                </nav>
            </aside>
            <div class="content">{children()}</div>
        </div>
    }
}
