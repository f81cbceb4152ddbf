use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use partner_api::access_requests::MyAccessRequest;
use partner_api::sso::SsoRequiredBy;
use partner_api::workspaces::{AccessStatus, Members, MyAccess, Workspace as WorkspaceData};
use partner_api::{ErrorCode, Me, WorkspaceTab};
use stylers_macro::style;

use crate::api::events::{about_workspace, use_live_events};
use crate::api::{self, ApiError};
use crate::components::access_ended::AccessEnded;
use crate::components::access_ended_notice::AccessEndedNotice;
use crate::components::badge::Badge;
use crate::components::error_panel::ErrorPanel;
use crate::components::icon::{Icon, IconName};
use crate::components::lead_team::LeadTeam;
use crate::components::member_list::MemberList;
use crate::components::no_access::NoAccess;
use crate::components::people_search::PeopleSearch;
use crate::components::require_session::RequireSession;
use crate::components::sso_required::SsoRequired;
use crate::components::workspace_not_found::WorkspaceNotFound;
use crate::components::workspace_status::WorkspaceStatus;
use crate::routes::{Page, with_search};
use crate::session::use_session;

/// What opening a workspace address leads to for the signed-in account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The caller is a member or partner: the workspace itself.
    Workspace(Box<WorkspaceData>),
    /// A partner workspace this account can't open; its latest request, if any.
    NoAccess(Option<MyAccessRequest>),
    /// The caller's partner access ended when they left the team it belonged to.
    Ended,
    /// The caller's partner access reached its end (when, if the server says); their latest
    /// request, if any.
    Expired {
        ended_at: Option<String>,
        request: Option<MyAccessRequest>,
    },
    /// The publisher requires the caller's team to sign in with SSO and this session was
    /// made with a password: who requires it, when the server said.
    SsoRequired(Option<SsoRequiredBy>),
    /// Nothing this account may know of at this address.
    NotFound,
}

/// Why a workspace did not open, from `GET /access` (asked after a 404): `None` when the
/// caller turns out to have access after all (granted in the meantime).
pub fn why_not(access: Result<MyAccess, ApiError>) -> Result<Option<Opened>, ApiError> {
    match access {
        Ok(MyAccess {
            status: AccessStatus::NoAccess,
            request,
            ..
        }) => Ok(Some(Opened::NoAccess(request))),
        Ok(MyAccess {
            status: AccessStatus::Expired,
            request,
            ended_at,
            ..
        }) => Ok(Some(Opened::Expired { ended_at, request })),
        Ok(MyAccess {
            status: AccessStatus::SsoRequired,
            sso_required,
            ..
        }) => Ok(Some(Opened::SsoRequired(sso_required))),
        Ok(MyAccess {
            status: AccessStatus::Ended,
            ..
        }) => Ok(Some(Opened::Ended)),
        Ok(MyAccess {
            status: AccessStatus::Member | AccessStatus::Partner,
            ..
        }) => Ok(None),
        Err(error) if error.code() == Some(ErrorCode::NotFound) => Ok(Some(Opened::NotFound)),
        Err(error) => Err(error),
    }
}

/// Opens a workspace: the workspace itself, or why this account can't see it.
async fn open(id: String) -> Result<Opened, ApiError> {
    let error = match api::workspaces::get(&id).await {
        Ok(workspace) => return Ok(Opened::Workspace(Box::new(workspace))),
        Err(error) => error,
    };
    match error.code() {
        Some(ErrorCode::AccessEnded) => Ok(Opened::Ended),
        // `GET /access` says who requires it; without that answer the page still explains.
        Some(ErrorCode::SsoRequired) => match why_not(api::workspaces::access(&id).await) {
            Ok(Some(Opened::SsoRequired(by))) => Ok(Opened::SsoRequired(by)),
            _ => Ok(Opened::SsoRequired(None)),
        },
        Some(ErrorCode::NotFound) => match why_not(api::workspaces::access(&id).await)? {
            Some(opened) => Ok(opened),
            None => api::workspaces::get(&id)
                .await
                .map(|workspace| Opened::Workspace(Box::new(workspace))),
        },
        _ => Err(error),
    }
}

