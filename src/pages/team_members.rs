//! Team Settings > Members: the team's people, their roles, invitations and removal. Search
//! and page live in the URL.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query};
use partner_api::events::Event;
use partner_api::team::{TeamInvitation, TeamMember, TeamMembersQuery};
use partner_api::{ErrorCode, Paginated, TeamRole};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::invite_member_form::InviteMemberForm;
use crate::components::no_team::NoTeam;
use crate::components::page_head::PageHead;
use crate::components::pagination::{Pagination, counted};
use crate::components::people_search::PeopleSearch;
use crate::components::remove_member_dialog::RemoveMemberDialog;
use crate::components::require_session::RequireSession;
use crate::components::skeleton_rows::SkeletonRows;
use crate::components::team_invitations::TeamInvitations;
use crate::components::team_member_table::TeamMemberTable;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::params::team_members::TeamMembersParams;
use crate::session::use_session;

/// Pending invitations listed at once (the server's most).
const INVITATIONS_LISTED: u32 = 200;

/// The page's answers: members for the view in the URL, and (for Team Admins) the pending
/// invitations.
#[derive(Clone, Copy)]
struct MembersData {
    params: Memo<TeamMembersParams>,
    members: LocalResource<Result<Paginated<TeamMember>, ApiError>>,
    /// `None` for people who may not see invitations (only Team Admins may).
    invitations: LocalResource<Option<Result<Paginated<TeamInvitation>, ApiError>>>,
    is_admin: Memo<bool>,
}

impl MembersData {
    /// Starts the requests for the view in the URL.
    fn load() -> Self {
        let session = use_session();
        let query = use_query::<TeamMembersParams>();
        let params = Memo::new(move |_| query.get().unwrap_or_default());
        let members = LocalResource::new(move || {
            let query = params.with(TeamMembersParams::api_query);
            async move { api::team::members(&query).await }
        });
        // The server decides; the session mirrors it to know whether to ask.
        let is_admin = Memo::new(move |_| {
            session
                .me()
                .is_some_and(|me| me.team.is_some() && me.team_role == Some(TeamRole::Admin))
        });
        let invitations = LocalResource::new(move || {
            let admin = is_admin.get();
            async move {
                if admin {
                    let query = TeamMembersQuery {
                        per_page: Some(INVITATIONS_LISTED),
                        ..TeamMembersQuery::default()
                    };
                    Some(api::team::invitations(&query).await)
                } else {
                    None
                }
            }
        });
        Self {
            params,
            members,
            invitations,
            is_admin,
        }
    }
}

/// Team Settings > Members: the team's people, their roles, invitations and removal.
#[component]
pub fn TeamMembers() -> impl IntoView {
    // Asked for now, beside the session check, not after it; someone signed out gets a 401
    // that is never shown.
    let data = MembersData::load();
    // Live updates: members, invitations or roles changed elsewhere.
    use_live_events().refetch_on(
        |event| matches!(event, Event::TeamChanged),
        move || {
            data.members.refetch();
            data.invitations.refetch();
        },
    );
    view! {
        <RequireSession>
            <TeamMembersPage data=data />
        </RequireSession>
    }
}

