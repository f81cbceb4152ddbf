use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::partnerships::{Seats, TeamRef};
use partner_api::session::UserRef;
use partner_api::workspaces::PartnerMember;
use partner_api::{PartnerRole, UserId, WorkspaceId};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::confirm_dialog::ConfirmDialog;
use super::empty_state::EmptyState;
use super::error_panel::explain;
use super::icon::{Icon, IconName};
use super::partner_lead_toggle::PartnerLeadToggle;
use super::relative_time::{calendar_day, ends_line};
use super::toast::{ToastKind, use_toasts};
use super::view_as_button::ViewAsButton;
use crate::api;

/// A partner in the settings panel; role and pending state change in place, per row.
#[derive(Debug, Clone)]
pub struct PartnerEntry {
    pub user: UserRef,
    pub team: TeamRef,
    pub sso_enforced: bool,
    pub role: RwSignal<PartnerRole>,
    /// A change of role or a removal is on its way to the server.
    pub pending: RwSignal<bool>,
    /// Partner Lead of this workspace.
    pub lead: RwSignal<bool>,
    /// Who gave them access, when the server says.
    pub invited_by: Option<UserRef>,
    /// When their access ends (`None`: no end); an extension moves it.
    pub ends_at: RwSignal<Option<String>>,
}

impl PartnerEntry {
    /// A row for a partner as the API describes them.
    pub fn new(member: PartnerMember) -> Self {
        Self {
            user: member.user,
            team: member.team,
            sso_enforced: member.sso_enforced,
            role: RwSignal::new(member.role),
            pending: RwSignal::new(false),
            lead: RwSignal::new(member.lead),
            invited_by: member.invited_by,
            ends_at: RwSignal::new(member.ends_at),
        }
    }

    /// The partner as the API describes them, with the role as it is now (untracked).
    pub fn member(&self) -> PartnerMember {
        PartnerMember {
            user: self.user.clone(),
            team: self.team.clone(),
            sso_enforced: self.sso_enforced,
            role: self.role.get_untracked(),
            lead: self.lead.get_untracked(),
            invited_by: self.invited_by.clone(),
            ends_at: self.ends_at.get_untracked(),
        }
    }
}

/// Puts partners in the order the server lists them: by team, then by name.
pub fn sort_partners(entries: &mut [PartnerEntry]) {
    entries.sort_by_cached_key(|e| (e.team.name.to_lowercase(), e.user.name.to_lowercase()));
}

/// Brings the list in line with the partners the server lists now, changing rows in place
/// (a row someone is changing here keeps its state until its own answer); `new_entry` makes
/// the rows of partners added meanwhile. Whether anything changed.
pub fn merge_partners(
    entries: &mut Vec<PartnerEntry>,
    fresh: Vec<PartnerMember>,
    new_entry: impl Fn(PartnerMember) -> PartnerEntry,
) -> bool {
    let before = entries.len();
    entries.retain(|e| e.pending.get_untracked() || fresh.iter().any(|m| m.user.id == e.user.id));
    let mut changed = entries.len() != before;
    for member in fresh {
        let Some(entry) = entries.iter().find(|e| e.user.id == member.user.id) else {
            entries.push(new_entry(member));
            changed = true;
            continue;
        };
        if entry.pending.get_untracked() {
            continue;
        }
        if entry.role.get_untracked() != member.role {
            entry.role.set(member.role);
        }
        if entry.lead.get_untracked() != member.lead {
            entry.lead.set(member.lead);
        }
        if entry.ends_at.with_untracked(|at| *at != member.ends_at) {
            entry.ends_at.set(member.ends_at);
        }
    }
    if changed {
        sort_partners(entries);
    }
    changed
}

/// Why a partner can't be made an Editor now, if they can't (the server enforces the same).
pub fn editor_unavailable(multi_partner_mode: bool, seats: Option<&Seats>) -> Option<&'static str> {
    if multi_partner_mode {
        Some("Partners can only be Viewers while multi-partner mode is on.")
    } else if seats.is_some_and(|seats| !seats.has_free_editor_seat()) {
        Some(
            "All Partner Editor seats are in use. Make an Editor a Viewer to free one, or \
             invite as a Viewer.",
        )
    } else {
        None
    }
}

