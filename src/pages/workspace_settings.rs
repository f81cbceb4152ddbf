use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use partner_api::ErrorCode;
use partner_api::expiry::AccessPeriod;
use partner_api::partnerships::Seats;
use partner_api::workspaces::{Members, PartnerMember, Visibility, Workspace};
use stylers_macro::style;

use crate::api::events::{about_workspace, use_live_events};
use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::danger_zone::DangerZone;
use crate::components::editor_seats::EditorSeats;
use crate::components::error_panel::ErrorPanel;
use crate::components::general_settings::GeneralSettings;
use crate::components::invite_partners::InvitePartners;
use crate::components::multi_partner_setting::MultiPartnerSetting;
use crate::components::partner_list::{
    PartnerEntry, PartnerList, editor_unavailable, merge_partners, sort_partners,
};
use crate::components::people_search::PeopleSearch;
use crate::components::require_session::RequireSession;
use crate::components::unlisted_note::UnlistedNote;
use crate::components::workspace_status::WorkspaceStatus;
use crate::routes::{Page, with_search};
use crate::session::use_session;

/// The publisher's Editor seats: `None` for partners (seats belong to the publisher).
type SeatsResource = LocalResource<Option<Result<Seats, ApiError>>>;

/// One workspace's settings: General, Partner access (multi-partner mode, Editor seats,
/// invitations, the partner list) and the Danger zone, each as far as the signed-in
/// person may see and change them (the server decides; the page mirrors it).
#[component]
pub fn WorkspaceSettings() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    // Asked for now, beside the session check, not after it; someone signed out gets a 401
    // that is never shown.
    let workspace = LocalResource::new(move || {
        let id = id.get();
        async move { api::workspaces::get(&id).await }
    });
    // A search of the partner list (`?q=`), for lists the server capped.
    let query = use_query_map();
    let partner_search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let members = LocalResource::new(move || {
        let id = id.get();
        let q = partner_search.get();
        async move { api::workspaces::members(&id, Some(&q)).await }
    });
    let seats: SeatsResource = LocalResource::new(move || {
        let publisher_side = workspace
            .get()
            .and_then(Result::ok)
            .map(|w| !w.your_role.is_partner());
        async move {
            match publisher_side {
                Some(true) => Some(api::seats::get().await),
                _ => None,
            }
        }
    });
    // How long new partner access lasts in the publisher's team, to name "Team default" in
    // the invitation form: only the publisher's own people can read it, and without it the
    // form still works (it says "Team default").
    let team_default = LocalResource::new(move || {
        let publisher = workspace
            .get()
            .and_then(Result::ok)
            .filter(|w| w.permissions.manage_partners && !w.your_role.is_partner())
            .map(|w| w.publisher.id);
        async move {
            let publisher = publisher?;
            let team = api::team::get().await.ok()?;
            (team.id == publisher).then_some(team.default_access)
        }
    });
    let team_default = Signal::derive(move || team_default.get().flatten());
    view! {
        <RequireSession>
            <WorkspaceSettingsPage
                id=id
                workspace=workspace
                members=members
                seats=seats
                partner_search=partner_search
                team_default=team_default
            />
        </RequireSession>
    }
}

