use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::ErrorCode;
use partner_api::external_access::{
    AccessEnded, EndAccess, ExternalAccessQuery, ExternalGrant, GrantKey, PublisherCount,
};
use partner_api::pagination::MAX_PER_PAGE;
use stylers_macro::style;

use super::confirm_dialog::ConfirmDialog;
use super::error_panel::explain;
use super::pagination::thousands;
use crate::api;

/// What "End access" is about to end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndTarget {
    /// One person's access to one workspace.
    Grant(ExternalGrant),
    /// Every grant the team's people have with one publisher.
    Publisher(PublisherCount),
}

impl EndTarget {
    /// The request that ends it.
    pub fn request(&self) -> EndAccess {
        match self {
            Self::Grant(grant) => EndAccess::Grants(vec![GrantKey {
                workspace_id: grant.workspace.id.clone(),
                user_id: grant.person.id.clone(),
            }]),
            Self::Publisher(count) => EndAccess::Publisher(count.publisher.id.clone()),
        }
    }

    /// The publisher told about it.
    pub fn publisher_name(&self) -> &str {
        match self {
            Self::Grant(grant) => &grant.publisher.name,
            Self::Publisher(count) => &count.publisher.name,
        }
    }

    /// The dialog's question.
    pub fn title(&self) -> String {
        match self {
            Self::Grant(grant) => format!(
                "End {}'s access to {}?",
                grant.person.name, grant.workspace.name
            ),
            Self::Publisher(count) => format!("End all access with {}?", count.publisher.name),
        }
    }

    /// What the toast says once it has ended (`ended` is the server's answer; `team` is
    /// the caller's team).
    pub fn ended_message(&self, ended: AccessEnded, team: &str) -> String {
        let publisher = self.publisher_name();
        let told = if ended.publishers > 0 {
            format!(" The Partner Managers at {publisher} were told by email.")
        } else {
            String::new()
        };
        match self {
            Self::Grant(grant) if ended.ended == 0 => format!(
                "{}'s access to {} had already ended.",
                grant.person.name, grant.workspace.name
            ),
            Self::Grant(grant) => format!(
                "{} can no longer open {}.{told}",
                grant.person.name, grant.workspace.name
            ),
            Self::Publisher(_) if ended.ended == 0 => {
                format!("No one had access with {publisher} any more.")
            }
            Self::Publisher(_) => format!(
                "Ended every access with {publisher}: no one at {team} can open its workspaces \
                 now.{told}"
            ),
        }
    }
}

/// "Editor", "Viewer, Partner Lead".
pub fn role_words(grant: &ExternalGrant) -> String {
    if grant.lead {
        format!("{}, Partner Lead", grant.role.label())
    } else {
        grant.role.label().to_owned()
    }
}

/// The people who lose access, workspace by workspace, in the order given:
/// `("Payments API", "Gina Gray (Editor, Partner Lead), Gary Green (Viewer)")`.
pub fn by_workspace(grants: &[ExternalGrant]) -> Vec<(String, String)> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for grant in grants {
        let person = format!("{} ({})", grant.person.name, role_words(grant));
        match lines.iter_mut().find(|(w, _)| *w == grant.workspace.name) {
            Some((_, people)) => people.push(person),
            None => lines.push((grant.workspace.name.clone(), vec![person])),
        }
    }
    lines
        .into_iter()
        .map(|(workspace, people)| (workspace, people.join(", ")))
        .collect()
}

