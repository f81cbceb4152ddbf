use leptos::prelude::*;
use partner_api::migration::{MigrationPlan, PlannedEmail};
use stylers_macro::style;

use super::pagination::{counted, thousands};

/// Names shown, then how many more there are: "A, B and 3 more".
pub fn names_and_more<'a>(names: impl IntoIterator<Item = &'a str>, total: u64) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let more = total.saturating_sub(names.len() as u64);
    let listed = names.join(", ");
    match (names.is_empty(), more) {
        (_, 0) => listed,
        (true, more) => format!("{} more", thousands(more)),
        (false, more) => format!("{listed} and {} more", thousands(more)),
    }
}

/// One planned email as a line a person reads.
pub fn email_line(email: &PlannedEmail) -> String {
    let roles: Vec<&str> = email.roles.iter().map(|r| r.label()).collect();
    let workspaces = names_and_more(
        email.workspaces.iter().map(|w| w.name.as_str()),
        email.workspaces_total,
    );
    format!(
        "{} ({}), {}: \u{201c}{}\u{201d} listing {workspaces}",
        email.to.name,
        email.to.email,
        roles.join(", "),
        email.subject,
    )
}

/// The workspaces a plan migrates: "401 workspaces: A, B, … and 351 more".
pub fn workspaces_line(plan: &MigrationPlan) -> String {
    format!(
        "{}: {}",
        counted(plan.workspaces_total, "workspace", "workspaces"),
        names_and_more(
            plan.workspaces.iter().map(|w| w.name.as_str()),
            plan.workspaces_total
        )
    )
}

/// A dry run: which workspaces migrate and who gets which email, the first ones of each
/// with an explicit "and N more" (the server sends at most 50 of each, with totals).
#[component]
pub fn MigrationPlanView(plan: MigrationPlan, heading: &'static str) -> impl IntoView {
    let class = style! {
        .plan {
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            padding: var(--space-4);
            background: var(--color-surface);
            border-radius: var(--radius-control);
            overflow-wrap: anywhere;
        }
        .plan ul {
            margin: 0;
            padding-left: var(--space-5);
        }
        .more {
            color: var(--color-text-secondary);
        }
    };
    let body = if plan.workspaces_total == 0 {
        view! { <p>"Nothing left to migrate, so nobody gets an email."</p> }.into_any()
    } else {
        let more_people = plan.emails_total.saturating_sub(plan.emails.len() as u64);
        let emails = plan
            .emails
            .iter()
            .map(|e| view! { <li>{email_line(e)}</li> })
            .collect_view();
        view! { class=class,
            <p>{workspaces_line(&plan)}</p>
            <p>
                {format!(
                    "{} exactly one email:",
                    counted(plan.emails_total, "person gets", "people each get"),
                )}
            </p>
            <ul>{emails}</ul>
            {(more_people > 0)
                .then(|| {
                    view! { class=class,
                        <p class="more">
                            {format!("… and {}.", counted(more_people, "more person", "more people"))}
                        </p>
                    }
                })}
        }
        .into_any()
    };
    view! { class=class,
        <section class="plan" aria-label=heading>
            <h3>{heading}</h3>
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::migration::RecipientRole;
    use partner_api::partnerships::WorkspaceRef;
    use partner_api::session::UserRef;

    use super::*;

    fn refs(names: &[&str]) -> Vec<WorkspaceRef> {
        names
            .iter()
            .map(|n| WorkspaceRef {
                id: (*n).into(),
                name: (*n).into(),
            })
            .collect()
    }

    #[test]
    fn a_plan_says_who_gets_what() {
        let email = PlannedEmail {
            to: UserRef {
                id: "u".into(),
                name: "Ivan Ito".into(),
                email: "ivan@initech.test".into(),
            },
            roles: vec![RecipientRole::Partner],
            subject: "Your Partner Workspace with Acme Payments has been upgraded".into(),
            workspaces: refs(&["Refunds API"]),
            workspaces_total: 1,
        };
        assert_eq!(
            email_line(&email),
            "Ivan Ito (ivan@initech.test), Partner: \u{201c}Your Partner Workspace with Acme \
             Payments has been upgraded\u{201d} listing Refunds API"
        );
        let capped = PlannedEmail {
            workspaces: refs(&["A", "B"]),
            workspaces_total: 1_002,
            ..email
        };
        assert!(email_line(&capped).ends_with("listing A, B and 1,000 more"));
    }

    #[test]
    fn capped_lists_say_how_many_more() {
        assert_eq!(names_and_more(["A", "B"], 2), "A, B");
        assert_eq!(names_and_more(["A", "B"], 5), "A, B and 3 more");
        assert_eq!(names_and_more([], 5), "5 more");
        let plan = MigrationPlan {
            dry_run: true,
            workspaces: refs(&["Refunds API"]),
            workspaces_total: 401,
            emails: Vec::new(),
            emails_total: 0,
        };
        assert_eq!(
            workspaces_line(&plan),
            "401 workspaces: Refunds API and 400 more"
        );
    }
}