/// The settings, as far as the signed-in person may see them.
#[component]
fn WorkspaceSettingsPage(
    id: Memo<String>,
    workspace: LocalResource<Result<Workspace, ApiError>>,
    members: LocalResource<Result<Members, ApiError>>,
    seats: SeatsResource,
    partner_search: Memo<String>,
    team_default: Signal<Option<AccessPeriod>>,
) -> impl IntoView {
    let navigate = use_navigate();
    let search_partners = Callback::new(move |q: String| {
        navigate(
            &with_search(&Page::WorkspaceSettings(&id.get_untracked()).href(), &q),
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    });
    // The bottom padding leaves room to scroll the last actions above the toasts.
    let class = style! {
        .workspace-settings {
            width: 100%;
            max-width: 1120px;
            padding: var(--space-5) var(--space-6) 120px;
        }
        .back {
            display: inline-block;
            margin-bottom: var(--space-3);
        }
        .loading {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .bar {
            height: 16px;
            border-radius: var(--radius-control);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .bar-title {
            width: 280px;
            height: 28px;
        }
        .bar-block {
            height: 160px;
            border-radius: var(--radius-card);
        }
        @media (max-width: 640px) {
            .workspace-settings {
                padding: var(--space-4) var(--space-4) var(--space-6);
            }
        }
    };

    let retry = move |()| {
        workspace.refetch();
        members.refetch();
    };
    let content = move || {
        Suspend::new(async move {
            match (workspace.await, members.await) {
                (Ok(workspace), Ok(members)) => view! {
                    <SettingsPanel
                        workspace=workspace
                        members=members
                        seats=seats
                        partner_search=partner_search
                        on_search=search_partners
                        team_default=team_default
                        on_gone=retry
                    />
                }
                .into_any(),
                (Err(error), _) | (_, Err(error)) => {
                    let title = match error.code() {
                        Some(ErrorCode::NotFound) => "This workspace isn't available",
                        Some(ErrorCode::AccessEnded) => "Your access to this workspace has ended",
                        _ => "We couldn't load these settings",
                    };
                    view! { class=class,
                        <div class="loading">
                            <h1>{title}</h1>
                            <ErrorPanel error=error on_retry=retry />
                        </div>
                    }
                    .into_any()
                }
            }
        })
    };

    view! { class=class,
        <div class="workspace-settings">
            <a class="back" href=move || Page::Workspace(&id.get()).href()>
                "← Back to workspace"
            </a>
            <Transition fallback=move || {
                view! { class=class,
                    <div class="loading" role="status" aria-busy="true">
                        <span class="visually-hidden">"Loading workspace settings…"</span>
                        <span class="bar bar-title" aria-hidden="true"></span>
                        <span class="bar" aria-hidden="true"></span>
                        <span class="bar bar-block" aria-hidden="true"></span>
                    </div>
                }
            }>{content}</Transition>
        </div>
    }
}

/// The loaded panel. It keeps the workspace and its partners in signals that every change
/// updates in place, so a change never reloads the page around what someone is typing.
#[component]
fn SettingsPanel(
    workspace: Workspace,
    members: Members,
    seats: SeatsResource,
    /// The search of the partner list in force, and a new one asked for.
    partner_search: Memo<String>,
    on_search: Callback<String>,
    /// How long new partner access lasts in the publisher's team, when known.
    team_default: Signal<Option<AccessPeriod>>,
    /// A live update found the workspace gone for this person (access ended, removed): the
    /// page loads again and says so.
    #[prop(into)]
    on_gone: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let me = untrack(move || session.me()).map(|me| me.user.id);
    // Partners invited later get their row signals from this panel, not from the form
    // that invited them.
    let owner = StoredValue::new(Owner::current().expect("components run inside an owner"));
    let workspace = RwSignal::new(workspace);
    // Partners the server didn't list (it lists at most 200), found by a search.
    let more = RwSignal::new(members.unlisted().1);
    let searching = Signal::derive(move || !partner_search.get().is_empty());
    let mut entries: Vec<PartnerEntry> = members
        .partners
        .into_iter()
        .map(PartnerEntry::new)
        .collect();
    sort_partners(&mut entries);
    let partners = RwSignal::new(entries);

    let is_partner = Memo::new(move |_| workspace.with(|w| w.your_role.is_partner()));
    let shared = Memo::new(move |_| workspace.with(|w| w.visibility == Visibility::Partner));
    let manage_settings = Memo::new(move |_| workspace.with(|w| w.permissions.manage_settings));
    let manage_partners = Memo::new(move |_| workspace.with(|w| w.permissions.manage_partners));
    let multi_partner_mode = Memo::new(move |_| workspace.with(|w| w.multi_partner_mode));
    let workspace_id = Signal::derive(move || workspace.with(|w| w.id.to_string()));
    let workspace_name = Signal::derive(move || workspace.with(|w| w.name.clone()));
    let seats_now = Signal::derive(move || seats.get().flatten().and_then(Result::ok));
    let editor_blocked = Signal::derive(move || {
        editor_unavailable(multi_partner_mode.get(), seats_now.get().as_ref())
    });
    let on_seats_changed = Callback::new(move |()| seats.refetch());
    let on_invited = Callback::new(move |member: PartnerMember| {
        if partners.with_untracked(|list| list.iter().any(|p| p.user.id == member.user.id)) {
            return;
        }
        let entry = owner.with_value(|owner| owner.with(|| PartnerEntry::new(member)));
        partners.update(|list| {
            list.push(entry);
            sort_partners(list);
        });
        seats.refetch();
    });

    // Live updates: what someone else changes in this workspace is read again and applied
    // in place, so forms keep what is typed and nothing flashes.
    let latest_sync = StoredValue::new(0u64);
    let sync = move || {
        let asked = latest_sync.get_value() + 1;
        latest_sync.set_value(asked);
        let id = workspace.with_untracked(|w| w.id.to_string());
        let q = partner_search.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            let answer = match api::workspaces::get(&id).await {
                Ok(fresh) => api::workspaces::members(&id, Some(&q))
                    .await
                    .map(|members| (fresh, members)),
                Err(error) => Err(error),
            };
            if latest_sync.try_get_value() != Some(asked) {
                return;
            }
            match answer {
                Ok((fresh, members)) => {
                    let unlisted = members.unlisted().1;
                    if more.get_untracked() != unlisted {
                        more.set(unlisted);
                    }
                    let changed = partners.try_update_untracked(|list| {
                        merge_partners(list, members.partners, |member| {
                            owner.with_value(|owner| owner.with(|| PartnerEntry::new(member)))
                        })
                    });
                    if changed == Some(true) {
                        partners.notify();
                    }
                    if !fresh.your_role.is_partner() {
                        seats.refetch();
                    }
                    if workspace.with_untracked(|w| *w != fresh) {
                        workspace.set(fresh);
                    }
                }
                // No longer open to this person: the page says why.
                Err(error)
                    if matches!(
                        error.code(),
                        Some(ErrorCode::NotFound | ErrorCode::AccessEnded | ErrorCode::Forbidden)
                    ) =>
                {
                    on_gone.run(());
                }
                // A failed re-read keeps what is shown; the next event reads again.
                Err(_) => {}
            }
        });
    };
    let watched = workspace.with_untracked(|w| w.id.to_string());
    use_live_events().on(
        move |event| about_workspace(event, &watched),
        move |_| sync(),
    );

    let class = style! {
        .page-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding-bottom: var(--space-5);
        }
        .title {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2) var(--space-3);
        }
        .meta {
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
            display: grid;
            grid-template-columns: 240px minmax(0, 1fr);
            gap: var(--space-4) var(--space-6);
            padding: var(--space-5) 0 var(--space-6);
            border-top: 1px solid var(--color-border);
        }
        .section-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .section-body {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            min-width: 0;
        }
        .lede {
            color: var(--color-text-secondary);
        }
        .divider {
            border: none;
            border-top: 1px solid var(--color-border);
            margin: 0;
        }
        .list-head {
            display: flex;
            align-items: baseline;
            gap: var(--space-2);
            margin-top: var(--space-2);
        }
        .list-title {
            font-size: var(--text-md);
        }
        .list-count {
            color: var(--color-text-secondary);
            font-variant-numeric: tabular-nums;
        }
        .danger-title {
            color: var(--color-danger);
        }
        @media (max-width: 900px) {
            .section {
                grid-template-columns: minmax(0, 1fr);
            }
        }
    };

    let header = move || {
        workspace.with(|w| {
            let role = w.your_role.label();
            let status = w.clone();
            view! { class=class,
                <header class="page-head">
                    <div class="title">
                        <h1>{w.name.clone()} " settings"</h1>
                        <WorkspaceStatus workspace=status sharing=true />
                    </div>
                    <p class="meta">
                        <span>"Published by " {w.publisher.name.clone()}</span>
                        <span class="separator" aria-hidden="true">"·"</span>
                        <span data-testid="your-role">
                            "Your role: "
                            <Badge text=role tone=Tone::Accent />
                        </span>
                    </p>
                </header>
            }
        })
    };

    let seats_line = move || {
        Suspend::new(async move {
            match seats.await {
                Some(Ok(seats)) => view! { <EditorSeats seats=seats /> }.into_any(),
                Some(Err(error)) => view! { class=class,
                    <p class="lede">
                        "Partner Editor seats are unavailable right now. " {error.to_string()}
                    </p>
                }
                .into_any(),
                None => ().into_any(),
            }
        })
    };

    let partner_access = move || {
        if !shared.get() {
            return view! { class=class,
                <p class="lede" data-testid="internal-note">
                    {move || {
                        format!(
                            "This is an internal workspace: only {} can open it, and partners can't be invited.",
                            workspace.with(|w| w.publisher.name.clone()),
                        )
                    }}
                </p>
            }
            .into_any();
        }
        let list_title = move || {
            if is_partner.get() && multi_partner_mode.get() {
                "Partners you can see"
            } else {
                "Partners"
            }
        };
        let partner_note = move || {
            (is_partner.get() && multi_partner_mode.get()).then(|| {
                view! { class=class,
                    <p class="lede">
                        "Multi-partner mode is on: you see your own team's partners, not other partner teams."
                    </p>
                }
            })
        };
        view! { class=class,
            <MultiPartnerSetting
                workspace=workspace
                partners=partners
                on_seats_changed=on_seats_changed
            />
            <hr class="divider" />
            {move || {
                (!is_partner.get())
                    .then(|| view! { <Transition fallback=|| ()>{seats_line}</Transition> })
            }}
            {move || {
                manage_partners
                    .get()
                    .then(|| {
                        view! {
                            <InvitePartners
                                workspace_id=workspace_id
                                workspace_name=workspace_name
                                editor_blocked=editor_blocked
                                on_invited=on_invited
                                team_default=team_default
                            />
                        }
                    })
            }}
            <div class="list-head">
                <h3 class="list-title">{list_title}</h3>
                <span class="list-count">
                    {move || partners.with(Vec::len) + more.get() as usize}
                </span>
            </div>
            {partner_note}
            {move || {
                (more.get() > 0 || searching.get())
                    .then(|| {
                        view! {
                            <PeopleSearch
                                label="Find a partner"
                                id="partner-search"
                                q=partner_search
                                on_search=on_search
                            />
                        }
                    })
            }}
            <PartnerList
                workspace_id=workspace_id
                workspace_name=workspace_name
                partners=partners
                can_manage=manage_partners
                can_view_as=Signal::derive(move || manage_partners.get() && !is_partner.get())
                editor_blocked=editor_blocked
                me=me.clone()
                on_seats_changed=on_seats_changed
            />
            {move || {
                view! {
                    <UnlistedNote
                        count=more.get()
                        one="partner"
                        many="partners"
                        how="Search by name or email to find them."
                    />
                }
            }}
        }
        .into_any()
    };

    let danger_zone = move || {
        (manage_settings.get() && shared.get()).then(|| {
            view! { class=class,
                <section class="section" aria-labelledby="danger-zone-title">
                    <div class="section-head">
                        <h2 class="danger-title" id="danger-zone-title">"Danger zone"</h2>
                        <p class="lede">"Changes that can't be undone."</p>
                    </div>
                    <div class="section-body">
                        <DangerZone
                            workspace=workspace
                            partners=partners
                            more=more
                            searching=searching
                            on_seats_changed=on_seats_changed
                        />
                    </div>
                </section>
            }
        })
    };

    view! { class=class,
        {header}
        <div class="sections">
            <section class="section" aria-labelledby="general-title">
                <div class="section-head">
                    <h2 id="general-title">"General"</h2>
                    <p class="lede">"The name and summary everyone in the workspace sees."</p>
                </div>
                <div class="section-body">
                    <GeneralSettings workspace=workspace />
                </div>
            </section>
            <section class="section" aria-labelledby="partner-access-title">
                <div class="section-head">
                    <h2 id="partner-access-title">"Partner access"</h2>
                    <p class="lede">
                        "People from other companies' teams who can open this workspace, and what they see of each other."
                    </p>
                </div>
                <div class="section-body">{partner_access}</div>
            </section>
            {danger_zone}
        </div>
    }
}
