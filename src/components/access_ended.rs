use leptos::prelude::*;
use partner_api::{Me, WorkspaceTab};
use stylers_macro::style;

use super::badge::Tone;
use super::icon::IconName;
use super::no_access::account_line;
use super::notice_page::NoticePage;
use super::switch_account::SwitchAccount;
use crate::routes::Page;

/// What to do when partner access ended with the team it belonged to.
pub fn next_step(me: &Me) -> String {
    match &me.team {
        Some(team) => format!(
            "Ask the team that owns this workspace to invite you again, this time as part of {}.",
            team.name
        ),
        None => "Ask your company's Team Admin to add you to your current team, then ask the \
                 team that owns this workspace to invite you from that team."
            .to_owned(),
    }
}

/// The page for a partner whose access ended because they left (or were removed from) the
/// team it belonged to: what happened, why, and what to do. Never the workspace's name.
#[component]
pub fn AccessEnded(#[prop(into)] workspace_id: String, me: Me) -> impl IntoView {
    let class = style! {
        .who {
            font-size: var(--text-md);
        }
        .why {
            color: var(--color-text-secondary);
        }
        .steps {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding: var(--space-4) var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        h2 {
            font-size: var(--text-md);
        }
        ul {
            margin: 0;
            padding-left: var(--space-5);
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            align-items: center;
        }
    };
    let here = Page::Workspace(&workspace_id).href();
    let step = next_step(&me);
    view! { class=class,
        <NoticePage
            icon=IconName::Alert
            tone=Tone::Warning
            title="Your access to this workspace has ended"
        >
            <p class="who">
                "You're signed in as " <strong>{account_line(&me)}</strong> "."
            </p>
            <p class="why">
                "Partner access belongs to a team, not to a person. Your access came through the \
                 team you were part of, and it ended when you left that team."
            </p>
            <div class="steps">
                <h2>"What you can do"</h2>
                <ul>
                    <li>{step}</li>
                    <li>
                        "If the link was meant for another of your accounts, switch to it and \
                         you'll come straight back here."
                    </li>
                </ul>
            </div>
            <div class="actions">
                <SwitchAccount next=here />
                <a class="button" href=Page::Workspaces(WorkspaceTab::All).href()>
                    "Go to your workspaces"
                </a>
            </div>
        </NoticePage>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::Plan;
    use partner_api::session::{MyTeam, UserRef};

    use super::*;

    #[test]
    fn the_next_step_depends_on_whether_there_is_a_team_now() {
        let mut ed = Me {
            user: UserRef {
                id: "u_ed".into(),
                name: "Ed Evans".to_owned(),
                email: "ed@globex.test".to_owned(),
            },
            team: None,
            team_role: None,
            is_partner_manager: false,
        };
        assert!(next_step(&ed).contains("Team Admin to add you"));
        ed.team = Some(MyTeam {
            id: "t".into(),
            name: "Initech".to_owned(),
            plan: Plan::Professional,
        });
        assert!(next_step(&ed).ends_with("as part of Initech."));
    }
}
