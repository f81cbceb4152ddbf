use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::team::TeamInvitation;
use partner_api::{Paginated, TeamRole};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::empty_state::EmptyState;
use super::error_panel::explain;
use super::relative_time::{RelativeTime, exact_time, parse_rfc3339};
use super::toast::{ToastKind, use_toasts};
use super::unlisted_note::UnlistedNote;
use crate::api;

/// "Link works until 15 May 2026, 10:00 UTC" (or the text as sent, if it isn't a time).
pub fn expiry_line(expires_at: &str) -> String {
    let until = parse_rfc3339(expires_at).map_or_else(|| expires_at.to_owned(), exact_time);
    format!("Link works until {until}")
}

/// The team's pending invitations (Team Admins): address, role, who invited and when the
/// last email went, until when its link works; Resend (a new link, the old one stops working)
/// and Revoke.
#[component]
pub fn TeamInvitations(
    invitations: Paginated<TeamInvitation>,
    /// Called after a resend or a revoke, to load the list again.
    #[prop(into)]
    on_changed: Callback<()>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        ul {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        li {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-2) var(--space-4);
            min-height: 52px;
            padding: var(--space-2) var(--space-4);
        }
        li + li {
            border-top: 1px solid var(--color-border);
        }
        .who {
            flex: 1 1 260px;
            min-width: 0;
            display: flex;
            flex-direction: column;
            line-height: 1.4;
        }
        .address {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-2);
            font-weight: 600;
            overflow-wrap: anywhere;
        }
        .meta {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .actions {
            display: flex;
            gap: var(--space-2);
        }
    };

    let unlisted = u32::try_from(invitations.total)
        .unwrap_or(u32::MAX)
        .saturating_sub(invitations.items.len() as u32);
    if invitations.items.is_empty() {
        return view! {
            <EmptyState
                title="No pending invitations"
                text="Invite people by email above: they join when they open the link."
            />
        }
        .into_any();
    }

    let row = move |invitation: TeamInvitation| {
        let pending = RwSignal::new(None::<&'static str>);
        let id = invitation.id.clone();
        let address = invitation.email.clone();
        let resend = {
            let (id, address) = (id.clone(), address.clone());
            move |_| {
                if pending.get_untracked().is_some() {
                    return;
                }
                pending.set(Some("resend"));
                let (id, address) = (id.clone(), address.clone());
                spawn_local_scoped_with_cancellation(async move {
                    match api::team::resend(&id).await {
                        Ok(_) => {
                            toasts.show(
                                ToastKind::Success,
                                format!(
                                    "Sent a new link to {address}. The one sent before no \
                                     longer works."
                                ),
                            );
                            on_changed.run(());
                        }
                        Err(error) => toasts.show(
                            ToastKind::Error,
                            format!("Not sent again. {}", explain(&error)),
                        ),
                    }
                    _ = pending.try_set(None);
                });
            }
        };
        let revoke = {
            let (id, address) = (id.clone(), address.clone());
            move |_| {
                if pending.get_untracked().is_some() {
                    return;
                }
                pending.set(Some("revoke"));
                let (id, address) = (id.clone(), address.clone());
                spawn_local_scoped_with_cancellation(async move {
                    match api::team::revoke(&id).await {
                        Ok(()) => {
                            toasts.show(
                                ToastKind::Success,
                                format!(
                                    "Revoked the invitation to {address}: its link no longer works."
                                ),
                            );
                            on_changed.run(());
                        }
                        Err(error) => toasts.show(
                            ToastKind::Error,
                            format!("Not revoked. {}", explain(&error)),
                        ),
                    }
                    _ = pending.try_set(None);
                });
            }
        };
        let role = match invitation.team_role {
            TeamRole::Admin => {
                view! { <Badge text=TeamRole::Admin.label() tone=Tone::Accent /> }.into_any()
            }
            TeamRole::Member => view! { <Badge text=TeamRole::Member.label() /> }.into_any(),
        };
        let invited_by = invitation
            .invited_by
            .map(|by| format!("Invited by {} · ", by.name));
        view! { class=class,
            <li data-invitation=address.clone()>
                <div class="who">
                    <span class="address">{address.clone()} {role}</span>
                    <span class="meta">
                        {invited_by} "sent " <RelativeTime at=Some(invitation.sent_at) />
                    </span>
                    <span class="meta">{expiry_line(&invitation.expires_at)}</span>
                </div>
                <div class="actions">
                    <button
                        type="button"
                        class="button"
                        disabled=move || pending.get().is_some()
                        aria-label=format!("Resend the invitation to {address}")
                        on:click=resend
                    >
                        {move || {
                            if pending.get() == Some("resend") { "Sending…" } else { "Resend" }
                        }}
                    </button>
                    <button
                        type="button"
                        class="button button-danger"
                        disabled=move || pending.get().is_some()
                        aria-label=format!("Revoke the invitation to {}", invitation.email)
                        on:click=revoke
                    >
                        {move || {
                            if pending.get() == Some("revoke") { "Revoking…" } else { "Revoke" }
                        }}
                    </button>
                </div>
            </li>
        }
    };

    view! { class=class,
        <ul aria-labelledby="pending-invitations-title">
            {invitations.items.into_iter().map(row).collect_view()}
        </ul>
        <UnlistedNote
            count=unlisted
            one="pending invitation"
            many="pending invitations"
            how="Revoke some to see the others."
        />
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_names_the_day_and_the_zone() {
        assert_eq!(
            expiry_line("2026-03-12T14:05:09Z"),
            "Link works until 12 Mar 2026, 14:05 UTC"
        );
        assert_eq!(expiry_line("soon"), "Link works until soon");
    }
}
