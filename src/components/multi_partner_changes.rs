use leptos::prelude::*;
use partner_api::PartnerRole;
use partner_api::partnerships::TeamRef;
use partner_api::session::UserRef;
use partner_api::workspaces::PartnerMember;
use stylers_macro::style;

/// A partner team and the people of it in the workspace, in list order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamPartners {
    pub team: TeamRef,
    pub people: Vec<UserRef>,
}

/// The partner teams of a workspace with their people, in the order given.
pub fn teams_of(partners: &[PartnerMember]) -> Vec<TeamPartners> {
    let mut teams: Vec<TeamPartners> = Vec::new();
    for partner in partners {
        match teams.iter_mut().find(|t| t.team.id == partner.team.id) {
            Some(team) => team.people.push(partner.user.clone()),
            None => teams.push(TeamPartners {
                team: partner.team.clone(),
                people: vec![partner.user.clone()],
            }),
        }
    }
    teams
}

/// The Partner Editors that turning multi-partner mode on makes Viewers.
pub fn editors_of(partners: &[PartnerMember]) -> Vec<PartnerMember> {
    partners
        .iter()
        .filter(|p| p.role == PartnerRole::Editor)
        .cloned()
        .collect()
}

/// "Globex (Gina Gray, Gary Green)".
fn team_line(team: &TeamPartners) -> String {
    let people: Vec<&str> = team.people.iter().map(|p| p.name.as_str()).collect();
    format!("{} ({})", team.team.name, people.join(", "))
}

/// The body of the "Turn on/off multi-partner mode?" dialog: exactly what changes, for
/// the partners given (the publisher's view: every partner of the workspace).
#[component]
pub fn MultiPartnerChanges(
    /// Whether the dialog is about turning the mode on (otherwise off).
    turning_on: bool,
    partners: Vec<PartnerMember>,
) -> impl IntoView {
    let class = style! {
        .changes {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .change {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .change-title {
            font-weight: 600;
        }
        ul {
            margin: 0;
            padding-left: var(--space-5);
        }
        li {
            margin: 2px 0;
        }
        .detail {
            color: var(--color-text-secondary);
        }
        .keeps {
            color: var(--color-text-secondary);
        }
    };
    let teams = teams_of(&partners);
    let team_list = |testid: &'static str| {
        let items = teams
            .iter()
            .map(|team| view! { class=class, <li>{team_line(team)}</li> })
            .collect_view();
        view! { class=class, <ul data-testid=testid>{items}</ul> }
    };
    let lone_team = (teams.len() == 1).then(|| teams[0].team.name.clone());

    if turning_on {
        let editors = editors_of(&partners);
        let editors_part = if editors.is_empty() {
            view! { class=class,
                <p class="change" data-testid="editors-to-viewers">
                    "No partner is an Editor, so no one's role changes."
                </p>
            }
            .into_any()
        } else {
            let count = editors.len();
            let items = editors
                .into_iter()
                .map(|p| {
                    view! { class=class,
                        <li>
                            {p.user.name} <span class="detail">{format!(" · {} · {}", p.user.email, p.team.name)}</span>
                        </li>
                    }
                })
                .collect_view();
            let title = if count == 1 {
                "This Partner Editor becomes a Viewer, and their Editor seat becomes free:"
                    .to_owned()
            } else {
                format!(
                    "These {count} Partner Editors become Viewers, and their Editor seats become free:"
                )
            };
            view! { class=class,
                <div class="change">
                    <p class="change-title">{title}</p>
                    <ul data-testid="editors-to-viewers">{items}</ul>
                </div>
            }
            .into_any()
        };
        let teams_part = match (teams.len(), lone_team) {
            (0, _) => view! { class=class,
                <p class="change">"There are no partners yet. Partner teams you invite won't see each other."</p>
            }
            .into_any(),
            (_, Some(team)) => view! { class=class,
                <p class="change">
                    {format!(
                        "Only {team} has partners here, so no one is hidden yet. Partner teams you invite later won't see {team} or each other."
                    )}
                </p>
            }
            .into_any(),
            _ => view! { class=class,
                <div class="change">
                    <p class="change-title">"These partner teams stop seeing each other:"</p>
                    {team_list("teams-hidden")}
                </div>
            }
            .into_any(),
        };
        view! { class=class,
            <div class="changes" data-testid="multi-partner-changes">
                {editors_part}
                {teams_part}
                <p class="keeps">
                    "While it's on, partners can only be Viewers. Your team still sees everyone."
                </p>
            </div>
        }
        .into_any()
    } else {
        let teams_part = match (teams.len(), lone_team) {
            (0, _) => view! { class=class,
                <p class="change">"There are no partners yet, so no one becomes visible."</p>
            }
            .into_any(),
            (_, Some(team)) => view! { class=class,
                <p class="change">
                    {format!(
                        "Only {team} has partners here, so no one new becomes visible now. Partner teams you invite later will see each other."
                    )}
                </p>
            }
            .into_any(),
            _ => view! { class=class,
                <div class="change">
                    <p class="change-title">"Partners of these teams will see each other again:"</p>
                    {team_list("teams-visible")}
                </div>
            }
            .into_any(),
        };
        view! { class=class,
            <div class="changes" data-testid="multi-partner-changes">
                {teams_part}
                <p class="keeps">
                    "Partners stay Viewers. You can make them Editors again while seats are free."
                </p>
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partner(name: &str, team: &str, role: PartnerRole) -> PartnerMember {
        PartnerMember {
            ends_at: None,
            user: UserRef {
                id: name.into(),
                name: name.to_owned(),
                email: format!("{}@{}.test", name.to_lowercase(), team.to_lowercase()),
            },
            team: TeamRef {
                id: team.into(),
                name: team.to_owned(),
                domain: format!("{}.test", team.to_lowercase()),
            },
            sso_enforced: false,
            role,
            lead: false,
            invited_by: None,
        }
    }

    #[test]
    fn partners_group_by_team_in_order_and_only_editors_change() {
        let partners = [
            partner("Gina", "Globex", PartnerRole::Editor),
            partner("Gary", "Globex", PartnerRole::Viewer),
            partner("Ivan", "Initech", PartnerRole::Viewer),
        ];
        let teams = teams_of(&partners);
        assert_eq!(
            teams.iter().map(team_line).collect::<Vec<_>>(),
            ["Globex (Gina, Gary)", "Initech (Ivan)"]
        );
        let editors = editors_of(&partners);
        assert_eq!(editors.len(), 1);
        assert_eq!(editors[0].user.name, "Gina");
    }
}
