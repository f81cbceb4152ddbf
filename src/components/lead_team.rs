use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::workspaces::{InvitePartner, Members, PartnerMember};
use partner_api::{Email, PartnerRole, TeamId, UserId};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::confirm_dialog::ConfirmDialog;
use super::error_panel::{ErrorPanel, explain};
use super::field::Field;
use super::form_failure::FormFailure;
use super::invite_partners::refused;
use super::partner_list::{editor_unavailable, with_article};
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// The partners of `team` among `partners`, by name: a Partner Lead sees their own team
/// here and never another one (whatever the list holds).
pub fn own_team(partners: &[PartnerMember], team: &TeamId) -> Vec<PartnerMember> {
    let mut own: Vec<PartnerMember> = partners
        .iter()
        .filter(|p| p.team.id == *team)
        .cloned()
        .collect();
    own.sort_by_cached_key(|p| p.user.name.to_lowercase());
    own
}

/// Whether a Partner Lead may remove `partner`: colleagues, not themselves and not another
/// Partner Lead (the server refuses those too).
pub fn removable(partner: &PartnerMember, me: &UserId) -> bool {
    !partner.lead && partner.user.id != *me
}

/// The workspace's members as the page loaded them: `None` until the first answer.
type MembersResource = LocalResource<Option<Result<Members, ApiError>>>;

