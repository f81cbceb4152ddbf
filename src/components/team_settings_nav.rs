use leptos::prelude::*;
use stylers_macro::style;

use crate::routes::{
    ACCESS_REVIEWS_PATH, AUDIT_LOG_PATH, EXTERNAL_ACCESS_PATH, PARTNERSHIPS_PATH,
    TEAM_GENERAL_PATH, TEAM_MEMBERS_PATH, TEAM_SSO_PATH,
};
use crate::session::use_session;
use partner_api::TeamRole;

/// The sections of Team Settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TeamSection {
    General,
    Members,
    Sso,
    Partnerships,
    ExternalAccess,
    AuditLog,
    AccessReviews,
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
        a {
            display: block;
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius-control);
            color: var(--color-text);
            text-decoration: none;
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
    let current = move |section: TeamSection| (section == selected).then_some("page");
    // The session mirrors `TeamSettings.permissions.read_audit_log` (Team Admins and Partner
    // Managers: the same people as Partnerships), without one more request on every page of
    // Team Settings; the page itself asks the team's permissions, and the server decides.
    let session = use_session();
    let audit_log = move || {
        let shown = selected == TeamSection::AuditLog
            || session.me().is_some_and(|me| me.can_manage_partnerships());
        shown.then(|| {
            view! { class=class,
                <li>
                    <a href=AUDIT_LOG_PATH aria-current=current(TeamSection::AuditLog)>
                        "Audit log"
                    </a>
                </li>
            }
        })
    };
    // Team Admins set up the team's identity provider.
    let sso = move || {
        let shown = selected == TeamSection::Sso
            || session
                .me()
                .is_some_and(|me| me.team.is_some() && me.team_role == Some(TeamRole::Admin));
        shown.then(|| {
            view! { class=class,
                <li>
                    <a href=TEAM_SSO_PATH aria-current=current(TeamSection::Sso)>
                        "Single sign-on"
                    </a>
                </li>
            }
        })
    };
    // Every member of a team: the list says kindly when none of its reviews is theirs.
    let access_reviews = move || {
        let shown = selected == TeamSection::AccessReviews
            || session.me().is_some_and(|me| me.team.is_some());
        shown.then(|| {
            view! { class=class,
                <li>
                    <a
                        href=ACCESS_REVIEWS_PATH
                        aria-current=current(TeamSection::AccessReviews)
                    >
                        "Access reviews"
                    </a>
                </li>
            }
        })
    };
    view! { class=class,
        <div class="team-settings">
            <aside>
                <p class="heading" id="team-settings-heading">"Team Settings"</p>
                <nav aria-labelledby="team-settings-heading">
                    <ul>
                        <li>
                            <a href=TEAM_GENERAL_PATH aria-current=current(TeamSection::General)>
                                "General"
                            </a>
                        </li>
                        <li>
                            <a href=TEAM_MEMBERS_PATH aria-current=current(TeamSection::Members)>
                                "Members"
                            </a>
                        </li>
                        {sso}
                        <li>
                            <a href=PARTNERSHIPS_PATH aria-current=current(TeamSection::Partnerships)>
                                "Partnerships"
                            </a>
                        </li>
                        <li>
                            <a
                                href=EXTERNAL_ACCESS_PATH
                                aria-current=current(TeamSection::ExternalAccess)
                            >
                                "External access"
                            </a>
                        </li>
                        {audit_log}
                        {access_reviews}
                    </ul>
                </nav>
            </aside>
            <div class="content">{children()}</div>
        </div>
    }
}
