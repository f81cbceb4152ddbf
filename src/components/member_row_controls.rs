use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::TeamRole;
use partner_api::session::UserRef;
use partner_api::team::{MemberPatch, TeamMember};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::error_panel::explain;
use super::icon::IconName;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};
use crate::session::use_session;

/// A member's row in Team Settings > Members; role and Partner Manager change in place.
#[derive(Debug, Clone)]
pub struct MemberEntry {
    pub user: UserRef,
    pub team_role: RwSignal<TeamRole>,
    pub is_partner_manager: RwSignal<bool>,
    pub last_sign_in_at: Option<String>,
    /// A change is on its way to the server.
    pub pending: RwSignal<bool>,
    /// Why the last change was refused, shown in the row until the next one.
    pub refused: RwSignal<Option<String>>,
}

impl MemberEntry {
    /// A row for a member as the API describes them.
    pub fn new(member: TeamMember) -> Self {
        Self {
            user: member.user,
            team_role: RwSignal::new(member.team_role),
            is_partner_manager: RwSignal::new(member.is_partner_manager),
            last_sign_in_at: member.last_sign_in_at,
            pending: RwSignal::new(false),
            refused: RwSignal::new(None),
        }
    }

    /// The member as the API describes them, as they are now (untracked).
    pub fn member(&self) -> TeamMember {
        TeamMember {
            user: self.user.clone(),
            team_role: self.team_role.get_untracked(),
            is_partner_manager: self.is_partner_manager.get_untracked(),
            last_sign_in_at: self.last_sign_in_at.clone(),
        }
    }
}

/// "a Team Admin" / "a Member".
pub fn role_with_article(role: TeamRole) -> &'static str {
    match role {
        TeamRole::Admin => "a Team Admin",
        TeamRole::Member => "a Member",
    }
}

/// What a change did, once the server agreed.
pub fn changed_message(name: &str, patch: &MemberPatch, now: &TeamMember) -> String {
    if patch.team_role.is_some() {
        match now.team_role {
            TeamRole::Admin => format!("{name} is now a Team Admin."),
            TeamRole::Member => format!("{name} is no longer a Team Admin."),
        }
    } else if now.is_partner_manager {
        format!("{name} is now a Partner Manager and can open Partnerships.")
    } else {
        format!("{name} is no longer a Partner Manager.")
    }
}

/// What stays as it was when the server refuses a change, and why.
pub fn refused_message(
    name: &str,
    patch: &MemberPatch,
    before: &TeamMember,
    error: &ApiError,
) -> String {
    let still = if patch.team_role.is_some() {
        role_with_article(before.team_role)
    } else if before.is_partner_manager {
        "a Partner Manager"
    } else {
        "not a Partner Manager"
    };
    format!("{name} is still {still}. {}", explain(error))
}