/// "Your team in this workspace", for a Partner Lead: the partners of their own team only,
/// an invitation for a colleague (the server decides which addresses and roles it accepts,
/// and its reasons are shown as they come), and Remove for colleagues who aren't Partner
/// Lead, after a confirmation.
#[component]
pub fn LeadTeam(
    #[prop(into)] workspace_id: String,
    #[prop(into)] workspace_name: String,
    /// The publishing team, which decides everything else.
    #[prop(into)]
    publisher: String,
    /// Editor can't be offered while multi-partner mode is on.
    multi_partner_mode: bool,
    /// The caller's own team.
    team_id: TeamId,
    #[prop(into)] team_name: String,
    /// The caller, marked "(you)" and never removable here.
    me: UserId,
    /// The members the page loaded; refetched after a change.
    members: MembersResource,
) -> impl IntoView {
    let class = style! {
        .lead-team {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        .invite {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            padding: var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-surface);
        }
        .invite-title {
            font-size: var(--text-sm);
        }
        .controls {
            display: grid;
            grid-template-columns: minmax(0, 1fr) 200px auto;
            align-items: start;
            gap: var(--space-3);
        }
        .submit {
            padding-top: 26px;
        }
        select {
            height: 36px;
            width: 100%;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        .note {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .invited {
            padding: var(--space-2) var(--space-3);
            border-radius: var(--radius-control);
            background: var(--color-success-soft);
            color: var(--color-success);
        }
        .people {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .person {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-2) var(--space-3);
            min-height: 52px;
            padding: var(--space-2) var(--space-4);
        }
        .person + .person {
            border-top: 1px solid var(--color-border);
        }
        .who {
            flex: 1 1 220px;
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
            font-weight: 600;
        }
        .you {
            color: var(--color-text-secondary);
            font-weight: 400;
        }
        .detail {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
            overflow-wrap: anywhere;
        }
        .empty {
            padding: var(--space-3) var(--space-4);
            color: var(--color-text-secondary);
        }
        @media (max-width: 640px) {
            .controls {
                grid-template-columns: minmax(0, 1fr);
            }
            .submit {
                padding-top: 0;
            }
        }
    };
    let toasts = use_toasts();

    // The team's partners as the server last listed them, changed in place by invitations
    // and removals until the next answer arrives.
    let people = RwSignal::new(Vec::<PartnerMember>::new());
    let loaded = RwSignal::new(None::<Result<(), ApiError>>);
    {
        let team_id = team_id.clone();
        Effect::new(move |_| match members.get().flatten() {
            Some(Ok(members)) => {
                people.set(own_team(&members.partners, &team_id));
                loaded.set(Some(Ok(())));
            }
            Some(Err(error)) => loaded.set(Some(Err(error))),
            None => {}
        });
    }

    let editor_blocked = editor_unavailable(multi_partner_mode, None);
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(PartnerRole::Viewer);
    let email_error = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let invited = RwSignal::new(None::<String>);
    let inviting = RwSignal::new(false);

    let invite_workspace = (workspace_id.clone(), workspace_name.clone());
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if inviting.get_untracked() {
            return;
        }
        failure.set(None);
        invited.set(None);
        let address = match Email::parse(&email.get_untracked()) {
            Ok(address) => address,
            Err(why) => {
                email_error.set(Some(why.to_string()));
                return;
            }
        };
        email_error.set(None);
        inviting.set(true);
        // A Partner Lead may not choose when access ends: the publisher's default applies.
        let invite = InvitePartner {
            ends: None,
            email: address.to_string(),
            role: role.get_untracked(),
        };
        let (id, workspace) = invite_workspace.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::workspace_settings::invite(&id, &invite).await {
                Ok(member) => {
                    let message = format!(
                        "{} ({}) can open {workspace} now, as {}. They get an email with a link.",
                        member.user.name,
                        member.user.email,
                        with_article(member.role),
                    );
                    people.update(|list| {
                        if !list.iter().any(|p| p.user.id == member.user.id) {
                            list.push(member);
                            list.sort_by_cached_key(|p| p.user.name.to_lowercase());
                        }
                    });
                    email.set(String::new());
                    invited.set(Some(message.clone()));
                    toasts.show(ToastKind::Success, message);
                    members.refetch();
                }
                Err(error) => {
                    let (_, why) = refused(&error);
                    failure.set(Some(format!("{} wasn't invited. {why}", invite.email)));
                }
            }
            inviting.set(false);
        });
    };

    // The colleague the remove dialog asks about.
    let removing = RwSignal::new(None::<PartnerMember>);
    let remove_error = RwSignal::new(None::<String>);
    let remove_pending = RwSignal::new(false);
    let remove_workspace = (workspace_id.clone(), workspace_name.clone());
    let confirm_remove = move |()| {
        let Some(partner) = removing.get_untracked() else {
            return;
        };
        if remove_pending.get_untracked() {
            return;
        }
        remove_pending.set(true);
        remove_error.set(None);
        let (id, workspace) = remove_workspace.clone();
        spawn_local_scoped_with_cancellation(async move {
            match api::workspace_settings::remove(&id, &partner.user.id).await {
                Ok(()) => {
                    people.update(|list| list.retain(|p| p.user.id != partner.user.id));
                    removing.set(None);
                    toasts.show(
                        ToastKind::Success,
                        format!("{} no longer has access to {workspace}.", partner.user.name),
                    );
                    members.refetch();
                }
                Err(error) => remove_error.set(Some(format!(
                    "{} still has access. {}",
                    partner.user.name,
                    explain(&error)
                ))),
            }
            remove_pending.set(false);
        });
    };

    let person = {
        let me = me.clone();
        move |partner: PartnerMember| {
            let you = (partner.user.id == me)
                .then(|| view! { class=class, <span class="you">" (you)"</span> });
            let lead = partner
                .lead
                .then(|| view! { <Badge text="Partner Lead" tone=Tone::Accent /> });
            let invited_by = partner.invited_by.as_ref().map(|by| {
                view! { class=class, <span class="detail">{format!("Invited by {}", by.name)}</span> }
            });
            let remove = removable(&partner, &me).then(|| {
                let label = format!("Remove {}", partner.user.name);
                let partner = partner.clone();
                view! {
                    <button
                        type="button"
                        class="button button-danger"
                        aria-label=label
                        on:click=move |_| {
                            remove_error.set(None);
                            removing.set(Some(partner.clone()));
                        }
                    >
                        "Remove"
                    </button>
                }
            });
            view! { class=class,
                <li class="person" data-testid="lead-team-person">
                    <span class="who">
                        <span class="name-line">
                            <span class="name">{partner.user.name.clone()} {you}</span>
                            <Badge text=partner.role.label() />
                            {lead}
                        </span>
                        <span class="detail">{partner.user.email.clone()}</span>
                        {invited_by}
                    </span>
                    {remove}
                </li>
            }
        }
    };

    let list = move || match loaded.get() {
        None => view! { class=class,
            <p class="empty" role="status">{"Loading your team…"}</p>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <ErrorPanel error=error on_retry=move |()| members.refetch() />
        }
        .into_any(),
        Some(Ok(())) => {
            let person = person.clone();
            view! { class=class,
                <ul class="people" aria-label="Your team's partners">
                    <For
                        each=move || people.get()
                        key=|p| (p.user.id.clone(), p.role, p.lead)
                        children=person
                    />
                </ul>
            }
            .into_any()
        }
    };

    let dialog_title = Signal::derive(move || {
        removing
            .read()
            .as_ref()
            .map(|p| format!("Remove {}?", p.user.name))
            .unwrap_or_default()
    });
    let dialog_workspace = workspace_name.clone();
    let dialog_body = move || {
        removing.get().map(|partner| {
            view! { class=class,
                <p>
                    {format!(
                        "{} ({}) loses access to {} at once. You can invite them again later.",
                        partner.user.name, partner.user.email, dialog_workspace,
                    )}
                </p>
            }
        })
    };

    let lede = format!(
        "You're Partner Lead for {team_name} here: invite colleagues from {team_name} and remove \
         them. {publisher} decides everything else about {workspace_name}."
    );
    let email_hint = format!("Someone of {team_name}.");
    view! { class=class,
        <section class="lead-team" aria-labelledby="lead-team-title" data-testid="lead-team">
            <div class="head">
                <h2 id="lead-team-title">"Your team in this workspace"</h2>
                <p class="lede">{lede}</p>
            </div>
            <form class="invite" novalidate on:submit=on_submit aria-labelledby="lead-invite-title">
                <h3 class="invite-title" id="lead-invite-title">"Invite a colleague"</h3>
                {move || failure.get().map(|message| view! { <FormFailure message=message /> })}
                {move || {
                    invited
                        .get()
                        .map(|message| view! { class=class, <p class="invited" role="status">{message}</p> })
                }}
                <div class="controls">
                    <Field
                        id="lead-invite-email"
                        label="Email address"
                        error=email_error
                        hint=move || email_hint.clone()
                    >
                        <input
                            class="input"
                            type="email"
                            autocomplete="off"
                            spellcheck="false"
                            readonly=move || inviting.get()
                            prop:value=email
                            on:input=move |ev| {
                                email.set(event_target_value(&ev));
                                email_error.set(None);
                            }
                        />
                    </Field>
                    <Field id="lead-invite-role" label="Role" error=Signal::stored(None::<String>)>
                        <select on:change=move |ev| {
                            if let Ok(chosen) = event_target_value(&ev).parse() {
                                role.set(chosen);
                            }
                        }>
                            <option value="viewer" prop:selected=move || role.get() == PartnerRole::Viewer>
                                "Viewer (free)"
                            </option>
                            <option
                                value="editor"
                                disabled=editor_blocked.is_some()
                                prop:selected=move || role.get() == PartnerRole::Editor
                            >
                                {if editor_blocked.is_some() {
                                    "Editor (unavailable)"
                                } else {
                                    "Editor (if a seat is free)"
                                }}
                            </option>
                        </select>
                    </Field>
                    <div class="submit">
                        <button type="submit" class="button button-primary" disabled=inviting>
                            {move || if inviting.get() { "Inviting…" } else { "Invite" }}
                        </button>
                    </div>
                </div>
                {editor_blocked.map(|why| view! { class=class, <p class="note">{why}</p> })}
            </form>
            {list}
        </section>
        <ConfirmDialog
            open=Signal::derive(move || removing.read().is_some())
            title=dialog_title
            confirm_label="Remove"
            pending_label="Removing…"
            pending=remove_pending
            error=remove_error
            danger=true
            on_confirm=confirm_remove
            on_cancel=move |()| removing.set(None)
        >
            {dialog_body.clone()}
        </ConfirmDialog>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::partnerships::TeamRef;
    use partner_api::session::UserRef;

    use super::*;

    fn partner(name: &str, team: &str, lead: bool) -> PartnerMember {
        PartnerMember {
            ends_at: None,
            user: UserRef {
                id: format!("u_{name}").into(),
                name: name.to_owned(),
                email: format!("{}@{}.test", name.to_lowercase(), team.to_lowercase()),
            },
            team: TeamRef {
                id: format!("t_{team}").into(),
                name: team.to_owned(),
                domain: format!("{}.test", team.to_lowercase()),
            },
            sso_enforced: false,
            role: PartnerRole::Viewer,
            lead,
            invited_by: None,
        }
    }

    #[test]
    fn a_lead_sees_their_own_team_only_by_name() {
        let partners = [
            partner("Ivan", "Initech", false),
            partner("Gina", "Globex", true),
            partner("gary", "Globex", false),
            partner("Uma", "Umbrella", true),
        ];
        let names: Vec<String> = own_team(&partners, &TeamId::from("t_Globex"))
            .into_iter()
            .map(|p| p.user.name)
            .collect();
        assert_eq!(names, ["gary", "Gina"]);
        assert!(own_team(&partners, &TeamId::from("t_Nobody")).is_empty());
    }

    #[test]
    fn a_lead_removes_colleagues_but_not_themselves_or_another_lead() {
        let me = UserId::from("u_Gina");
        assert!(removable(&partner("Gary", "Globex", false), &me));
        assert!(!removable(&partner("Gina", "Globex", false), &me));
        assert!(!removable(&partner("Greta", "Globex", true), &me));
    }
}
