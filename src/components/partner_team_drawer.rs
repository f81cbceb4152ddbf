use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::partnerships::{PartnerPerson, PartnerTeamDetail, WorkspaceRef};
use partner_api::{ErrorCode, TeamId, UserId};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::confirm_dialog::ConfirmDialog;
use super::dialog::Dialog;
use super::error_panel::{ErrorPanel, explain};
use super::icon::IconName;
use super::partner_sso_requirement::PartnerSsoRequirement;
use super::partner_teams_table::SsoBadge;
use super::people_search::PeopleSearch;
use super::relative_time::{RelativeTime, ends_line};
use super::sso_required_badge::SsoRequiredBadge;
use super::toast::{ToastKind, use_toasts};
use super::unlisted_note::UnlistedNote;
use super::view_as_button::ViewAsButton;
use crate::api::{self, ApiError};
use crate::routes::Page;

/// A partner about to be removed from one workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
struct GrantToRemove {
    user: UserId,
    name: String,
    email: String,
    workspace: WorkspaceRef,
    /// Their other workspaces with us, which they keep.
    others: usize,
}

/// The partnership about to end.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PartnershipToRemove {
    team: TeamId,
    name: String,
    /// How many partners lose access; `None` while a search shows only some of them.
    partners: Option<usize>,
    /// The workspaces listed, and how many more there are.
    workspaces: Vec<String>,
    more_workspaces: usize,
}

/// What a confirmation is about: one partner's access to one workspace, or the whole
/// partnership. Both are asked the same way and told apart only by their words.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Removal {
    Grant(GrantToRemove),
    Partnership(PartnershipToRemove),
}

impl Removal {
    /// Who loses access (a person or a team), as the error names them.
    fn name(&self) -> &str {
        match self {
            Self::Grant(g) => &g.name,
            Self::Partnership(p) => &p.name,
        }
    }

    /// The dialog's question.
    fn title(&self) -> String {
        match self {
            Self::Grant(g) => format!("Remove {} from {}?", g.name, g.workspace.name),
            Self::Partnership(p) => format!("Remove {} as a partner?", p.name),
        }
    }

    /// The confirm button's label.
    fn confirm_label(&self) -> String {
        match self {
            Self::Grant(g) => format!("Remove from {}", g.workspace.name),
            Self::Partnership(_) => "Remove partnership".to_owned(),
        }
    }