/// The team role and Partner Manager cells of a member's row: a select and a switch for Team
/// Admins (each change shows at once, and goes back, saying why, when the server refuses —
/// the last Team Admin stays one), badges for everyone else.
#[component]
pub fn MemberRowControls(
    entry: MemberEntry,
    #[prop(into)] can_manage: Signal<bool>,
    /// The table's style class, so these cells lay out as the row's others.
    #[prop(into)]
    cell_class: String,
) -> impl IntoView {
    let toasts = use_toasts();
    let session = use_session();
    let class = style! {
        .role-select {
            height: 32px;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            min-width: 128px;
        }
        .manager {
            display: inline-flex;
            align-items: center;
            gap: var(--space-2);
        }
        .manager input {
            width: 18px;
            height: 18px;
            margin: 0;
            accent-color: var(--color-accent);
            cursor: pointer;
        }
        .manager input[disabled] {
            cursor: not-allowed;
        }
        .no {
            color: var(--color-text-secondary);
        }
        .cell-label {
            display: none;
        }
        @media (max-width: 640px) {
            .cell-label {
                display: block;
                font-size: var(--text-xs);
                color: var(--color-text-secondary);
            }
        }
    };

    let save = {
        let entry = entry.clone();
        move |patch: MemberPatch| {
            if entry.pending.get_untracked() {
                return;
            }
            let before = entry.member();
            if let Some(role) = patch.team_role {
                entry.team_role.set(role);
            }
            if let Some(manager) = patch.is_partner_manager {
                entry.is_partner_manager.set(manager);
            }
            entry.pending.set(true);
            entry.refused.set(None);
            let entry = entry.clone();
            spawn_local_scoped_with_cancellation(async move {
                let name = entry.user.name.clone();
                match api::team::update_member(&entry.user.id, &patch).await {
                    Ok(now) => {
                        entry.team_role.set(now.team_role);
                        entry.is_partner_manager.set(now.is_partner_manager);
                        toasts.show(ToastKind::Success, changed_message(&name, &patch, &now));
                        // Someone who changed their own role: the page follows what they
                        // may do now.
                        if let Some(mut me) = session.me()
                            && me.user.id == now.user.id
                        {
                            me.team_role = Some(now.team_role);
                            me.is_partner_manager = now.is_partner_manager;
                            session.signed_in(me);
                        }
                    }
                    Err(error) => {
                        entry.team_role.set(before.team_role);
                        entry.is_partner_manager.set(before.is_partner_manager);
                        let why = refused_message(&name, &patch, &before, &error);
                        entry.refused.set(Some(why.clone()));
                        toasts.show(ToastKind::Error, why);
                    }
                }
                entry.pending.set(false);
            });
        }
    };

    let id = entry.user.id.to_string();
    let name = entry.user.name.clone();
    let role = entry.team_role;
    let manager = entry.is_partner_manager;
    let pending = entry.pending;
    let refused_id = format!("member-refused-{id}");

    let role_cell = {
        let (id, name, refused_id, save) =
            (id.clone(), name.clone(), refused_id.clone(), save.clone());
        move || {
            if can_manage.get() {
                let select_id = format!("member-role-{id}");
                let save = save.clone();
                let refused_id = refused_id.clone();
                view! { class=class,
                    <label class="visually-hidden" for=select_id.clone()>
                        {format!("Team role of {name}")}
                    </label>
                    <select
                        id=select_id
                        class="role-select"
                        disabled=move || pending.get()
                        aria-describedby=move || {
                            entry.refused.with(Option::is_some).then(|| refused_id.clone())
                        }
                        prop:value=move || role.get().as_str()
                        on:change=move |ev| {
                            if let Ok(wanted) = event_target_value(&ev).parse::<TeamRole>()
                                && wanted != role.get_untracked()
                            {
                                save(MemberPatch {
                                    team_role: Some(wanted),
                                    ..MemberPatch::default()
                                });
                            }
                        }
                    >
                        {TeamRole::ALL
                            .iter()
                            .map(|option| {
                                view! {
                                    <option
                                        value=option.as_str()
                                        prop:selected=move || role.get() == *option
                                    >
                                        {option.label()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                }
                .into_any()
            } else {
                let text = Signal::derive(move || role.get().label().to_owned());
                match role.get_untracked() {
                    TeamRole::Admin => view! { <Badge text=text tone=Tone::Accent /> }.into_any(),
                    TeamRole::Member => view! { <Badge text=text /> }.into_any(),
                }
            }
        }
    };

    let manager_cell = {
        let (id, name, refused_id) = (id.clone(), name.clone(), refused_id.clone());
        move || {
            if can_manage.get() {
                let box_id = format!("member-manager-{id}");
                let save = save.clone();
                let refused_id = refused_id.clone();
                view! { class=class,
                    <span class="manager">
                        <input
                            type="checkbox"
                            role="switch"
                            id=box_id.clone()
                            disabled=move || pending.get()
                            aria-describedby=move || {
                                entry.refused.with(Option::is_some).then(|| refused_id.clone())
                            }
                            prop:checked=move || manager.get()
                            on:change=move |ev| {
                                save(MemberPatch {
                                    is_partner_manager: Some(event_target_checked(&ev)),
                                    ..MemberPatch::default()
                                });
                            }
                        />
                        <label class="visually-hidden" for=box_id>
                            {format!("Partner Manager: {name}")}
                        </label>
                    </span>
                }
                .into_any()
            } else if manager.get() {
                view! { <Badge text="Partner Manager" tone=Tone::Success icon=IconName::Check /> }
                    .into_any()
            } else {
                view! { class=class, <span class="no">"No"</span> }.into_any()
            }
        }
    };

    view! {
        <td class=format!("{class} {cell_class} role-cell")>
            <span class=format!("{class} cell-label") aria-hidden="true">"Team role"</span>
            {role_cell}
        </td>
        <td class=format!("{class} {cell_class} manager-cell")>
            <span class=format!("{class} cell-label") aria-hidden="true">"Partner Manager"</span>
            {manager_cell}
        </td>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_api::ErrorCode;

    fn mike(role: TeamRole, manager: bool) -> TeamMember {
        TeamMember {
            user: UserRef {
                id: "u_mike".into(),
                name: "Mike Moore".to_owned(),
                email: "mike@acme.test".to_owned(),
            },
            team_role: role,
            is_partner_manager: manager,
            last_sign_in_at: None,
        }
    }

    #[test]
    fn a_change_says_what_the_person_is_now() {
        let manager = MemberPatch {
            is_partner_manager: Some(true),
            ..MemberPatch::default()
        };
        assert_eq!(
            changed_message("Mike Moore", &manager, &mike(TeamRole::Member, true)),
            "Mike Moore is now a Partner Manager and can open Partnerships."
        );
        let demote = MemberPatch {
            team_role: Some(TeamRole::Member),
            ..MemberPatch::default()
        };
        assert_eq!(
            changed_message("Mike Moore", &demote, &mike(TeamRole::Member, true)),
            "Mike Moore is no longer a Team Admin."
        );
    }

    #[test]
    fn a_refusal_says_what_stays_and_the_servers_reason() {
        let last_admin = ApiError::Server {
            status: 409,
            code: ErrorCode::LastAdmin,
            message: "Acme Payments needs at least one Team Admin.".to_owned(),
            fields: Default::default(),
            retry_after: None,
        };
        let demote = MemberPatch {
            team_role: Some(TeamRole::Member),
            ..MemberPatch::default()
        };
        assert_eq!(
            refused_message(
                "Alice Adams",
                &demote,
                &mike(TeamRole::Admin, false),
                &last_admin
            ),
            "Alice Adams is still a Team Admin. Acme Payments needs at least one Team Admin."
        );
        let manager = MemberPatch {
            is_partner_manager: Some(true),
            ..MemberPatch::default()
        };
        assert!(
            refused_message(
                "Mike",
                &manager,
                &mike(TeamRole::Member, false),
                &ApiError::Network
            )
            .starts_with("Mike is still not a Partner Manager. Can't reach the server.")
        );
    }
}