/// What multi-partner mode means for this caller, in words (nothing when it is off).
pub fn visibility_note(workspace: &WorkspaceData) -> Option<String> {
    if !workspace.multi_partner_mode {
        return None;
    }
    let publisher = &workspace.publisher.name;
    Some(if workspace.your_role.is_partner() {
        format!(
            "Multi-partner mode is on: you see the people of {publisher} and the partners from \
             your own team. Other partner teams aren't shown to you."
        )
    } else {
        format!(
            "Multi-partner mode is on: each partner sees the people of {publisher} and their own \
             team only. You see everyone."
        )
    })
}

/// One workspace: the page "Go to workspace" links in emails open. Without access it says
/// which account is signed in and what to do, never the workspace's name.
#[component]
pub fn Workspace() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // Asked for now, beside the session check, not after it (one round trip less on the
    // page email links open); someone signed out gets a 401 that is never shown.
    let opened = LocalResource::new(move || open(id.get()));
    // Only once the workspace opened: nobody asks for the members of a workspace they
    // can't see.
    // A search of the member list (`?q=`), for lists the server capped.
    let query = use_query_map();
    let member_search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let members = LocalResource::new(move || {
        let id = id.get();
        let q = member_search.get();
        async move {
            match opened.await {
                Ok(Opened::Workspace(_)) => Some(api::workspaces::members(&id, Some(&q)).await),
                _ => None,
            }
        }
    });
    // Live updates: anything about this workspace (a change, access ended, an access
    // request decided) opens it again; its members follow.
    use_live_events().refetch_on(
        move |event| id.with_untracked(|id| about_workspace(event, id)),
        move || opened.refetch(),
    );
    view! {
        <RequireSession>
            <WorkspacePage id=id opened=opened members=members member_search=member_search />
        </RequireSession>
    }
}

