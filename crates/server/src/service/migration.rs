//! The migration of legacy partner workspaces: what the Migration panel shows, the plan of
//! who is told what, and the last step of a run that writes those emails.

use std::collections::{BTreeMap, BTreeSet};

use partner_api::migration::{
    LegacyWorkspace, MigrationCounts, MigrationOverview, MigrationPlan, MigrationRun, PlannedEmail,
    RecipientRole,
};
use partner_api::partnerships::WorkspaceRef;
use partner_api::session::UserRef;
use partner_api::workspaces::MigrationState;
use partner_api::{PageRequest, Plan, TeamRole};
use time::Date;

use crate::db::{Db, MigrationAudience};
use crate::domain::migration;
use crate::email::templates::{self, Recipient, WorkspaceLink};
use crate::email::{Links, Message};

/// `GET /api/migration`: one page of the team's legacy partner workspaces (migrated ones
/// included), how many are in each state, and the team's current or latest run.
pub async fn overview(
    db: &Db,
    team_id: &str,
    can_run: bool,
    page: PageRequest,
) -> Result<MigrationOverview, sqlx::Error> {
    // The run first: its workspaces are committed before it is marked done, so a run read
    // as done is never shown beside rows read before it finished (a flaky test found it).
    let run = db.latest_run(team_id).await?.map(MigrationRun::from);
    let plan: Plan = db.team_plan(team_id).await?.parse().unwrap_or(Plan::Free);
    let scheduled_for = migration::scheduled_date(plan).map(|d| d.to_string());
    let (total, migrated) = db.legacy_counts(team_id).await?;
    let left = total.saturating_sub(migrated);
    let counts = match migration::state(true, false, plan) {
        Some(MigrationState::Scheduled) => MigrationCounts {
            scheduled: left,
            ..MigrationCounts::default()
        },
        _ => MigrationCounts {
            legacy: left,
            ..MigrationCounts::default()
        },
    };
    let counts = MigrationCounts { migrated, ..counts };
    let workspaces = db
        .legacy_page(team_id, page)
        .await?
        .into_iter()
        .map(|row| {
            let migrated = row.migration_state.as_deref() == Some("migrated");
            LegacyWorkspace {
                id: row.id.into(),
                name: row.name,
                state: migration::state(true, migrated, plan).unwrap_or(MigrationState::Legacy),
                scheduled_for: if migrated {
                    None
                } else {
                    scheduled_for.clone()
                },
                migrated_at: row.migrated_at,
                partner_count: u32::try_from(row.partner_count).unwrap_or(0),
            }
        })
        .collect();
    Ok(MigrationOverview {
        plan,
        scheduled_for,
        workspaces: page.wrap(workspaces, total),
        counts,
        run,
        can_run,
    })
}

/// One migration run as the API shows it.
pub async fn run(db: &Db, run_id: &str) -> Result<Option<MigrationRun>, sqlx::Error> {
    Ok(db.migration_run(run_id).await?.map(MigrationRun::from))
}

/// What migrating the team now would do: the workspaces, and who gets which email (every
/// one of them: the caller caps what it shows).
pub async fn dry_run(db: &Db, team_id: &str, links: &Links) -> Result<MigrationPlan, sqlx::Error> {
    let workspaces: Vec<WorkspaceRef> = db
        .workspaces_to_migrate(team_id)
        .await?
        .into_iter()
        .map(WorkspaceRef::from)
        .collect();
    let emails = if workspaces.is_empty() {
        Vec::new()
    } else {
        let audience = db.migration_audience(team_id, &ids(&workspaces)).await?;
        plan_emails(&audience, &workspaces, links)
    };
    Ok(plan(true, workspaces, emails))
}

/// Writes a run's emails (one per person) and marks it done, in one transaction under the
/// run's lock. Returns what the run did; a run that was already finished writes nothing
/// again.
pub async fn finish_run(
    db: &Db,
    run_id: &str,
    links: &Links,
) -> Result<MigrationPlan, sqlx::Error> {
    let mut tx = db.begin().await?;
    tx.lock_run(run_id).await?;
    let (team_id, state) = tx.run_state(run_id).await?;
    let workspaces: Vec<WorkspaceRef> = tx
        .run_workspaces(run_id)
        .await?
        .into_iter()
        .map(WorkspaceRef::from)
        .collect();
    let emails = if workspaces.is_empty() {
        Vec::new()
    } else {
        let audience = tx.migration_audience(&team_id, &ids(&workspaces)).await?;
        plan_emails(&audience, &workspaces, links)
    };
    if state == "running" {
        for email in &emails {
            let key = format!("migration:{run_id}:{}", email.user_id);
            tx.enqueue(&key, &email.message).await?;
        }
        tx.finish_run(run_id, emails.len() as u64).await?;
    }
    tx.commit().await?;
    Ok(plan(false, workspaces, emails))
}

