use leptos::prelude::*;
use partner_api::team::{HeldGrant, HeldRole, RemovalImpact};
use stylers_macro::style;

use super::pagination::{counted, thousands};

/// "and 3 more", when a list shows fewer than there are.
pub fn more_line(listed: usize, total: u32) -> Option<String> {
    let more = u64::from(total).saturating_sub(listed as u64);
    (more > 0).then(|| format!("and {} more", thousands(more)))
}

/// What removal does to someone's sessions, in a sentence.
pub fn sessions_line(sessions: u32) -> String {
    match sessions {
        0 => "They aren't signed in anywhere right now.".to_owned(),
        n => format!(
            "They're signed out on {} at once.",
            counted(u64::from(n), "device", "devices")
        ),
    }
}

/// Exactly what removing a member ends, as `GET /api/team/members/{id}/removal` says: their
/// partner access in other companies' workspaces (workspace, publisher, role), their roles in
/// the team's own workspaces, and their sessions; capped lists say how many more.
#[component]
pub fn RemovalSummary(
    impact: RemovalImpact,
    /// The team they leave.
    #[prop(into)]
    team: String,
) -> impl IntoView {
    let class = style! {
        .removal {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        h3 {
            font-size: var(--text-sm);
        }
        ul {
            margin: var(--space-1) 0 0;
            padding: 0;
            list-style: none;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            max-height: 200px;
            overflow-y: auto;
        }
        li {
            display: flex;
            flex-wrap: wrap;
            justify-content: space-between;
            gap: 0 var(--space-3);
            padding: var(--space-2) var(--space-3);
        }
        li + li {
            border-top: 1px solid var(--color-border);
        }
        .workspace {
            font-weight: 500;
            overflow-wrap: anywhere;
        }
        .detail, .more, .after {
            color: var(--color-text-secondary);
        }
        .more {
            margin-top: var(--space-1);
            font-size: var(--text-xs);
        }
    };
    let member = &impact.member.user;
    let lede = format!("{} ({}) leaves {team} at once.", member.name, member.email);

    let grant = |g: HeldGrant| {
        view! { class=class,
            <li>
                <span class="workspace">{g.workspace.name}</span>
                <span class="detail">{format!("{} · {}", g.publisher.name, g.role.label())}</span>
            </li>
        }
    };
    let role = |r: HeldRole| {
        view! { class=class,
            <li>
                <span class="workspace">{r.workspace.name}</span>
                <span class="detail">{r.role.label()}</span>
            </li>
        }
    };

    let grants = (impact.partner_grants_total > 0).then(|| {
        let more = more_line(impact.partner_grants.len(), impact.partner_grants_total);
        let title = format!(
            "Access they lose in other companies' workspaces ({})",
            thousands(u64::from(impact.partner_grants_total))
        );
        view! { class=class,
            <section aria-labelledby="removal-grants" data-testid="removal-grants">
                <h3 id="removal-grants">{title}</h3>
                <ul>{impact.partner_grants.into_iter().map(grant).collect_view()}</ul>
                {more.map(|more| view! { class=class, <p class="more">{more}</p> })}
            </section>
        }
    });
    let roles = (impact.workspace_roles_total > 0).then(|| {
        let more = more_line(impact.workspace_roles.len(), impact.workspace_roles_total);
        let title = format!(
            "Roles they lose in your team's workspaces ({})",
            thousands(u64::from(impact.workspace_roles_total))
        );
        view! { class=class,
            <section aria-labelledby="removal-roles" data-testid="removal-roles">
                <h3 id="removal-roles">{title}</h3>
                <ul>{impact.workspace_roles.into_iter().map(role).collect_view()}</ul>
                {more.map(|more| view! { class=class, <p class="more">{more}</p> })}
            </section>
        }
    });
    let nothing =
        (impact.partner_grants_total == 0 && impact.workspace_roles_total == 0).then(|| {
            view! { class=class,
                <p>"They have no access to other companies' workspaces and no workspace roles."</p>
            }
        });

    view! { class=class,
        <div class="removal" data-testid="removal-impact">
            <p>{lede}</p>
            {grants}
            {roles}
            {nothing}
            <p data-testid="removal-sessions">{sessions_line(impact.sessions)}</p>
            <p class="after">
                "Inviting them again later doesn't bring any of this back."
            </p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_lists_say_how_many_more() {
        assert_eq!(more_line(50, 50), None);
        assert_eq!(more_line(50, 1_234).as_deref(), Some("and 1,184 more"));
        assert_eq!(more_line(3, 2), None);
    }

    #[test]
    fn sessions_read_as_devices() {
        assert_eq!(
            sessions_line(0),
            "They aren't signed in anywhere right now."
        );
        assert_eq!(sessions_line(1), "They're signed out on 1 device at once.");
        assert_eq!(sessions_line(3), "They're signed out on 3 devices at once.");
    }
}
