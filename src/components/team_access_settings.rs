use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::audit::{MAX_RETENTION_DAYS, MIN_RETENTION_DAYS};
use partner_api::expiry::AccessPeriod;
use partner_api::team::{TeamPatch, TeamSettings};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::pagination::thousands;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// Who may change these settings (the server decides; this says it to everyone else).
pub const WHO_CAN_CHANGE: &str = "Only Team Admins can change these.";

/// The retention typed, as days the server accepts, or why not.
pub fn retention_days(typed: &str) -> Result<u32, String> {
    let range = format!(
        "{MIN_RETENTION_DAYS} to {}",
        thousands(MAX_RETENTION_DAYS.into())
    );
    match typed.trim().parse::<u32>() {
        Ok(days) if (MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(&days) => Ok(days),
        Ok(_) => Err(format!("Keep the audit log for {range} days.")),
        Err(_) => Err(format!("Enter a number of days, {range}.")),
    }
}

/// Only what changed, or `None` when nothing did.
pub fn patch(team: &TeamSettings, period: AccessPeriod, days: u32) -> Option<TeamPatch> {
    let patch = TeamPatch {
        default_access: (period != team.default_access).then_some(period),
        audit_retention_days: (days != team.audit_retention_days).then_some(days),
        ..TeamPatch::default()
    };
    (patch != TeamPatch::default()).then_some(patch)
}

/// "New partner access lasts 30 days" / "New partner access has no end".
pub fn period_sentence(period: AccessPeriod) -> String {
    match period.days() {
        Some(_) => format!("New partner access lasts {}.", period.label()),
        None => "New partner access has no end.".to_owned(),
    }
}

/// How long new partner access lasts (the "Team default" of invitations and approvals) and
/// how long the audit log keeps its entries: a form for Team Admins, the values and who can
/// change them for everyone else.
#[component]
pub fn TeamAccessSettings(team: RwSignal<TeamSettings>) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        form, .read-only {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            max-width: 480px;
        }
        .select, .days {
            height: 36px;
            max-width: 100%;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            color: var(--color-text);
        }
        .select {
            width: 220px;
        }
        .days {
            width: 140px;
            font-variant-numeric: tabular-nums;
        }
        .actions {
            display: flex;
            gap: var(--space-2);
            align-items: center;
        }
        .value {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .label {
            font-weight: 600;
        }
        .who {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
    };

    let can_edit = Memo::new(move |_| team.with(|t| t.permissions.manage_team));
    let period = RwSignal::new(team.with_untracked(|t| t.default_access));
    let days = RwSignal::new(team.with_untracked(|t| t.audit_retention_days.to_string()));
    let attempted = RwSignal::new(false);
    let server_error = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let checked_days = Memo::new(move |_| days.with(|d| retention_days(d)));
    let days_error = Signal::derive(move || {
        attempted
            .get()
            .then(|| checked_days.get().err())
            .flatten()
            .or_else(|| server_error.get())
    });
    let unchanged = move || match checked_days.get() {
        Ok(d) => team.with(|t| patch(t, period.get(), d).is_none()),
        Err(_) => false,
    };

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        attempted.set(true);
        failure.set(None);
        server_error.set(None);
        let Ok(d) = checked_days.get_untracked() else {
            return;
        };
        let Some(change) = team.with_untracked(|t| patch(t, period.get_untracked(), d)) else {
            return;
        };
        pending.set(true);
        spawn_local_scoped_with_cancellation(async move {
            match api::team::update(&change).await {
                Ok(saved) => {
                    period.set(saved.default_access);
                    days.set(saved.audit_retention_days.to_string());
                    attempted.set(false);
                    toasts.show(
                        ToastKind::Success,
                        format!(
                            "Saved. {} The audit log keeps {} days.",
                            period_sentence(saved.default_access),
                            thousands(saved.audit_retention_days.into())
                        ),
                    );
                    team.set(saved);
                }
                Err(error) => {
                    let field = match &error {
                        ApiError::Server { fields, .. } => {
                            fields.get("audit_retention_days").cloned()
                        }
                        _ => None,
                    };
                    match field {
                        Some(why) => server_error.set(Some(why)),
                        None => failure.set(Some(format!("Not saved. {}", explain(&error)))),
                    }
                    toasts.show(ToastKind::Error, format!("Not saved. {}", explain(&error)));
                }
            }
            pending.set(false);
        });
    };
    let discard = move |_| {
        team.with_untracked(|t| {
            period.set(t.default_access);
            days.set(t.audit_retention_days.to_string());
        });
        attempted.set(false);
        server_error.set(None);
        failure.set(None);
    };
    let hint = ViewFn::from(move || {
        format!(
            "{MIN_RETENTION_DAYS} to {} days. Older entries are deleted.",
            thousands(MAX_RETENTION_DAYS.into())
        )
    });

    move || {
        if can_edit.get() {
            view! { class=class,
                <form novalidate on:submit=on_submit aria-label="Partner access and audit log">
                    <Field
                        id="team-default-access"
                        label="New partner access lasts"
                        error=Signal::derive(|| None::<String>)
                        hint=ViewFn::from(|| {
                            "Invitations and approvals use this unless they choose another end."
                        })
                    >
                        <select
                            class="select"
                            on:change=move |ev| {
                                if let Ok(chosen) = event_target_value(&ev).parse() {
                                    period.set(chosen);
                                }
                            }
                        >
                            {AccessPeriod::ALL
                                .iter()
                                .map(|option| {
                                    let option = *option;
                                    view! {
                                        <option
                                            value=option.as_str()
                                            prop:selected=move || period.get() == option
                                        >
                                            {option.label()}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </Field>
                    <Field
                        id="team-audit-retention"
                        label="Keep the audit log for (days)"
                        error=days_error
                        hint=hint.clone()
                    >
                        <input
                            class="input days"
                            type="number"
                            inputmode="numeric"
                            min=MIN_RETENTION_DAYS
                            max=MAX_RETENTION_DAYS
                            prop:value=days
                            on:input=move |ev| {
                                days.set(event_target_value(&ev));
                                server_error.set(None);
                            }
                        />
                    </Field>
                    {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
                    <div class="actions">
                        <button
                            type="submit"
                            class="button button-primary"
                            disabled=move || pending.get() || unchanged()
                            aria-busy=move || pending.get().then_some("true")
                        >
                            {move || if pending.get() { "Saving…" } else { "Save" }}
                        </button>
                        <button
                            type="button"
                            class="button"
                            disabled=move || pending.get() || unchanged()
                            on:click=discard
                        >
                            "Discard"
                        </button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            view! { class=class,
                <div class="read-only">
                    <p class="value">
                        <span class="label">"New partner access lasts"</span>
                        <span data-testid="team-default-access">
                            {move || team.with(|t| t.default_access.label())}
                        </span>
                    </p>
                    <p class="value">
                        <span class="label">"Keep the audit log for"</span>
                        <span data-testid="team-audit-retention">
                            {move || {
                                team.with(|t| {
                                    format!("{} days", thousands(t.audit_retention_days.into()))
                                })
                            }}
                        </span>
                    </p>
                    <p class="who">{WHO_CAN_CHANGE}</p>
                </div>
            }
            .into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use partner_api::Plan;
    use partner_api::team::TeamPermissions;

    use super::*;

    fn team() -> TeamSettings {
        TeamSettings {
            id: "t_acme".into(),
            name: "Acme Payments".to_owned(),
            plan: Plan::Professional,
            domains: vec![],
            sso_enforced: false,
            editor_seats_included: 3,
            editor_seats_used: 1,
            member_count: 5,
            pending_invitations: 0,
            default_access: AccessPeriod::Never,
            audit_retention_days: 400,
            permissions: TeamPermissions::default(),
        }
    }

    #[test]
    fn retention_is_a_number_of_days_in_the_allowed_range() {
        assert_eq!(retention_days(" 730 "), Ok(730));
        assert_eq!(retention_days("400"), Ok(400));
        assert_eq!(retention_days("3650"), Ok(3650));
        assert!(retention_days("399").unwrap_err().contains("400 to 3,650"));
        assert!(retention_days("3651").is_err());
        assert!(retention_days("two years").unwrap_err().contains("number"));
        assert!(retention_days("").is_err());
    }

    #[test]
    fn only_what_changed_is_sent() {
        let team = team();
        assert_eq!(patch(&team, AccessPeriod::Never, 400), None);
        assert_eq!(
            patch(&team, AccessPeriod::Days30, 400),
            Some(TeamPatch {
                default_access: Some(AccessPeriod::Days30),
                ..TeamPatch::default()
            })
        );
        assert_eq!(
            patch(&team, AccessPeriod::Never, 730)
                .unwrap()
                .audit_retention_days,
            Some(730)
        );
    }

    #[test]
    fn the_period_reads_as_a_sentence() {
        assert_eq!(
            period_sentence(AccessPeriod::Days30),
            "New partner access lasts 30 days."
        );
        assert_eq!(
            period_sentence(AccessPeriod::Never),
            "New partner access has no end."
        );
    }
}