/// The toast after an extension.
pub fn extended_message(name: &str, workspace: &str, ends_at: Option<&str>) -> String {
    match ends_at.and_then(calendar_day) {
        Some(day) => format!("{name}'s access to {workspace} now ends on {day}."),
        None => format!("{name}'s access to {workspace} no longer ends."),
    }
}

/// "a Viewer" / "an Editor".
pub fn with_article(role: PartnerRole) -> String {
    match role {
        PartnerRole::Editor => "an Editor".to_owned(),
        PartnerRole::Viewer => "a Viewer".to_owned(),
    }
}

/// One partner team of the list, in the order of its first partner.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TeamGroup {
    team: TeamRef,
    sso_enforced: bool,
}

fn team_groups(entries: &[PartnerEntry]) -> Vec<TeamGroup> {
    let mut groups: Vec<TeamGroup> = Vec::new();
    for entry in entries {
        if !groups.iter().any(|g| g.team.id == entry.team.id) {
            groups.push(TeamGroup {
                team: entry.team.clone(),
                sso_enforced: entry.sso_enforced,
            });
        }
    }
    groups
}

/// The partners of a workspace grouped by partner team (name, domain, SSO), each with
/// their role, Partner Lead and who invited them. People who manage partners change roles
/// (Editor disabled with the reason when it isn't possible), make partners Partner Lead or
/// not, and remove partners after a confirmation.
#[component]
pub fn PartnerList(
    /// The workspace's id and name, for requests and messages.
    #[prop(into)]
    workspace_id: Signal<String>,
    #[prop(into)] workspace_name: Signal<String>,
    #[prop(into)] partners: RwSignal<Vec<PartnerEntry>>,
    /// Whether the signed-in person may change roles and remove partners.
    #[prop(into)]
    can_manage: Signal<bool>,
    /// Whether each partner gets "View as" (the publisher's people who manage partners; a
    /// Partner Lead managing their own team does not).
    #[prop(optional, into)]
    can_view_as: Signal<bool>,
    /// Why Editor can't be chosen now, if it can't.
    #[prop(into)]
    editor_blocked: Signal<Option<&'static str>>,
    /// The signed-in person, marked "(you)".
    me: Option<UserId>,
    /// Called after a change that can take or free an Editor seat.
    #[prop(into)]
    on_seats_changed: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .partner-teams {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .team {
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            overflow: hidden;
        }
        .team-head {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-2);
            padding: var(--space-2) var(--space-4);
            background: var(--color-surface);
            border-bottom: 1px solid var(--color-border);
        }
        .team-icon {
            display: flex;
            color: var(--color-text-secondary);
        }
        .team-name {
            margin: 0;
            font-size: var(--text-sm);
            font-weight: 600;
        }
        .domain, .count {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .count {
            margin-left: auto;
            font-variant-numeric: tabular-nums;
        }
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
        }
        .partner {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            min-height: 52px;
            padding: var(--space-2) var(--space-4);
        }
        .partner + .partner {
            border-top: 1px solid var(--color-border);
        }
        .who {
            flex: 1;
            min-width: 0;
            display: flex;
            flex-direction: column;
            line-height: 1.3;
        }
        .name-line {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: 2px var(--space-2);
        }
        .name {
            font-weight: 500;
        }
        .you {
            color: var(--color-text-secondary);
            font-weight: 400;
        }
        .email {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow: hidden;
            text-overflow: ellipsis;
        }
        .select {
            height: 32px;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            min-width: 120px;
        }
        .saving {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .ends {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            font-variant-numeric: tabular-nums;
        }
        .note {
            display: flex;
            align-items: center;
            gap: var(--space-2);
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .confirm-text {
            color: var(--color-text);
        }
        @media (max-width: 640px) {
            .partner {
                flex-wrap: wrap;
            }
            .who {
                flex-basis: 100%;
            }
            .partner {
                gap: var(--space-2);
            }
            .select {
                min-width: 96px;
            }
        }
    };

    // The partner the remove dialog asks about.
    let removing = RwSignal::new(None::<PartnerEntry>);
    let remove_error = RwSignal::new(None::<String>);
    let remove_pending = RwSignal::new(false);

    let change_role = move |entry: PartnerEntry, new: PartnerRole| {
        let old = entry.role.get_untracked();
        if new == old || entry.pending.get_untracked() {
            return;
        }
        entry.role.set(new);
        entry.pending.set(true);
        let id = workspace_id.get_untracked();
        let workspace = workspace_name.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            let name = &entry.user.name;
            match api::workspace_settings::change_role(&id, &entry.user.id, new).await {
                Ok(member) => {
                    entry.role.set(member.role);
                    toasts.show(
                        ToastKind::Success,
                        format!(
                            "{name} is now {} in {workspace}.",
                            with_article(member.role)
                        ),
                    );
                    on_seats_changed.run(());
                }
                Err(error) => {
                    entry.role.set(old);
                    toasts.show(
                        ToastKind::Error,
                        format!("{name} is still {}. {}", with_article(old), explain(&error)),
                    );
                }
            }
            entry.pending.set(false);
        });
    };

    let extend = move |entry: PartnerEntry| {
        if entry.pending.get_untracked() {
            return;
        }
        entry.pending.set(true);
        let id = workspace_id.get_untracked();
        let workspace = workspace_name.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            let name = &entry.user.name;
            match api::workspace_settings::extend(&id, &entry.user.id).await {
                Ok(extended) => {
                    toasts.show(
                        ToastKind::Success,
                        extended_message(name, &workspace, extended.ends_at.as_deref()),
                    );
                    entry.ends_at.set(extended.ends_at);
                }
                Err(error) => toasts.show(
                    ToastKind::Error,
                    format!("{name}'s access wasn't extended. {}", explain(&error)),
                ),
            }
            entry.pending.set(false);
        });
    };

    let confirm_remove = move |()| {
        let Some(entry) = removing.get_untracked() else {
            return;
        };
        if remove_pending.get_untracked() {
            return;
        }
        remove_pending.set(true);
        remove_error.set(None);
        entry.pending.set(true);
        let id = workspace_id.get_untracked();
        let workspace = workspace_name.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            match api::workspace_settings::remove(&id, &entry.user.id).await {
                Ok(()) => {
                    partners.update(|list| list.retain(|p| p.user.id != entry.user.id));
                    removing.set(None);
                    toasts.show(
                        ToastKind::Success,
                        format!("{} no longer has access to {workspace}.", entry.user.name),
                    );
                    on_seats_changed.run(());
                }
                Err(error) => {
                    entry.pending.set(false);
                    let why = format!(
                        "{} is still a partner. {}",
                        entry.user.name,
                        explain(&error)
                    );
                    remove_error.set(Some(why.clone()));
                    toasts.show(ToastKind::Error, why);
                }
            }
            remove_pending.set(false);
        });
    };

    let row = move |entry: PartnerEntry| {
        let role = entry.role;
        let pending = entry.pending;
        let select_id = format!("partner-role-{}", entry.user.id);
        let you = (me.as_ref() == Some(&entry.user.id))
            .then(|| view! { class=class, <span class="you">" (you)"</span> });
        let lead = entry.lead;
        let lead_badge = move || {
            lead.get()
                .then(|| view! { <Badge text="Partner Lead" tone=Tone::Accent /> })
        };
        let invited_by = entry.invited_by.as_ref().map(|by| {
            view! { class=class, <span class="email">{format!("Invited by {}", by.name)}</span> }
        });
        let lead_control = {
            let entry = entry.clone();
            move || {
                can_manage.get().then(|| {
                    view! {
                        <PartnerLeadToggle
                            entry=entry.clone()
                            workspace_id=workspace_id
                            workspace_name=workspace_name
                        />
                    }
                })
            }
        };
        let role_control = {
            let entry = entry.clone();
            let select_id = select_id.clone();
            move || {
                if can_manage.get() {
                    let entry = entry.clone();
                    let editor_disabled =
                        move || role.get() != PartnerRole::Editor && editor_blocked.get().is_some();
                    view! { class=class,
                        <label class="visually-hidden" for=select_id.clone()>
                            {format!("Role of {}", entry.user.name)}
                        </label>
                        <select
                            id=select_id.clone()
                            class="select"
                            disabled=move || pending.get()
                            aria-describedby=move || {
                                editor_disabled().then_some("partner-editor-note")
                            }
                            on:change=move |ev| {
                                if let Ok(new) = event_target_value(&ev).parse() {
                                    change_role(entry.clone(), new);
                                }
                            }
                        >
                            <option
                                value="viewer"
                                prop:selected=move || role.get() == PartnerRole::Viewer
                            >
                                "Viewer"
                            </option>
                            <option
                                value="editor"
                                disabled=editor_disabled
                                prop:selected=move || role.get() == PartnerRole::Editor
                            >
                                {move || {
                                    if editor_disabled() {
                                        "Editor (unavailable)"
                                    } else {
                                        "Editor"
                                    }
                                }}
                            </option>
                        </select>
                    }
                    .into_any()
                } else {
                    view! {
                        <Badge
                            text=Signal::derive(move || role.get().label().to_owned())
                            tone=Tone::Neutral
                        />
                    }
                    .into_any()
                }
            }
        };
        let ends_at = entry.ends_at;
        let ends = move || {
            ends_at.with(|at| ends_line(at.as_deref())).map(|line| {
                view! { class=class, <span class="ends" data-testid="partner-ends">{line}</span> }
            })
        };
        let extend_button = {
            let entry = entry.clone();
            move || {
                let entry = entry.clone();
                (can_manage.get() && ends_at.with(Option::is_some)).then(|| {
                    view! { class=class,
                        <button
                            type="button"
                            class="button"
                            disabled=move || pending.get()
                            aria-label=format!("Extend access for {}", entry.user.name)
                            title="Adds your team's default period (30 days if it has none) to the end"

                            on:click=move |_| extend(entry.clone())
                        >
                            "Extend"
                        </button>
                    }
                })
            }
        };
        // A read-only look at this workspace through the partner's eyes.
        let view_as_button = {
            let entry = entry.clone();
            move || {
                can_view_as.get().then(|| {
                    view! {
                        <ViewAsButton
                            partner=entry.user.id.clone()
                            partner_name=entry.user.name.clone()
                            workspace=WorkspaceId::from(workspace_id.get_untracked())
                        />
                    }
                })
            }
        };
        let remove_button = {
            let entry = entry.clone();
            move || {
                let entry = entry.clone();
                can_manage.get().then(|| {
                    view! { class=class,
                        <button
                            type="button"
                            class="button button-danger"
                            disabled=move || pending.get()
                            aria-label=format!("Remove {}", entry.user.name)
                            on:click=move |_| {
                                remove_error.set(None);
                                removing.set(Some(entry.clone()));
                            }
                        >
                            "Remove"
                        </button>
                    }
                })
            }
        };
        view! { class=class,
            <li class="partner" data-testid="partner">
                <div class="who">
                    <span class="name-line">
                        <span class="name">{entry.user.name.clone()} {you}</span>
                        {lead_badge}
                    </span>
                    <span class="email">{entry.user.email.clone()}</span>
                    {invited_by}
                    {ends}
                </div>
                {move || pending.get().then(|| view! { class=class, <span class="saving">"Saving…"</span> })}
                {lead_control}
                {role_control}
                {view_as_button}
                {extend_button}
                {remove_button}
            </li>
        }
    };

    let groups = Memo::new(move |_| partners.with(|p| team_groups(p)));
    let group = move |group: TeamGroup| {
        let row = row.clone();
        let team_id = group.team.id.clone();
        let heading_id = format!("partner-team-{}", group.team.id);
        let members = {
            let team_id = team_id.clone();
            move || {
                partners.with(|p| {
                    p.iter()
                        .filter(|e| e.team.id == team_id)
                        .cloned()
                        .collect::<Vec<_>>()
                })
            }
        };
        let count = {
            let team_id = team_id.clone();
            move || {
                let n = partners.with(|p| p.iter().filter(|e| e.team.id == team_id).count());
                if n == 1 {
                    "1 partner".to_owned()
                } else {
                    format!("{n} partners")
                }
            }
        };
        let sso = if group.sso_enforced {
            view! { <Badge text="SSO enforced" tone=Tone::Success icon=IconName::Shield /> }
        } else {
            view! { <Badge text="SSO not enforced" tone=Tone::Neutral icon=IconName::ShieldOff /> }
        };
        view! { class=class,
            <section class="team" aria-labelledby=heading_id.clone() data-testid="partner-team">
                <div class="team-head">
                    <span class="team-icon">
                        <Icon name=IconName::Building />
                    </span>
                    <h4 class="team-name" id=heading_id.clone()>{group.team.name.clone()}</h4>
                    <span class="domain">{group.team.domain.clone()}</span>
                    {sso}
                    <span class="count">{count}</span>
                </div>
                <ul>
                    <For each=members key=|e| e.user.id.clone() children=row />
                </ul>
            </section>
        }
    };

    let note = move || {
        (can_manage.get())
            .then(|| editor_blocked.get())
            .flatten()
            .map(|why| {
                view! { class=class,
                    <p class="note" id="partner-editor-note">
                        <Icon name=IconName::Alert size=12 />
                        {why}
                    </p>
                }
            })
    };

    let dialog_title = Signal::derive(move || {
        removing
            .read()
            .as_ref()
            .map(|e| format!("Remove {}?", e.user.name))
            .unwrap_or_default()
    });
    let dialog_body = move || {
        removing.get().map(|entry| {
            let seat = (entry.role.get_untracked() == PartnerRole::Editor)
                .then_some(" Their Partner Editor seat becomes free.");
            view! { class=class,
                <p class="confirm-text">
                    {format!(
                        "{} ({}, {}) loses access to {} at once. You can invite them again later.",
                        entry.user.name,
                        entry.user.email,
                        entry.team.name,
                        workspace_name.get_untracked(),
                    )}
                    {seat}
                </p>
            }
        })
    };

    view! { class=class,
        <div class="partner-teams">
            {note}
            {move || {
                partners
                    .with(Vec::is_empty)
                    .then(|| {
                        let text = if can_manage.get() {
                            "People from other companies' teams you invite appear here, grouped by team."
                        } else {
                            "No one from another team has access to this workspace."
                        };
                        view! { <EmptyState title="No partners yet" text=text /> }
                    })
            }}
            <For each=move || groups.get() key=|g| g.team.id.clone() children=group />
        </div>
        <ConfirmDialog
            open=Signal::derive(move || removing.read().is_some())
            title=dialog_title
            confirm_label="Remove partner"
            pending_label="Removing…"
            pending=remove_pending
            error=remove_error
            danger=true
            on_confirm=confirm_remove
            on_cancel=move |()| removing.set(None)
        >
            {dialog_body}
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_api::Plan;

    #[test]
    fn editor_is_refused_in_multi_partner_mode_and_without_a_free_seat() {
        let seats = |used| Seats {
            plan: Plan::Professional,
            editor_seats_included: 3,
            editor_seats_used: used,
        };
        assert!(
            editor_unavailable(true, Some(&seats(0)))
                .unwrap()
                .contains("multi-partner")
        );
        assert!(
            editor_unavailable(false, Some(&seats(3)))
                .unwrap()
                .contains("seats are in use")
        );
        assert_eq!(editor_unavailable(false, Some(&seats(2))), None);
        // Unknown seats: the server decides.
        assert_eq!(editor_unavailable(false, None), None);
    }

    #[test]
    fn an_extension_says_the_new_end() {
        assert_eq!(
            extended_message("Gary Green", "Payments API", Some("2027-02-11T10:00:00Z")),
            "Gary Green's access to Payments API now ends on 11 Feb 2027."
        );
        assert_eq!(
            extended_message("Gary Green", "Payments API", None),
            "Gary Green's access to Payments API no longer ends."
        );
    }

    #[test]
    fn roles_read_with_their_article() {
        assert_eq!(with_article(PartnerRole::Editor), "an Editor");
        assert_eq!(with_article(PartnerRole::Viewer), "a Viewer");
    }
}