/// The page for someone signed in.
#[component]
fn TeamMembersPage(data: MembersData) -> impl IntoView {
    let session = use_session();
    let in_team = Memo::new(move |_| session.me().map(|me| me.team.is_some()));
    view! {
        <TeamSettingsFrame selected=TeamSection::Members>
            <PageHead
                title="Members"
                lede="Everyone in your team. Team Admins invite people, choose who is a Team \
                     Admin or a Partner Manager, and remove people."
            />
            {move || match in_team.get() {
                Some(false) => view! { <NoTeam /> }.into_any(),
                Some(true) => view! { <TeamMembersContent data=data /> }.into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

/// The members, and for Team Admins the invitations.
#[component]
fn TeamMembersContent(data: MembersData) -> impl IntoView {
    // The bottom padding leaves room to scroll the last actions above the toasts.
    let class = style! {
        .members {
            padding-bottom: 96px;
        }
        .section {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            margin-bottom: var(--space-6);
        }
        .section-head {
            display: flex;
            flex-wrap: wrap;
            align-items: baseline;
            gap: var(--space-1) var(--space-3);
        }
        .count {
            color: var(--color-text-secondary);
            font-variant-numeric: tabular-nums;
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        .skeleton {
            width: 100%;
            border-collapse: separate;
            border-spacing: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
    };
    let MembersData {
        params,
        members,
        invitations,
        is_admin,
    } = data;
    let session = use_session();
    let me = Memo::new(move |_| session.me().map(|me| me.user.id));
    let team_name = Signal::derive(move || {
        session
            .me()
            .and_then(|me| me.team)
            .map(|team| team.name)
            .unwrap_or_default()
    });

    let navigate = use_navigate();
    let search = Callback::new(move |q: String| {
        navigate(
            &params.get_untracked().with_search(&q).href(),
            NavigateOptions {
                scroll: false,
                ..Default::default()
            },
        );
    });

    // The member the remove dialog asks about.
    let removing = RwSignal::new(None::<TeamMember>);
    let heading = NodeRef::<leptos::html::H2>::new();
    let on_removed = Callback::new(move |_| {
        members.refetch();
        // Their row (and the Remove button that opened the dialog) is gone: focus goes to
        // the list's title rather than to the top of the page.
        request_animation_frame(move || {
            if let Some(heading) = heading.get_untracked() {
                _ = heading.focus();
            }
        });
    });

    let total = Memo::new(move |_| {
        members.with(|answer| match answer {
            Some(Ok(page)) => Some(page.total),
            _ => None,
        })
    });

    let table = move || {
        Suspend::new(async move {
            match members.await {
                Ok(page) => {
                    let params_now = params.get_untracked();
                    let first = u64::from(page.page.saturating_sub(1)) * u64::from(page.per_page);
                    let shown = page.items.len() as u64;
                    let range = if shown == 0 {
                        (0, 0)
                    } else {
                        (first + 1, first + shown)
                    };
                    let prev = (page.page > 1).then(|| params_now.with_page(page.page - 1).href());
                    let next = (first + shown < page.total)
                        .then(|| params_now.with_page(page.page + 1).href());
                    let total = page.total;
                    let paged = total > shown;
                    view! {
                        <TeamMemberTable
                            page=page
                            can_manage=is_admin
                            me=me.get_untracked()
                            q=params_now.q.clone()
                            on_remove=move |member| removing.set(Some(member))
                        />
                        {paged.then(|| view! {
                            <Pagination
                                range=range
                                total=total
                                prev=prev
                                next=next
                                label="Member pages"
                            />
                        })}
                    }
                    .into_any()
                }
                Err(error) if error.code() == Some(ErrorCode::Forbidden) => {
                    view! { <NoTeam /> }.into_any()
                }
                Err(error) => view! {
                    <ErrorPanel error=error on_retry=move |()| members.refetch() />
                }
                .into_any(),
            }
        })
    };
    let table_fallback = move || {
        view! { class=class,
            <table class="skeleton" aria-busy="true">
                <caption class="visually-hidden">"Loading members…"</caption>
                <tbody>
                    <SkeletonRows rows=4 columns=4 />
                </tbody>
            </table>
        }
    };

    let invitations_section = move || {
        is_admin.get().then(|| {
            let list = move || {
                Suspend::new(async move {
                    match invitations.await {
                        Some(Ok(page)) => view! {
                            <TeamInvitations
                                invitations=page
                                on_changed=move |()| invitations.refetch()
                            />
                        }
                        .into_any(),
                        Some(Err(error)) => view! {
                            <ErrorPanel error=error on_retry=move |()| invitations.refetch() />
                        }
                        .into_any(),
                        None => ().into_any(),
                    }
                })
            };
            view! { class=class,
                <section class="section" aria-labelledby="invite-members-title">
                    <div class="section-head">
                        <h2 id="invite-members-title">"Invite people"</h2>
                    </div>
                    <p class="lede">
                        "They get an email with a link to join. Someone new creates their \
                         account there; someone with an account signs in with that address."
                    </p>
                    <InviteMemberForm on_invited=move |_| invitations.refetch() />
                </section>
                <section class="section" aria-labelledby="pending-invitations-title">
                    <div class="section-head">
                        <h2 id="pending-invitations-title">"Pending invitations"</h2>
                    </div>
                    <Transition fallback=|| {
                        view! { <p role="status">"Loading invitations…"</p> }
                    }>{list}</Transition>
                </section>
            }
        })
    };

    view! { class=class,
        <div class="members">
        <section class="section" aria-labelledby="team-members-title">
            <div class="section-head">
                <h2 id="team-members-title" tabindex="-1" node_ref=heading>
                    "People in your team"
                </h2>
                <span class="count" data-testid="member-total">
                    {move || total.get().map(|n| counted(n, "member", "members"))}
                </span>
            </div>
            <PeopleSearch
                label="Find a member"
                id="member-search"
                q=Signal::derive(move || params.with(|p| p.q.clone()))
                on_search=search
            />
            <Transition fallback=table_fallback>{table}</Transition>
        </section>
        {invitations_section}
        </div>
        <RemoveMemberDialog
            member=removing
            team=team_name
            on_removed=on_removed
        />
    }
}