/// Asks before ending access, saying exactly who loses what (for a whole publisher, every
/// person and workspace) and that the publisher's Partner Managers get an email; ends it;
/// on failure stays open and says why.
#[component]
pub fn EndAccessDialog(
    /// What is about to end; `None` when the dialog is closed.
    #[prop(into)]
    target: Signal<Option<EndTarget>>,
    /// The caller's team, whose people lose access.
    #[prop(into)]
    team: Signal<String>,
    /// It ended (the server's answer); the owner closes the dialog and says so.
    #[prop(into)]
    on_ended: Callback<(EndTarget, AccessEnded)>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let class = style! {
        .end-text {
            color: var(--color-text);
        }
        .who-loses {
            margin: 0;
            padding-left: var(--space-5);
            max-height: 240px;
            overflow-y: auto;
        }
        .who-loses li + li {
            margin-top: var(--space-1);
        }
        .workspace-name {
            font-weight: 600;
        }
        .secondary {
            color: var(--color-text-secondary);
        }
    };
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);

    // For a whole publisher: every grant that ends, so the dialog can name them.
    let publisher = Memo::new(move |_| {
        target.with(|t| match t {
            Some(EndTarget::Publisher(count)) => Some(count.publisher.id.clone()),
            _ => None,
        })
    });
    let affected = LocalResource::new(move || {
        let publisher = publisher.get();
        async move {
            match publisher {
                Some(publisher) => Some(
                    api::external_access::list(&ExternalAccessQuery {
                        publisher: Some(publisher),
                        per_page: Some(MAX_PER_PAGE),
                        ..Default::default()
                    })
                    .await,
                ),
                None => None,
            }
        }
    });

    // A new question starts without the last one's error.
    Effect::new(move |_| {
        target.track();
        error.set(None);
    });

    let confirm = move |()| {
        let Some(what) = target.get_untracked() else {
            return;
        };
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local_scoped_with_cancellation(async move {
            match api::external_access::end(&what.request()).await {
                Ok(ended) => on_ended.run((what, ended)),
                // Ended meanwhile (in another tab, by another admin, or the person left).
                Err(why) if why.code() == Some(ErrorCode::NotFound) => on_ended.run((
                    what,
                    AccessEnded {
                        ended: 0,
                        publishers: 0,
                    },
                )),
                Err(why) => error.set(Some(format!("Nothing ended. {}", explain(&why)))),
            }
            pending.set(false);
        });
    };

    let email_note = move |publisher: &str| {
        format!(
            "The Partner Managers and Team Admins at {publisher} get an email saying that {} \
             ended it. To give access back, {publisher} has to invite them again.",
            team.get_untracked()
        )
    };

    let body = move || {
        let what = target.get()?;
        Some(match what {
            EndTarget::Grant(grant) => {
                let lead = grant.lead.then(|| {
                    format!(
                        " They also stop being Partner Lead there, so they can no longer invite \
                         people of {}.",
                        team.get_untracked()
                    )
                });
                view! { class=class,
                    <p class="end-text">
                        {format!(
                            "{} ({}) can no longer open {}, a workspace of {}, as {} from now on.",
                            grant.person.name,
                            grant.person.email,
                            grant.workspace.name,
                            grant.publisher.name,
                            grant.role.label(),
                        )}
                        {lead}
                    </p>
                    <p class="secondary">{email_note(&grant.publisher.name)}</p>
                }
                .into_any()
            }
            EndTarget::Publisher(count) => {
                let name = count.publisher.name.clone();
                let people = move || {
                    affected.get().flatten().map(|answer| match answer {
                        Ok(access) => {
                            let listed = access.grants.items.len() as u64;
                            let more = access.grants.total.saturating_sub(listed);
                            let lines = by_workspace(&access.grants.items)
                                .into_iter()
                                .map(|(workspace, people)| {
                                    view! { class=class,
                                        <li>
                                            <span class="workspace-name">{workspace}</span>
                                            ": "
                                            {people}
                                        </li>
                                    }
                                })
                                .collect_view();
                            let more = (more > 0).then(|| {
                                view! { class=class,
                                    <li class="secondary">
                                        {format!("… and {} more", thousands(more))}
                                    </li>
                                }
                            });
                            view! { class=class,
                                <ul class="who-loses" aria-label="Who loses access">{lines}{more}</ul>
                            }
                            .into_any()
                        }
                        Err(why) => view! { class=class,
                            <p class="secondary">
                                {format!("The list of who loses access couldn't be loaded. {}", explain(&why))}
                            </p>
                        }
                        .into_any(),
                    })
                };
                let loading = move || {
                    affected.get().flatten().is_none().then(|| {
                        view! { class=class, <p class="secondary" role="status">"Loading who loses access…"</p> }
                    })
                };
                view! { class=class,
                    <p class="end-text">
                        {format!(
                            "Everyone at {} loses access to every workspace of {} at once:",
                            team.get_untracked(),
                            name,
                        )}
                    </p>
                    {loading}
                    {people}
                    <p class="secondary">{email_note(&name)}</p>
                }
                .into_any()
            }
        })
    };

    view! {
        <ConfirmDialog
            open=Signal::derive(move || target.with(Option::is_some))
            title=Signal::derive(move || target.with(|t| t.as_ref().map(EndTarget::title).unwrap_or_default()))
            confirm_label=Signal::derive(move || {
                if publisher.with(Option::is_some) { "End all access" } else { "End access" }.to_owned()
            })
            pending_label="Ending…"
            pending=pending
            error=error
            danger=true
            on_confirm=confirm
            on_cancel=on_cancel
        >
            {body}
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::PartnerRole;
    use partner_api::partnerships::WorkspaceRef;
    use partner_api::session::UserRef;
    use partner_api::workspaces::Publisher;

    use super::*;

    fn grant(person: &str, workspace: &str, role: PartnerRole, lead: bool) -> ExternalGrant {
        ExternalGrant {
            ends_at: None,
            publisher: Publisher {
                id: "t_acme".into(),
                name: "Acme Payments".to_owned(),
            },
            workspace: WorkspaceRef {
                id: format!("w_{workspace}").into(),
                name: workspace.to_owned(),
            },
            person: UserRef {
                id: format!("u_{person}").into(),
                name: person.to_owned(),
                email: format!("{}@globex.test", person.to_lowercase()),
            },
            role,
            lead,
            since: "2026-03-12T14:05:09Z".to_owned(),
            last_opened_at: None,
        }
    }

    #[test]
    fn one_grant_is_ended_by_its_workspace_and_person() {
        let target = EndTarget::Grant(grant("Gary", "Payments API", PartnerRole::Viewer, false));
        assert_eq!(
            target.request(),
            EndAccess::Grants(vec![GrantKey {
                workspace_id: "w_Payments API".into(),
                user_id: "u_Gary".into(),
            }])
        );
        assert_eq!(target.title(), "End Gary's access to Payments API?");
        assert_eq!(
            target.ended_message(
                AccessEnded {
                    ended: 1,
                    publishers: 1
                },
                "Globex"
            ),
            "Gary can no longer open Payments API. The Partner Managers at Acme Payments were \
             told by email."
        );
        assert_eq!(
            target.ended_message(
                AccessEnded {
                    ended: 0,
                    publishers: 0
                },
                "Globex"
            ),
            "Gary's access to Payments API had already ended."
        );
    }

    #[test]
    fn a_whole_publisher_is_ended_by_its_id() {
        let target = EndTarget::Publisher(PublisherCount {
            publisher: Publisher {
                id: "t_acme".into(),
                name: "Acme Payments".to_owned(),
            },
            grants: 3,
        });
        assert_eq!(target.request(), EndAccess::Publisher("t_acme".into()));
        assert_eq!(target.title(), "End all access with Acme Payments?");
        assert_eq!(
            target.ended_message(
                AccessEnded {
                    ended: 3,
                    publishers: 1
                },
                "Globex"
            ),
            "Ended every access with Acme Payments: no one at Globex can open its workspaces \
             now. The Partner Managers at Acme Payments were told by email."
        );
    }

    #[test]
    fn who_loses_access_is_listed_workspace_by_workspace() {
        let grants = [
            grant("Gina", "Payments API", PartnerRole::Editor, true),
            grant("Gary", "Fraud Signals", PartnerRole::Viewer, false),
            grant("Gary", "Payments API", PartnerRole::Viewer, false),
        ];
        assert_eq!(
            by_workspace(&grants),
            [
                (
                    "Payments API".to_owned(),
                    "Gina (Editor, Partner Lead), Gary (Viewer)".to_owned()
                ),
                ("Fraud Signals".to_owned(), "Gary (Viewer)".to_owned()),
            ]
        );
    }
}
