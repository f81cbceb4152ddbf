//! Workspaces lists and member lists, as the caller may see them.

use partner_api::workspaces::{MEMBERS_LISTED, Members, Workspace};
use partner_api::{PageRequest, Paginated, WorkspaceTab};

use crate::db::{Db, MemberRow, PartnerRow, like_pattern};
use crate::domain::authz::{self, Caller, PartnerVisibility};

/// A tab of Workspaces: the team's own (`all`, `mine`) or other teams' shared with the
/// caller (`shared_partner`), each with the caller's role; rows the caller may not see (the
/// rules decide) are left out.
pub async fn list(
    db: &Db,
    caller: &Caller,
    tab: WorkspaceTab,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Paginated<Workspace>, sqlx::Error> {
    let (total, rows) = db.workspace_rows(caller, tab, q, page).await?;
    let items = rows
        .iter()
        .filter_map(|row| {
            authz::workspace_role(caller, &row.facts()).map(|role| row.to_api(caller, role))
        })
        .collect();
    Ok(page.wrap(items, total))
}

/// The member list of a workspace, with other partner teams hidden when the rules say so:
/// at most [`MEMBERS_LISTED`] people in each list, with the totals, optionally only those
/// whose name or email contains `q`.
pub async fn members(
    db: &Db,
    workspace_id: &str,
    visibility: &PartnerVisibility,
    q: Option<&str>,
) -> Result<Members, sqlx::Error> {
    let pattern = q.map(str::trim).filter(|q| !q.is_empty()).map(like_pattern);
    let own_team = match visibility {
        PartnerVisibility::Everyone => None,
        PartnerVisibility::OwnTeamOnly(team) => Some(team.as_str()),
    };
    let (publisher_total, publisher) = db
        .publisher_members(workspace_id, pattern.as_deref(), MEMBERS_LISTED)
        .await?;
    let (partners_total, partners) = db
        .workspace_partners(workspace_id, own_team, pattern.as_deref(), MEMBERS_LISTED)
        .await?;
    let count = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    Ok(Members {
        publisher_members: publisher.into_iter().map(MemberRow::into_api).collect(),
        publisher_members_total: count(publisher_total),
        partners: partners.into_iter().map(PartnerRow::into_api).collect(),
        partners_total: count(partners_total),
    })
}
