use leptos::prelude::*;
use partner_api::Plan;
use partner_api::team::TeamSettings;
use stylers_macro::style;

use super::pagination::{counted, thousands};
use crate::routes::Page;

/// What a team's plan gives in Partner Editor seats, in one sentence.
pub fn seats_note(plan: Plan, included: u32) -> String {
    match (plan, included) {
        (Plan::Free, 0) => {
            "Partner Editor seats come with the Professional and Enterprise plans.".to_owned()
        }
        _ => "Each partner you make an Editor in your workspaces takes a seat; Viewers are free."
            .to_owned(),
    }
}

/// The team's plan, Partner Editor seats and size, read-only (changing the plan isn't done
/// here).
#[component]
pub fn TeamPlan(team: RwSignal<TeamSettings>) -> impl IntoView {
    let class = style! {
        .team-plan {
            display: grid;
            grid-template-columns: repeat(3, minmax(0, 1fr));
            gap: var(--space-3);
        }
        .card {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        @media (max-width: 900px) {
            .team-plan {
                grid-template-columns: minmax(0, 1fr);
            }
        }
    };
    move || {
        team.with(|t| {
            let seats = format!(
                "{} of {}",
                thousands(u64::from(t.editor_seats_used)),
                thousands(u64::from(t.editor_seats_included))
            );
            let pending = (t.pending_invitations > 0).then(|| {
                format!(
                    "{} · ",
                    counted(
                        u64::from(t.pending_invitations),
                        "pending invitation",
                        "pending invitations"
                    )
                )
            });
            view! { class=class,
                <div class="team-plan">
                    <section class="card" aria-labelledby="team-plan-label">
                        <span class="stat-label" id="team-plan-label">"Plan"</span>
                        <span class="stat-figure" data-testid="team-plan">{t.plan.label()}</span>
                        <span class="stat-note">"Partner Viewers are free on every plan."</span>
                    </section>
                    <section class="card" aria-labelledby="team-seats-label">
                        <span class="stat-label" id="team-seats-label">"Partner Editor seats"</span>
                        <span class="stat-figure" data-testid="team-seats">
                            {seats}
                            <span class="stat-of">" used"</span>
                        </span>
                        <span class="stat-note">
                            {seats_note(t.plan, t.editor_seats_included)}
                        </span>
                    </section>
                    <section class="card" aria-labelledby="team-members-label">
                        <span class="stat-label" id="team-members-label">"Members"</span>
                        <span class="stat-figure" data-testid="team-member-count">
                            {thousands(u64::from(t.member_count))}
                        </span>
                        <span class="stat-note">
                            {pending}
                            <a href=Page::TeamMembers.href()>
                                {if t.permissions.manage_team { "Manage members" } else { "See members" }}
                            </a>
                        </span>
                    </section>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_plan_says_where_seats_come_from() {
        assert!(seats_note(Plan::Free, 0).contains("Professional and Enterprise"));
        assert!(seats_note(Plan::Professional, 3).contains("Viewers are free"));
    }
}