    /// The dialog's body: what ends, what stays, and how to undo it.
    fn consequences(&self) -> [String; 3] {
        match self {
            Self::Grant(g) => [
                format!(
                    "{} ({}) loses access to {} right away.",
                    g.name, g.email, g.workspace.name,
                ),
                if g.others == 0 {
                    "This is their only workspace with you, so they will no longer be listed as \
                     a partner."
                        .to_owned()
                } else {
                    format!(
                        "They keep access to their other {} with you.",
                        plural(g.others, "workspace", "workspaces")
                    )
                },
                "You can invite them again from the workspace's settings.".to_owned(),
            ],
            Self::Partnership(p) => [
                format!(
                    "{} {} access to {}: {}.",
                    match p.partners {
                        Some(n) => format!("{} from {}", plural(n, "partner", "partners"), p.name),
                        None => format!("Everyone from {}", p.name),
                    },
                    if matches!(p.partners, None | Some(1)) {
                        "loses"
                    } else {
                        "lose"
                    },
                    plural(
                        p.workspaces.len() + p.more_workspaces,
                        "workspace",
                        "workspaces"
                    ),
                    names(&p.workspaces, p.more_workspaces),
                ),
                "They can't open those workspaces any more, starting now. Their accounts stay, \
                 and so do your workspaces and their content."
                    .to_owned(),
                "To work together again, invite them from a workspace's settings.".to_owned(),
            ],
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A list of names as a sentence: "A", "A and B", "A, B and C"; with `more` names not
/// listed, "A, B and 18 more".
fn names(list: &[String], more: usize) -> String {
    match (list, more) {
        ([], _) => String::new(),
        (listed, 1..) => format!("{} and {more} more", listed.join(", ")),
        ([one], 0) => one.clone(),
        ([rest @ .., last], 0) => format!("{} and {last}", rest.join(", ")),
    }
}

/// One partner team, in a drawer with its own URL (`?team=`): its partners with their role
/// in each workspace and whether their last sign-in used SSO, and the workspaces shared with
/// it. A partner can be removed from one workspace, or the whole partnership ended, each
/// after a confirmation that says exactly what happens.
#[component]
pub fn PartnerTeamDrawer(
    /// The open team (from the URL); `None` when the drawer is closed.
    #[prop(into)]
    team: Signal<Option<TeamId>>,
    /// `GET /api/partnerships/{team}` of the open team, created by the page.
    detail: LocalResource<Option<Result<PartnerTeamDetail, ApiError>>>,
    /// The search of the team's partners the detail was asked with (the server lists at most
    /// 100 of them).
    search: RwSignal<String>,
    #[prop(into)] on_close: Callback<()>,
    /// Partners or the partnership changed: lists, counts and seats should reload.
    #[prop(into)]
    on_changed: Callback<()>,
) -> impl IntoView {
    let class = style! {
        .summary {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            color: var(--color-text-secondary);
        }
        @media (max-width: 640px) {
            .separator {
                display: none;
            }
        }
        .section {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
        .section h3 {
            font-size: var(--text-sm);
            color: var(--color-text-secondary);
            text-transform: uppercase;
            letter-spacing: 0.5px;
            font-weight: 600;
        }
        .people, .grants, .workspaces {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        .people {
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .person {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding: var(--space-3);
            border-bottom: 1px solid var(--color-border);
        }
        .person:last-child {
            border-bottom: none;
        }
        .person-head {
            display: flex;
            flex-wrap: wrap;
            align-items: baseline;
            gap: 0 var(--space-2);
        }
        .name {
            font-weight: 600;
        }
        .view-as {
            margin-left: auto;
        }
        .secondary {
            color: var(--color-text-secondary);
        }
        .sign-in {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .grant {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-1) var(--space-2);
            min-height: 36px;
            padding: 2px 0 2px var(--space-3);
            border-left: 2px solid var(--color-border);
        }
        .grant a {
            flex: 1 1 120px;
            min-width: 0;
            overflow-wrap: anywhere;
        }
        .grant-end {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            white-space: nowrap;
            font-variant-numeric: tabular-nums;
        }
        .small {
            height: 28px;
            padding: 0 var(--space-2);
            font-size: var(--text-xs);
        }
        .workspace {
            display: flex;
            justify-content: space-between;
            align-items: center;
            gap: var(--space-2);
            padding: var(--space-2) 0;
            border-bottom: 1px solid var(--color-border);
        }
        .workspace:last-child {
            border-bottom: none;
        }
        .danger-zone {
            display: flex;
            flex-direction: column;
            align-items: flex-start;
            gap: var(--space-2);
            padding: var(--space-4);
            border: 1px solid var(--color-danger);
            border-radius: var(--radius-card);
        }
        .gone {
            display: flex;
            flex-direction: column;
            align-items: flex-start;
            gap: var(--space-3);
        }
        .placeholder {
            display: block;
            height: 14px;
            border-radius: 7px;
            background: var(--color-border);
            opacity: 0.5;
        }
        .confirm-text {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
        }
    };

    let toasts = use_toasts();
    let open = Memo::new(move |_| team.with(Option::is_some));
    let title = Signal::derive(move || {
        let open_team = team.get();
        detail
            .with(|d| match d {
                Some(Some(Ok(d))) if Some(&d.team.id) == open_team.as_ref() => {
                    Some(d.team.name.clone())
                }
                _ => None,
            })
            .unwrap_or_else(|| "Partner team".to_owned())
    });

    // Removing one partner from one workspace, or the whole partnership, once confirmed.
    let removal = RwSignal::new(None::<Removal>);
    let removal_pending = RwSignal::new(false);
    let removal_error = RwSignal::new(None::<String>);
    let ask = move |r: Removal| {
        removal_error.set(None);
        removal.set(Some(r));
    };
    let remove = move || {
        let Some(target) = removal.get_untracked() else {
            return;
        };
        removal_pending.set(true);
        removal_error.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let done = match &target {
                Removal::Grant(g) => {
                    api::workspace_settings::remove(g.workspace.id.as_str(), &g.user)
                        .await
                        .map(|()| {
                            format!("{} no longer has access to {}.", g.name, g.workspace.name)
                        })
                }
                Removal::Partnership(p) => {
                    api::partnerships::remove(&p.team).await.map(|removed| {
                        format!(
                            "{} is no longer a partner: {} lost access to your workspaces.",
                            p.name,
                            plural(removed.partners_removed as usize, "person", "people"),
                        )
                    })
                }
            };
            match done {
                Ok(news) => {
                    removal.set(None);
                    toasts.show(ToastKind::Success, news);
                    if let Removal::Partnership(_) = target {
                        // Close first: the team is gone, so its detail is not asked for again.
                        on_close.run(());
                    }
                    on_changed.run(());
                }
                Err(error) => {
                    let why = format!("Couldn't remove {}: {}", target.name(), explain(&error));
                    removal_error.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            removal_pending.set(false);
        });
    };

    let person = move |person: PartnerPerson| {
        let grants = person.workspaces_total as usize;
        let more_grants = grants.saturating_sub(person.workspaces.len());
        let sso = if person.last_sign_in_sso {
            view! {
                <Badge
                    text="Last sign-in used SSO".to_owned()
                    tone=Tone::Success
                    icon=IconName::Shield
                />
            }
            .into_any()
        } else {
            view! {
                <Badge
                    text="Last sign-in without SSO".to_owned()
                    tone=Tone::Warning
                    icon=IconName::ShieldOff
                />
            }
            .into_any()
        };
        let rows = person
            .workspaces
            .iter()
            .map(|g| {
                let target = GrantToRemove {
                    user: person.user.id.clone(),
                    name: person.user.name.clone(),
                    email: person.user.email.clone(),
                    workspace: g.workspace.clone(),
                    others: grants - 1,
                };
                let label = format!("Remove {} from {}", person.user.name, g.workspace.name);
                let ends = ends_line(g.ends_at.as_deref()).map(|line| {
                    view! { class=class, <span class="grant-end" data-testid="grant-end">{line}</span> }
                });
                view! { class=class,
                    <li class="grant">
                        <a href=Page::WorkspaceSettings(g.workspace.id.as_str()).href()>
                            {g.workspace.name.clone()}
                        </a>
                        <Badge text=g.role.label().to_owned() />
                        {ends}
                        <button
                            type="button"
                            class="button small"
                            aria-label=label
                            on:click=move |_| ask(Removal::Grant(target.clone()))
                        >
                            "Remove"
                        </button>
                    </li>
                }
            })
            .collect_view();
        view! { class=class,
            <li class="person">
                <div class="person-head">
                    <span class="name">{person.user.name.clone()}</span>
                    <span class="secondary">{person.user.email.clone()}</span>
                    <span class="view-as">
                        <ViewAsButton
                            partner=person.user.id.clone()
                            partner_name=person.user.name.clone()
                            class="small"
                        />
                    </span>
                </div>
                <div class="sign-in">
                    {sso}
                    <span>
                        "Last sign-in: "
                        <RelativeTime at=person.last_sign_in_at.clone() never="never" />
                    </span>
                </div>
                <ul class="grants" aria-label=format!("{}'s workspaces", person.user.name)>
                    {rows}
                </ul>
                <UnlistedNote
                    count=more_grants as u32
                    one="workspace"
                    many="workspaces"
                    how="Their access to each is in its settings."
                />
            </li>
        }
    };

    let loaded = move |d: PartnerTeamDetail| {
        let searching = !search.get_untracked().is_empty();
        let more_partners = (d.partners_total as usize).saturating_sub(d.partners.len());
        let more_workspaces = (d.workspaces_total as usize).saturating_sub(d.workspaces.len());
        // Counts per workspace come from the partners listed: only when that is everyone.
        let complete = !searching
            && more_partners == 0
            && d.partners
                .iter()
                .all(|p| p.workspaces.len() == p.workspaces_total as usize);
        let target = PartnershipToRemove {
            team: d.team.id.clone(),
            name: d.team.name.clone(),
            partners: (!searching).then_some(d.partners_total as usize),
            workspaces: d.workspaces.iter().map(|w| w.name.clone()).collect(),
            more_workspaces,
        };
        let team_name = d.team.name.clone();
        let workspaces = d
            .workspaces
            .iter()
            .map(|w| {
                let here = complete.then(|| {
                    let n = d
                        .partners
                        .iter()
                        .filter(|p| p.workspaces.iter().any(|g| g.workspace.id == w.id))
                        .count();
                    view! { class=class,
                        <span class="secondary">{plural(n, "partner", "partners")}</span>
                    }
                });
                view! { class=class,
                    <li class="workspace">
                        <a href=Page::WorkspaceSettings(w.id.as_str()).href()>
                            {w.name.clone()}
                        </a>
                        {here}
                    </li>
                }
            })
            .collect_view();
        let summary = if searching {
            format!(
                "{} {} \u{201c}{}\u{201d}",
                plural(d.partners_total as usize, "partner", "partners"),
                if d.partners_total == 1 {
                    "matches"
                } else {
                    "match"
                },
                search.get_untracked()
            )
        } else {
            format!(
                "{} in {}",
                plural(d.partners_total as usize, "partner", "partners"),
                plural(d.workspaces_total as usize, "workspace", "workspaces"),
            )
        };
        let on_search = Callback::new(move |q: String| search.set(q));
        view! { class=class,
            <div class="summary">
                <SsoBadge enforced=d.sso_enforced />
                {d.sso_required.then(|| view! { <SsoRequiredBadge /> })}
                <span>{d.team.domain.clone()}</span>
                <span class="separator" aria-hidden="true">"·"</span>
                <span>{summary}</span>
            </div>
            <section class="section" aria-labelledby="drawer-sso">
                <h3 id="drawer-sso">"Single sign-on"</h3>
                <PartnerSsoRequirement
                    team=d.team.id.clone()
                    team_name=team_name.clone()
                    required=d.sso_required
                    available=d.sso_available
                    on_changed=move |_| on_changed.run(())
                />
            </section>
            <section class="section" aria-labelledby="drawer-partners">
                <h3 id="drawer-partners">"Partners"</h3>
                {(searching || more_partners > 0)
                    .then(|| {
                        view! {
                            <PeopleSearch
                                label="Find a partner"
                                id="drawer-partner-search"
                                q=search
                                on_search=on_search
                            />
                        }
                    })}
                {if d.partners.is_empty() {
                    let empty = if searching {
                        "No one from this team matches that search."
                    } else {
                        "No one from this team has access any more."
                    };
                    view! { class=class, <p class="secondary">{empty}</p> }.into_any()
                } else {
                    view! { class=class,
                        <ul class="people">
                            {d.partners.into_iter().map(person).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
                <UnlistedNote
                    count=more_partners as u32
                    one="partner"
                    many="partners"
                    how="Search by name or email to find them."
                />
            </section>
            <section class="section" aria-labelledby="drawer-workspaces">
                <h3 id="drawer-workspaces">{format!("Workspaces shared with {team_name}")}</h3>
                <ul class="workspaces">{workspaces}</ul>
                <UnlistedNote
                    count=more_workspaces as u32
                    one="workspace"
                    many="workspaces"
                    how="Each partner's own are listed with them."
                />
            </section>
            <section class="danger-zone" aria-labelledby="drawer-remove">
                <h3 id="drawer-remove">"Remove partnership"</h3>
                <p>
                    {format!(
                        "Everyone from {team_name} loses access to every workspace of yours. \
                         Their accounts and your workspaces stay."
                    )}
                </p>
                <button
                    type="button"
                    class="button button-danger"
                    on:click=move |_| ask(Removal::Partnership(target.clone()))
                >
                    "Remove partnership…"
                </button>
            </section>
        }
        .into_any()
    };

    let failed = move |error: ApiError| {
        if error.code() == Some(ErrorCode::NotFound) {
            view! { class=class,
                <div class="gone">
                    <p>
                        "This team isn't one of your partners: no one from it has access to your \
                         workspaces. It may have been removed a moment ago."
                    </p>
                    <button type="button" class="button" on:click=move |_| on_close.run(())>
                        "Back to partner teams"
                    </button>
                </div>
            }
            .into_any()
        } else {
            view! { <ErrorPanel error=error on_retry=move |()| detail.refetch() /> }.into_any()
        }
    };

    let skeleton = move || {
        view! { class=class,
            <div class="section" aria-busy="true">
                <span class="visually-hidden">"Loading partner team…"</span>
                <span class="placeholder" style="width: 50%" aria-hidden="true"></span>
                <span class="placeholder" style="width: 90%; height: 64px" aria-hidden="true"></span>
                <span class="placeholder" style="width: 90%; height: 64px" aria-hidden="true"></span>
            </div>
        }
    };

    let removal_title = Signal::derive(move || {
        removal.with(|r| r.as_ref().map(Removal::title).unwrap_or_default())
    });
    let removal_confirm = Signal::derive(move || {
        removal.with(|r| r.as_ref().map(Removal::confirm_label).unwrap_or_default())
    });

    view! {
        <Dialog drawer=true open=open on_close=on_close title=title>
            <Transition fallback=skeleton>
                {move || Suspend::new(async move {
                    match detail.await {
                        Some(Ok(d)) => loaded(d),
                        Some(Err(error)) => failed(error),
                        None => ().into_any(),
                    }
                })}
            </Transition>
            <ConfirmDialog
                open=Signal::derive(move || removal.with(Option::is_some))
                title=removal_title
                confirm_label=removal_confirm
                pending_label="Removing…".to_owned()
                pending=removal_pending
                error=removal_error
                danger=true
                on_confirm=move |()| remove()
                on_cancel=move |()| removal.set(None)
            >
                {move || {
                    removal
                        .with(|r| r.as_ref().map(Removal::consequences))
                        .map(|[ends, stays, again]| {
                            view! { class=class,
                                <div class="confirm-text">
                                    <p>{ends}</p>
                                    <p>{stays}</p>
                                    <p class="secondary">{again}</p>
                                </div>
                            }
                        })
                }}
            </ConfirmDialog>
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_sentences() {
        assert_eq!(names(&[], 0), "");
        assert_eq!(names(&["A".to_owned()], 0), "A");
        assert_eq!(names(&["A".to_owned(), "B".to_owned()], 0), "A and B");
        assert_eq!(
            names(&["A".to_owned(), "B".to_owned(), "C".to_owned()], 0),
            "A, B and C"
        );
        assert_eq!(
            names(&["A".to_owned(), "B".to_owned()], 18),
            "A, B and 18 more"
        );
        assert_eq!(plural(1, "partner", "partners"), "1 partner");
        assert_eq!(plural(3, "partner", "partners"), "3 partners");
    }

    fn ivan(others: usize) -> Removal {
        Removal::Grant(GrantToRemove {
            user: "u_ivan".into(),
            name: "Ivan Ito".to_owned(),
            email: "ivan@initech.test".to_owned(),
            workspace: WorkspaceRef {
                id: "w1".into(),
                name: "Payments API".to_owned(),
            },
            others,
        })
    }

    #[test]
    fn removing_a_partner_from_a_workspace_says_what_they_keep() {
        let only = ivan(0);
        assert_eq!(only.title(), "Remove Ivan Ito from Payments API?");
        assert_eq!(only.confirm_label(), "Remove from Payments API");
        assert_eq!(only.name(), "Ivan Ito");
        assert_eq!(
            only.consequences(),
            [
                "Ivan Ito (ivan@initech.test) loses access to Payments API right away.",
                "This is their only workspace with you, so they will no longer be listed as a \
                 partner.",
                "You can invite them again from the workspace's settings.",
            ]
        );
        assert_eq!(
            ivan(2).consequences()[1],
            "They keep access to their other 2 workspaces with you."
        );
    }

    #[test]
    fn removing_a_partnership_names_every_workspace_it_ends() {
        let umbrella = Removal::Partnership(PartnershipToRemove {
            team: "t_umbrella".into(),
            name: "Umbrella".to_owned(),
            partners: Some(1),
            workspaces: vec!["Fraud Signals".to_owned()],
            more_workspaces: 0,
        });
        assert_eq!(umbrella.title(), "Remove Umbrella as a partner?");
        assert_eq!(umbrella.confirm_label(), "Remove partnership");
        assert_eq!(
            umbrella.consequences(),
            [
                "1 partner from Umbrella loses access to 1 workspace: Fraud Signals.",
                "They can't open those workspaces any more, starting now. Their accounts stay, \
                 and so do your workspaces and their content.",
                "To work together again, invite them from a workspace's settings.",
            ]
        );
        let searched = Removal::Partnership(PartnershipToRemove {
            team: "t_globex".into(),
            name: "Globex".to_owned(),
            partners: None,
            workspaces: vec!["A".to_owned(), "B".to_owned()],
            more_workspaces: 41,
        });
        assert_eq!(
            searched.consequences()[0],
            "Everyone from Globex loses access to 43 workspaces: A, B and 41 more."
        );
    }
}