/// Teams with legacy workspaces left and no unfinished run whose plan's migration date is
/// `today` or earlier.
pub async fn teams_due(db: &Db, today: Date) -> Result<Vec<String>, sqlx::Error> {
    Ok(db
        .teams_with_legacy_left()
        .await?
        .into_iter()
        .filter(|(_, plan)| migration::is_due(plan.parse().unwrap_or(Plan::Free), today))
        .map(|(id, _)| id)
        .collect())
}

fn ids(workspaces: &[WorkspaceRef]) -> String {
    serde_json::Value::from(workspaces.iter().map(|w| w.id.as_str()).collect::<Vec<_>>())
        .to_string()
}

/// One email of a migration: who, the API's description of it, and the message itself.
struct PlannedMessage {
    user_id: String,
    planned: PlannedEmail,
    message: Message,
}

/// Everything one person is told about.
struct Addressee {
    name: String,
    email: String,
    roles: BTreeSet<RecipientRole>,
    /// Workspace ids; `None`: every workspace of the run.
    workspaces: Option<BTreeSet<String>>,
}

impl Addressee {
    fn new(name: String, email: String) -> Self {
        Self {
            name,
            email,
            roles: BTreeSet::new(),
            workspaces: Some(BTreeSet::new()),
        }
    }
}

/// Who gets which email: Team Admins and Partner Managers hear about every workspace,
/// Workspace Admins about theirs ("Your Partner Workspaces have been migrated"); partners
/// with access now get one email for this publisher listing their workspaces ("Your
/// Partner Workspace with … has been upgraded"). One email per person.
fn plan_emails(
    audience: &MigrationAudience,
    workspaces: &[WorkspaceRef],
    links: &Links,
) -> Vec<PlannedMessage> {
    let mut publisher_side: BTreeMap<String, Addressee> = BTreeMap::new();
    for manager in &audience.managers {
        let entry = publisher_side
            .entry(manager.id.clone())
            .or_insert_with(|| Addressee::new(manager.name.clone(), manager.email.clone()));
        if manager.team_role.as_deref() == Some(TeamRole::Admin.as_str()) {
            entry.roles.insert(RecipientRole::TeamAdmin);
        }
        if manager.is_partner_manager {
            entry.roles.insert(RecipientRole::PartnerManager);
        }
        entry.workspaces = None;
    }
    for admin in &audience.workspace_admins {
        let entry = publisher_side
            .entry(admin.id.clone())
            .or_insert_with(|| Addressee::new(admin.name.clone(), admin.email.clone()));
        entry.roles.insert(RecipientRole::WorkspaceAdmin);
        if let Some(list) = &mut entry.workspaces {
            list.insert(admin.workspace_id.clone());
        }
    }
    let mut partners: BTreeMap<String, Addressee> = BTreeMap::new();
    for partner in &audience.partners {
        let entry = partners
            .entry(partner.id.clone())
            .or_insert_with(|| Addressee::new(partner.name.clone(), partner.email.clone()));
        entry.roles.insert(RecipientRole::Partner);
        if let Some(list) = &mut entry.workspaces {
            list.insert(partner.workspace_id.clone());
        }
    }

    let mut planned = Vec::new();
    for (partner_side, people) in [(false, publisher_side), (true, partners)] {
        let mut people: Vec<(String, Addressee)> = people.into_iter().collect();
        people
            .sort_by(|a, b| (a.1.name.to_lowercase(), &a.0).cmp(&(b.1.name.to_lowercase(), &b.0)));
        for (user_id, person) in people {
            let listed: Vec<&WorkspaceRef> = workspaces
                .iter()
                .filter(|w| {
                    person
                        .workspaces
                        .as_ref()
                        .is_none_or(|ids| ids.contains(w.id.as_str()))
                })
                .collect();
            let workspace_links: Vec<WorkspaceLink<'_>> = listed
                .iter()
                .map(|w| WorkspaceLink {
                    id: w.id.as_str(),
                    name: &w.name,
                })
                .collect();
            let to = Recipient {
                name: &person.name,
                email: &person.email,
            };
            let message = if partner_side {
                templates::partner_workspace_upgraded(
                    links,
                    to,
                    &audience.publisher,
                    &workspace_links,
                )
            } else {
                templates::workspaces_migrated(links, to, &audience.publisher, &workspace_links)
            };
            planned.push(PlannedMessage {
                planned: PlannedEmail {
                    to: UserRef {
                        id: user_id.clone().into(),
                        name: person.name.clone(),
                        email: person.email.clone(),
                    },
                    roles: person.roles.into_iter().collect(),
                    subject: message.subject.clone(),
                    workspaces_total: listed.len() as u64,
                    workspaces: listed.into_iter().cloned().collect(),
                },
                user_id,
                message,
            });
        }
    }
    planned
}

/// A plan from its workspaces and emails, with their totals.
fn plan(
    dry_run: bool,
    workspaces: Vec<WorkspaceRef>,
    emails: Vec<PlannedMessage>,
) -> MigrationPlan {
    MigrationPlan {
        dry_run,
        workspaces_total: workspaces.len() as u64,
        workspaces,
        emails_total: emails.len() as u64,
        emails: emails.into_iter().map(|e| e.planned).collect(),
    }
}
