use leptos::prelude::*;
use partner_api::YourRole;
use partner_api::partnerships::TeamRef;
use partner_api::session::UserRef;
use partner_api::workspaces::{Members, PartnerMember};
use stylers_macro::style;

use super::account_menu::initials;
use super::badge::{Badge, Tone};
use super::icon::{Icon, IconName};
use super::unlisted_note::UnlistedNote;

/// One partner team in a workspace and its people there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerTeam {
    pub team: TeamRef,
    pub sso_enforced: bool,
    pub partners: Vec<PartnerMember>,
}

/// Groups partners by their team, teams in name order, people in the order given.
pub fn group_by_team(partners: Vec<PartnerMember>) -> Vec<PartnerTeam> {
    let mut teams: Vec<PartnerTeam> = Vec::new();
    for partner in partners {
        match teams.iter_mut().find(|t| t.team.id == partner.team.id) {
            Some(team) => team.partners.push(partner),
            None => teams.push(PartnerTeam {
                team: partner.team.clone(),
                sso_enforced: partner.sso_enforced,
                partners: vec![partner],
            }),
        }
    }
    teams.sort_by_cached_key(|t| t.team.name.to_lowercase());
    teams
}

/// "1 person", "4 people".
fn people(n: usize) -> String {
    if n == 1 {
        "1 person".to_owned()
    } else {
        format!("{n} people")
    }
}