/// The workspace, or why it can't be opened, for someone signed in.
#[component]
fn WorkspacePage(
    id: Memo<String>,
    opened: LocalResource<Result<Opened, ApiError>>,
    members: LocalResource<Option<Result<Members, ApiError>>>,
    member_search: Memo<String>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let search_members = Callback::new(move |q: String| {
        navigate(
            &with_search(&Page::Workspace(&id.get_untracked()).href(), &q),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });

    let class = style! {
        .workspace-page {
            width: 100%;
            max-width: 960px;
            padding: var(--space-5) var(--space-6) var(--space-7);
            display: flex;
            flex-direction: column;
            gap: var(--space-5);
        }
        .crumbs {
            display: flex;
            gap: var(--space-2);
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .head {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-4);
            align-items: flex-start;
            justify-content: space-between;
        }
        .title-block {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            min-width: 0;
        }
        h1 {
            overflow-wrap: anywhere;
        }
        .facts {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2) var(--space-4);
            margin: 0;
        }
        .fact {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .facts dt {
            color: var(--color-text-secondary);
        }
        .facts dd {
            margin: 0;
            display: flex;
            align-items: center;
            gap: var(--space-1);
            font-weight: 500;
        }
        .icon {
            color: var(--color-text-secondary);
            display: inline-flex;
        }
        .summary {
            max-width: 70ch;
            font-size: var(--text-md);
            color: var(--color-text);
        }
        .no-summary {
            color: var(--color-text-secondary);
        }
        .members {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .loading {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .bar {
            display: block;
            height: 14px;
            border-radius: var(--radius-control);
            background: var(--color-border);
            opacity: 0.5;
        }
        .bar.title {
            width: 280px;
            height: 28px;
        }
        .bar.block {
            height: 120px;
            border-radius: var(--radius-card);
            opacity: 0.3;
        }
        @media (max-width: 640px) {
            .workspace-page {
                padding: var(--space-4);
            }
        }
    };

    let skeleton = move |what: &'static str| {
        view! { class=class,
            <div class="loading" role="status" aria-busy="true">
                <span class="visually-hidden">{what}</span>
                <span class="bar title" aria-hidden="true"></span>
                <span class="bar" style="width: 60%" aria-hidden="true"></span>
                <span class="bar block" aria-hidden="true"></span>
            </div>
        }
    };

    // The last answers, kept while a live update asks again, and changed only when an
    // answer differs: the page isn't rebuilt around what someone types or has focused.
    let members_shown = Memo::new(move |_| members.get());
    let members_view = move |workspace: WorkspaceData| {
        let note = visibility_note(&workspace);
        let publisher = workspace.publisher.name;
        move || match members_shown.get() {
            None => skeleton("Loading members…").into_any(),
            Some(Some(Ok(members))) => {
                let (more_members, more_partners) = members.unlisted();
                let searchable =
                    more_members + more_partners > 0 || !member_search.get_untracked().is_empty();
                view! {
                    {searchable
                        .then(|| {
                            view! {
                                <PeopleSearch
                                    label="Find a member"
                                    id="member-search"
                                    q=member_search
                                    on_search=search_members
                                />
                            }
                        })}
                    <MemberList members=members publisher=publisher.clone() note=note.clone() />
                }
                .into_any()
            }
            Some(Some(Err(error))) => {
                view! { <ErrorPanel error=error on_retry=move |()| members.refetch() /> }.into_any()
            }
            Some(None) => ().into_any(),
        }
    };

    // A Partner Lead manages their own team's people here, and only theirs.
    let lead_view = move |workspace: &WorkspaceData, me: &Me| {
        let team = me.team.as_ref()?;
        workspace.permissions.lead_own_team.then(|| {
            view! {
                <LeadTeam
                    workspace_id=workspace.id.to_string()
                    workspace_name=workspace.name.clone()
                    publisher=workspace.publisher.name.clone()
                    multi_partner_mode=workspace.multi_partner_mode
                    team_id=team.id.clone()
                    team_name=team.name.clone()
                    me=me.user.id.clone()
                    members=members
                />
            }
        })
    };

    let workspace_view = move |workspace: WorkspaceData, me: Me| {
        let back = if workspace.your_role.is_partner() {
            (WorkspaceTab::SharedPartner, "External Workspaces")
        } else {
            (WorkspaceTab::All, "Workspaces")
        };
        let settings = (workspace.permissions.manage_settings
            || workspace.permissions.manage_partners)
            .then(|| {
                let label = if workspace.permissions.manage_settings {
                    "Workspace settings"
                } else {
                    "Manage partners"
                };
                view! { class=class,
                    <a class="button" href=Page::WorkspaceSettings(workspace.id.as_str()).href()>
                        {label}
                    </a>
                }
            });
        let summary = if workspace.summary.is_empty() {
            view! { class=class, <p class="summary no-summary">"No summary yet."</p> }.into_any()
        } else {
            view! { class=class, <p class="summary">{workspace.summary.clone()}</p> }.into_any()
        };
        view! { class=class,
            <div class="workspace-page">
                <nav class="crumbs" aria-label="Breadcrumb">
                    <a href=Page::Workspaces(back.0).href()>{back.1}</a>
                    <span aria-hidden="true">"/"</span>
                    <span aria-current="page">{workspace.name.clone()}</span>
                </nav>
                <header class="head">
                    <div class="title-block">
                        <h1>{workspace.name.clone()}</h1>
                        <dl class="facts">
                            <div class="fact">
                                <dt>"Publisher"</dt>
                                <dd data-testid="publisher">
                                    <span class="icon"><Icon name=IconName::Building size=14 /></span>
                                    {workspace.publisher.name.clone()}
                                </dd>
                            </div>
                            <div class="fact">
                                <dt>"Your role"</dt>
                                <dd data-testid="your-role">
                                    <Badge text=workspace.your_role.label() />
                                </dd>
                            </div>
                            <div class="fact">
                                <dt class="visually-hidden">"Status"</dt>
                                <dd>
                                    <WorkspaceStatus workspace=workspace.clone() sharing=true />
                                </dd>
                            </div>
                        </dl>
                    </div>
                    {settings}
                </header>
                {summary}
                {lead_view(&workspace, &me)}
                <section class="members" aria-labelledby="members-title">
                    <h2 id="members-title">"Members"</h2>
                    {members_view(workspace.clone())}
                </section>
            </div>
        }
    };

    let shown = Memo::new(move |_| opened.get());
    let workspace_name = Signal::derive(move || {
        shown.with(|shown| match shown {
            Some(Ok(Opened::Workspace(workspace))) => Some(workspace.name.clone()),
            _ => None,
        })
    });
    let content = move || {
        let Some(answer) = shown.get() else {
            return view! { class=class,
                <div class="workspace-page">{skeleton("Opening the workspace…")}</div>
            }
            .into_any();
        };
        let Some(me) = session.me() else {
            return ().into_any();
        };
        let id = id.get_untracked();
        match answer {
            Ok(Opened::Workspace(workspace)) => workspace_view(*workspace, me).into_any(),
            Ok(Opened::NoAccess(request)) => view! {
                <NoAccess
                    workspace_id=id
                    me=me
                    request=request
                    on_granted=move |()| opened.refetch()
                />
            }
            .into_any(),
            Ok(Opened::Expired { ended_at, request }) => view! {
                <NoAccess
                    workspace_id=id
                    me=me
                    request=request
                    ended_at=ended_at.unwrap_or_default()
                    on_granted=move |()| opened.refetch()
                />
            }
            .into_any(),
            Ok(Opened::Ended) => view! { <AccessEnded workspace_id=id me=me /> }.into_any(),
            Ok(Opened::SsoRequired(by)) => {
                view! { <SsoRequired workspace_id=id me=me by=by /> }.into_any()
            }
            Ok(Opened::NotFound) => {
                view! { <WorkspaceNotFound workspace_id=id me=me /> }.into_any()
            }
            Err(error) => view! { class=class,
                <div class="workspace-page">
                    <h1>"We couldn't open this workspace"</h1>
                    <ErrorPanel error=error on_retry=move |()| opened.refetch() />
                </div>
            }
            .into_any(),
        }
    };

    view! {
        <AccessEndedNotice workspace_id=id workspace_name=workspace_name />
        {content}
    }
}

/// Older link forms (`/workspace/:id/overview`, any other sub-page but settings) lead to
/// the workspace's one address.
#[component]
pub fn WorkspaceLegacyLink() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    view! {
        <Redirect
            path=Page::Workspace(&id).href()
            options=NavigateOptions {
                replace: true,
                ..Default::default()
            }
        />
    }
}

#[cfg(test)]
mod tests {
    use partner_api::access_requests::AccessRequestStatus;
    use partner_api::workspaces::{Publisher, Visibility, WorkspacePermissions};
    use partner_api::{PartnerRole, YourRole};

    use super::*;

    fn access(status: AccessStatus) -> Result<MyAccess, ApiError> {
        Ok(MyAccess {
            status,
            request: None,
            ended_at: None,
            sso_required: None,
        })
    }

    #[test]
    fn a_workspace_that_did_not_open_says_why() {
        let pending = MyAccessRequest {
            id: "r1".into(),
            role: PartnerRole::Viewer,
            status: AccessRequestStatus::Pending,
            created_at: "2026-03-12T10:00:00Z".to_owned(),
        };
        assert_eq!(
            why_not(Ok(MyAccess {
                status: AccessStatus::NoAccess,
                request: Some(pending.clone()),
                ended_at: None,
                sso_required: None,
            })),
            Ok(Some(Opened::NoAccess(Some(pending.clone()))))
        );
        assert_eq!(
            why_not(Ok(MyAccess {
                status: AccessStatus::Expired,
                request: Some(pending.clone()),
                ended_at: Some("2027-01-12T23:59:59Z".to_owned()),
                sso_required: None,
            })),
            Ok(Some(Opened::Expired {
                ended_at: Some("2027-01-12T23:59:59Z".to_owned()),
                request: Some(pending),
            }))
        );
        assert_eq!(
            why_not(access(AccessStatus::Ended)),
            Ok(Some(Opened::Ended))
        );
        assert_eq!(why_not(access(AccessStatus::Partner)), Ok(None));
        assert_eq!(why_not(access(AccessStatus::Member)), Ok(None));
        let not_found = ApiError::from_response(
            404,
            r#"{"error":{"code":"not_found","message":"Not found."}}"#,
        );
        assert_eq!(why_not(Err(not_found)), Ok(Some(Opened::NotFound)));
        assert_eq!(why_not(Err(ApiError::Network)), Err(ApiError::Network));
    }

    #[test]
    fn multi_partner_mode_is_explained_to_partners_and_publishers_alike() {
        let mut workspace = WorkspaceData {
            id: "w".into(),
            name: "Fraud Signals".to_owned(),
            summary: String::new(),
            publisher: Publisher {
                id: "t".into(),
                name: "Acme Payments".to_owned(),
            },
            visibility: Visibility::Partner,
            multi_partner_mode: false,
            legacy: false,
            migration_state: None,
            sso_required: false,
            your_role: YourRole::PartnerViewer,
            permissions: WorkspacePermissions::default(),
        };
        assert_eq!(visibility_note(&workspace), None);
        workspace.multi_partner_mode = true;
        let note = visibility_note(&workspace).unwrap();
        assert!(note.contains("the people of Acme Payments and the partners from your own team"));
        workspace.your_role = YourRole::Admin;
        assert!(
            visibility_note(&workspace)
                .unwrap()
                .ends_with("You see everyone.")
        );
    }
}