/// A workspace's members exactly as the API returns them: the publisher's members, then
/// the partners grouped by partner team. In multi-partner mode the API has already left
/// out the teams the caller may not see; `note` says so in words. A list the API capped
/// says how many more there are.
#[component]
pub fn MemberList(
    members: Members,
    /// The publishing team's name, heading its members.
    #[prop(into)]
    publisher: String,
    /// A sentence above the list (what multi-partner mode means for this caller), if any.
    #[prop(default = None)]
    note: Option<String>,
) -> impl IntoView {
    let class = style! {
        .member-list {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .note {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            padding: var(--space-3) var(--space-4);
            border-radius: var(--radius-card);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
            color: var(--color-text-secondary);
        }
        .note-icon {
            padding-top: 2px;
            flex: none;
        }
        .group {
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            overflow: hidden;
        }
        .group-head {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            padding: var(--space-3) var(--space-4);
            background: var(--color-surface);
            border-bottom: 1px solid var(--color-border);
        }
        .team-icon {
            color: var(--color-text-secondary);
            display: inline-flex;
        }
        h3 {
            font-size: var(--text-sm);
        }
        .meta {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            font-variant-numeric: tabular-nums;
        }
        .push {
            margin-left: auto;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        li {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            min-height: 44px;
            padding: var(--space-2) var(--space-4);
            border-bottom: 1px solid var(--color-border);
        }
        li:last-child {
            border-bottom: none;
        }
        .avatar {
            flex: none;
            width: 28px;
            height: 28px;
            border-radius: 50%;
            display: grid;
            place-items: center;
            background: var(--color-accent-soft);
            font-size: var(--text-xs);
            font-weight: 600;
        }
        .partner .avatar {
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .who {
            display: flex;
            flex-direction: column;
            min-width: 0;
            flex: 1;
            line-height: 1.3;
        }
        .person-name {
            font-weight: 600;
        }
        .email {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .empty {
            padding: var(--space-3) var(--space-4);
            color: var(--color-text-secondary);
        }
    };

    let person = move |user: UserRef, role: &'static str, partner: bool, lead: bool| {
        let lead = lead.then(|| view! { <Badge text="Partner Lead" tone=Tone::Accent /> });
        view! { class=class,
            <li class=if partner { "partner" } else { "" }>
                <span class="avatar" aria-hidden="true">{initials(&user.name)}</span>
                <span class="who">
                    <span class="person-name">{user.name}</span>
                    <span class="email">{user.email}</span>
                </span>
                {lead}
                <Badge text=role />
            </li>
        }
    };

    let (publisher_unlisted, partners_unlisted) = members.unlisted();
    let publisher_count = people(members.publisher_members_total as usize);
    let publisher_people = members
        .publisher_members
        .into_iter()
        .map(|m| person(m.user, m.role.label(), false, false))
        .collect_view();

    let teams = group_by_team(members.partners);
    let last_team = teams.len().saturating_sub(1);
    let partners = if teams.is_empty() {
        view! { class=class,
            <section class="group" aria-labelledby="members-partners">
                <div class="group-head">
                    <h3 id="members-partners">"Partners"</h3>
                </div>
                <p class="empty">"No partners in this workspace."</p>
            </section>
        }
        .into_any()
    } else {
        teams
            .into_iter()
            .enumerate()
            .map(|(i, team)| {
                let heading = format!("members-team-{i}");
                let labelled_by = heading.clone();
                let team_name = team.team.name.clone();
                // The last team of a capped list may go on past it.
                let count = if i == last_team && partners_unlisted > 0 {
                    format!("{} listed", people(team.partners.len()))
                } else {
                    people(team.partners.len())
                };
                let (sso, tone, icon) = if team.sso_enforced {
                    ("SSO enforced", Tone::Success, IconName::Shield)
                } else {
                    ("SSO not enforced", Tone::Neutral, IconName::ShieldOff)
                };
                let rows = team
                    .partners
                    .into_iter()
                    .map(|p| person(p.user, YourRole::from(p.role).label(), true, p.lead))
                    .collect_view();
                view! { class=class,
                    <section class="group" aria-labelledby=labelled_by data-team=team_name>
                        <div class="group-head">
                            <span class="team-icon"><Icon name=IconName::Users /></span>
                            <h3 id=heading>{team.team.name}</h3>
                            <span class="meta">"Partner team · " {team.team.domain} " · " {count}</span>
                            <span class="push"><Badge text=sso tone=tone icon=icon /></span>
                        </div>
                        <ul>{rows}</ul>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };

    let publisher_team = publisher.clone();
    view! { class=class,
        <div class="member-list">
            {note
                .map(|note| {
                    view! { class=class,
                        <p class="note">
                            <span class="note-icon"><Icon name=IconName::Shield /></span>
                            <span>{note}</span>
                        </p>
                    }
                })}
            <section class="group" aria-labelledby="members-publisher" data-team=publisher_team>
                <div class="group-head">
                    <span class="team-icon"><Icon name=IconName::Building /></span>
                    <h3 id="members-publisher">{publisher}</h3>
                    <span class="meta">"Publisher · " {publisher_count}</span>
                </div>
                <ul>{publisher_people}</ul>
                <UnlistedNote
                    count=publisher_unlisted
                    one="member"
                    many="members"
                    how="Search by name or email to find them."
                />
            </section>
            {partners}
            <UnlistedNote
                count=partners_unlisted
                one="partner"
                many="partners"
                how="Search by name or email to find them."
            />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::PartnerRole;

    use super::*;

    fn partner(user: &str, team: &str) -> PartnerMember {
        PartnerMember {
            ends_at: None,
            user: UserRef {
                id: user.into(),
                name: user.to_owned(),
                email: format!("{user}@{team}.test"),
            },
            team: TeamRef {
                id: format!("t_{team}").into(),
                name: team.to_owned(),
                domain: format!("{team}.test"),
            },
            sso_enforced: team == "Globex",
            role: PartnerRole::Viewer,
            lead: false,
            invited_by: None,
        }
    }

    #[test]
    fn partners_group_by_team_in_name_order() {
        let teams = group_by_team(vec![
            partner("uma", "Umbrella"),
            partner("gina", "Globex"),
            partner("ivan", "Initech"),
            partner("gary", "Globex"),
        ]);
        let summary: Vec<(&str, bool, Vec<&str>)> = teams
            .iter()
            .map(|t| {
                (
                    t.team.name.as_str(),
                    t.sso_enforced,
                    t.partners.iter().map(|p| p.user.name.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("Globex", true, vec!["gina", "gary"]),
                ("Initech", false, vec!["ivan"]),
                ("Umbrella", false, vec!["uma"]),
            ]
        );
    }

    #[test]
    fn counts_read_naturally() {
        assert_eq!(people(1), "1 person");
        assert_eq!(people(0), "0 people");
    }
}
