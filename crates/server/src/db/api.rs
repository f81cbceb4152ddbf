//! The seam: every storage call the server makes, sent to the backend of the database.
//! Each signature is implemented once in `store/*.rs` and compiled for both backends; a
//! call missing from either fails to compile.

use std::time::Duration;

use partner_api::mailbox::MailboxEmail;
use partner_api::migration::RunKind;
use partner_api::partnerships::{PartnershipSort, Seats};
use partner_api::{PageRequest, Paginated, PartnerRole, TeamRole, WorkspaceTab};
use time::OffsetDateTime;

use super::rows::*;
use super::{Db, Generated, Tenants, Tx};
use crate::domain::authz::Caller;
use crate::email::Message;

dispatch!(Db {
    /// The newest migration applied: proves the database answers.
    pub async fn schema_version() -> Result<i64, sqlx::Error>;
    /// Loads the demo data of `shared/API.md` unless it is already there.
    pub async fn load_demo() -> anyhow::Result<()>;
    /// Adds generated partner teams of the demo publisher.
    pub async fn generate(teams: u32, per_team: u32) -> anyhow::Result<Generated>;
    /// Adds generated other publishers (tenants) and their data.
    pub async fn generate_tenants(tenants: u32) -> anyhow::Result<Tenants>;
    /// Adds generated legacy partner workspaces to the demo publisher.
    pub async fn generate_legacy(workspaces: u32, partners_each: u32) -> anyhow::Result<u64>;

    /// The password hash of the account with this email (ignoring case), if any.
    pub async fn credentials(email: &str) -> Result<Option<Credentials>, sqlx::Error>;
    /// Starts a session made with `method` and records the sign-in.
    pub async fn start_session(user_id: &str, token_hash: &[u8], method: &str) -> Result<(), sqlx::Error>;
    /// The person behind a session token.
    pub async fn caller(token_hash: &[u8]) -> Result<Option<CallerRow>, sqlx::Error>;
    /// The partner a "view as partner" session reads as, while its viewer's session lasts.
    pub async fn view_caller(token_hash: &[u8], parent: &[u8]) -> Result<Option<CallerRow>, sqlx::Error>;
    /// Starts a "view as partner" session (replacing the viewer's last one).
    pub async fn start_view(token_hash: &[u8], parent: &[u8], view: &NewView<'_>) -> Result<(), sqlx::Error>;
    /// A view made from one session, named, while it lasts.
    pub async fn view(token_hash: &[u8], parent: &[u8]) -> Result<Option<ViewRow>, sqlx::Error>;
    /// A live session's method and start.
    pub async fn session_facts(token_hash: &[u8]) -> Result<Option<(String, String)>, sqlx::Error>;
    /// Whether someone holds an active grant of a publisher (in one workspace).
    pub async fn holds_grant_of(publisher: &str, user: &str, workspace: Option<&str>) -> Result<bool, sqlx::Error>;
    /// The changes after one a browser saw (and those of the few seconds before it), or
    /// `None` when it is no longer in the log.
    pub async fn changes_after(after: i64, slack: time::Duration, limit: u32) -> Result<Option<Vec<ChangeRow>>, sqlx::Error>;
    /// Deletes a batch of changes recorded before a time.
    pub async fn delete_changes_before(before: &str, batch: u32) -> Result<u64, sqlx::Error>;
    /// The people with active partner access to a workspace.
    pub async fn workspace_grantees(workspace_id: &str) -> Result<Vec<String>, sqlx::Error>;
    /// The people behind many sessions at once (not views), by token hash.
    pub async fn session_callers(token_hashes: &[Vec<u8>]) -> Result<Vec<SessionCallerRow>, sqlx::Error>;
    /// A workspace as each of several people stands to it.
    pub async fn workspace_for_people(workspace_id: &str, people: &[String]) -> Result<Vec<PersonWorkspaceRow>, sqlx::Error>;
    /// Which of some people hold active partner access from a publisher.
    pub async fn partners_among(publisher: &str, people: &[String]) -> Result<Vec<String>, sqlx::Error>;
    /// A person's name.
    pub async fn user_name(user_id: &str) -> Result<Option<String>, sqlx::Error>;
    /// Ends the views made from one session.
    pub async fn end_views(parent: &[u8]) -> Result<(), sqlx::Error>;

    /// The identity provider of the team with this email domain, if it has one.
    pub async fn sso_provider_for_domain(domain: &str) -> Result<Option<SsoProviderRow>, sqlx::Error>;
    /// A team's identity provider, if it has one.
    pub async fn sso_provider(team_id: &str) -> Result<Option<SsoProviderRow>, sqlx::Error>;
    /// Records an SSO sign-in sent to the provider.
    pub async fn start_sso_login(state_hash: &[u8], row: &SsoLoginRow) -> Result<(), sqlx::Error>;
    /// Takes (deletes and returns) the sign-in with this state: a state works once.
    pub async fn take_sso_login(state_hash: &[u8]) -> Result<Option<SsoLoginRow>, sqlx::Error>;
    /// Deletes up to `batch` SSO sign-ins that were never finished.
    pub async fn delete_expired_sso_logins(batch: u32) -> Result<u64, sqlx::Error>;
    /// The account of a team with this address, if any.
    pub async fn team_member_by_email(team_id: &str, email: &str) -> Result<Option<String>, sqlx::Error>;
    /// The id of the team with this domain, if any.
    pub async fn team_by_domain(domain: &str) -> Result<Option<String>, sqlx::Error>;
    /// Whether a publisher shares workspaces with a partner team.
    pub async fn shares_with(publisher: &str, partner_team: &str) -> Result<bool, sqlx::Error>;
    /// Whether a publisher requires a partner team's people to sign in with SSO, and whether
    /// that team has an identity provider here.
    pub async fn sso_requirement(publisher: &str, partner_team: &str) -> Result<(bool, bool), sqlx::Error>;
    /// Deletes up to `batch` expired sessions.
    pub async fn delete_expired_sessions(batch: u32) -> Result<u64, sqlx::Error>;
    /// Ends one session.
    pub async fn end_session(token_hash: &[u8]) -> Result<(), sqlx::Error>;
    /// The password hash of one person.
    pub async fn password_hash(user_id: &str) -> Result<Option<String>, sqlx::Error>;
    /// Replaces a password hash if unchanged and ends the person's other sessions.
    pub async fn change_password(user_id: &str, old_hash: &str, new_hash: &str, keep_session: &[u8]) -> Result<bool, sqlx::Error>;
    /// A team's id, name and plan.
    pub async fn team(team_id: &str) -> Result<Option<(String, String, String)>, sqlx::Error>;

    /// One workspace as the caller relates to it.
    pub async fn workspace(id: &str, caller: &Caller) -> Result<Option<WorkspaceRow>, sqlx::Error>;
    /// A tab of Workspaces: its total and one page of rows.
    pub async fn workspace_rows(caller: &Caller, tab: WorkspaceTab, q: Option<&str>, page: PageRequest) -> Result<(u64, Vec<WorkspaceRow>), sqlx::Error>;
    /// One active partner of a workspace.
    pub async fn partner(workspace_id: &str, user_id: &str) -> Result<Option<PartnerRow>, sqlx::Error>;
    /// A workspace's publisher members, capped, with their total.
    pub async fn publisher_members(workspace_id: &str, pattern: Option<&str>, limit: usize) -> Result<(u64, Vec<MemberRow>), sqlx::Error>;
    /// A workspace's partners, capped, with their total.
    pub async fn workspace_partners(workspace_id: &str, own_team: Option<&str>, pattern: Option<&str>, limit: usize) -> Result<(u64, Vec<PartnerRow>), sqlx::Error>;
    /// Partner Editor seats of a team.
    pub async fn seats(team: &str) -> Result<Seats, sqlx::Error>;

    /// A page of partner teams as JSON, and the total.
    pub async fn partnerships_page(publisher: &str, q: Option<&str>, sso_enforced: Option<bool>, sort: PartnershipSort, page: PageRequest) -> Result<(u64, String), sqlx::Error>;
    /// The version of a publisher's partner teams list.
    pub async fn partnerships_version(publisher: &str) -> Result<i64, sqlx::Error>;
    /// A publisher's partnership totals.
    pub async fn partnership_totals(publisher: &str) -> Result<Totals, sqlx::Error>;
    /// A team's id, name, domain and SSO flag.
    pub async fn team_ref(team_id: &str) -> Result<Option<(String, String, String, bool)>, sqlx::Error>;
    /// The workspaces of a publisher shared with a team, capped, as JSON, and their total.
    pub async fn team_workspaces(publisher: &str, team: &str, limit: usize) -> Result<(u64, String), sqlx::Error>;
    /// A team's partners in a publisher's workspaces, capped, with their total.
    pub async fn team_partners(publisher: &str, team: &str, pattern: Option<&str>, people: usize, grants: usize) -> Result<(u64, Vec<DetailRow>), sqlx::Error>;

    /// A page of a publisher's access requests with a status, and their total.
    pub async fn access_requests_page(publisher: &str, status: &str, page: PageRequest) -> Result<(u64, Vec<RequestRow>), sqlx::Error>;
    /// Moves decided requests older than `before` to the archive, a batch at a time.
    pub async fn archive_decided_requests(before: &str, batch: u32) -> Result<u64, sqlx::Error>;
    /// A person's latest request for a workspace.
    pub async fn latest_request(workspace_id: &str, user_id: &str) -> Result<Option<MyRequestRow>, sqlx::Error>;
    /// A team as Team Settings shows it.
    pub async fn team_settings(team_id: &str) -> Result<Option<TeamRow>, sqlx::Error>;
    /// One page of a team's people, and their total.
    pub async fn team_members(team_id: &str, pattern: Option<&str>, page: PageRequest) -> Result<(u64, Vec<TeamMemberRow>), sqlx::Error>;
    /// One page of a team's pending invitations, and their total.
    pub async fn team_invitations(team_id: &str, pattern: Option<&str>, page: PageRequest) -> Result<(u64, Vec<InvitationRow>), sqlx::Error>;
    /// The pending, unexpired invitation of a link.
    pub async fn invitation_by_token(token_hash: &[u8]) -> Result<Option<InvitationRow>, sqlx::Error>;
    /// Whether an account with this email exists.
    pub async fn account_exists(email: &str) -> Result<bool, sqlx::Error>;
    /// What removing someone from their team would end.
    pub async fn removal_impact(user_id: &str, limit: usize) -> Result<RemovalImpactRows, sqlx::Error>;
    /// One page of a team's external grants, and their total.
    pub async fn external_grants(team_id: &str, filter: &ExternalFilter, page: PageRequest) -> Result<(u64, Vec<ExternalGrantRow>), sqlx::Error>;
    /// The next batch of external grants the filters select, after a (publisher, workspace, person).
    pub async fn external_grants_after(team_id: &str, filter: &ExternalFilter, after: Option<(&str, &str, &str)>, limit: u32) -> Result<Vec<ExternalGrantRow>, sqlx::Error>;
    /// The publishers a team's people have access with, and grant counts.
    pub async fn external_publishers(team_id: &str, limit: usize) -> Result<Vec<(String, String, i64)>, sqlx::Error>;
    /// How many publishers a team's people have access with.
    pub async fn external_publisher_count(team_id: &str) -> Result<u64, sqlx::Error>;
    /// Records that a partner opened a workspace (at most once per window).
    pub async fn mark_opened(workspace_id: &str, user_id: &str, at: &str, stale_before: &str) -> Result<(), sqlx::Error>;

    /// Entries of a team's audit log the filter selects, newest first, older than a cursor.
    pub async fn audit_entries(team_id: &str, filter: &AuditFilterRow, before: Option<(&str, i64)>, limit: u32) -> Result<Vec<AuditRow>, sqlx::Error>;
    /// The choices of the audit log's filters.
    pub async fn audit_filter_choices(team_id: &str, limit: usize) -> Result<AuditChoicesRow, sqlx::Error>;
    /// The audit log retention periods teams have chosen.
    pub async fn audit_retentions() -> Result<Vec<i64>, sqlx::Error>;
    /// Deletes a batch of audit entries older than a time, of teams keeping `days` days.
    pub async fn delete_audit_before(days: i64, before: &str, batch: u32) -> Result<u64, sqlx::Error>;

    /// Active grants ending before a time whose reminder is not written yet.
    pub async fn grants_to_remind(before: &str, limit: u32) -> Result<Vec<ExpiringRow>, sqlx::Error>;
    /// Active grants whose end has come by a time.
    pub async fn grants_ended_by(at: &str, limit: u32) -> Result<Vec<ExpiringRow>, sqlx::Error>;

    /// A team's reviews (with a reviewer: theirs).
    pub async fn reviews(team_id: &str, reviewer: Option<&str>) -> Result<Vec<ReviewRow>, sqlx::Error>;
    /// One review of a team.
    pub async fn review(team_id: &str, review_id: &str) -> Result<Option<ReviewRow>, sqlx::Error>;
    /// The reviewers of a team's reviews.
    pub async fn review_reviewers(team_id: &str) -> Result<Vec<(String, String, String, String)>, sqlx::Error>;
    /// One page of a review's grants, and their total.
    pub async fn review_items(review_id: &str, undecided_only: bool, page: PageRequest) -> Result<(u64, Vec<ReviewItemRow>), sqlx::Error>;
    /// A slice of a review's grants in its order.
    pub async fn review_items_after(review_id: &str, undecided_only: bool, limit: u32, offset: u64) -> Result<Vec<ReviewItemRow>, sqlx::Error>;
    /// Of some people, those of the team who may review.
    pub async fn eligible_reviewers(team_id: &str, ids_json: &str) -> Result<Vec<String>, sqlx::Error>;
    /// What "Start a review" offers.
    #[allow(clippy::type_complexity)]
    pub async fn review_choices(team_id: &str, limit: usize) -> Result<(Vec<ReviewerRow>, Vec<(String, String, String)>, Vec<(String, String)>), sqlx::Error>;
    /// Open reviews due by a time.
    pub async fn due_reviews(at: &str) -> Result<Vec<(String, String)>, sqlx::Error>;

    /// Publishers with un-notified pending requests, with each request's time.
    pub async fn undigested_requests() -> Result<Vec<(String, String)>, sqlx::Error>;

    /// The outbox, newest first (the dev mailbox).
    pub async fn mailbox(to: Option<&str>, page: PageRequest) -> Result<Paginated<MailboxEmail>, sqlx::Error>;
    /// Claims due emails for delivery.
    pub async fn claim_due_emails(claimer: &str, at: OffsetDateTime, lease: Duration, limit: u32) -> Result<Vec<PendingEmail>, sqlx::Error>;
    /// Counts an attempt and renews the claim, while it is this claimer's.
    pub async fn start_email_attempt(id: &str, claimer: &str, at: OffsetDateTime, lease: Duration) -> Result<bool, sqlx::Error>;
    /// Records a delivery and releases the claim.
    pub async fn mark_email_sent(id: &str, claimer: &str) -> Result<bool, sqlx::Error>;
    /// Records a failed delivery and when to retry, and releases the claim.
    pub async fn mark_email_failed(id: &str, claimer: &str, error: &str, retry_at: OffsetDateTime) -> Result<bool, sqlx::Error>;
    /// Marks every unclaimed unsent email delivered (the dev mailbox).
    pub async fn deliver_to_dev_mailbox(at: OffsetDateTime) -> Result<u64, sqlx::Error>;

    /// A team's plan.
    pub async fn team_plan(team_id: &str) -> Result<String, sqlx::Error>;
    /// A team's legacy partner workspaces and how many migrated.
    pub async fn legacy_counts(team_id: &str) -> Result<(u64, u64), sqlx::Error>;
    /// One page of a team's legacy partner workspaces.
    pub async fn legacy_page(team_id: &str, page: PageRequest) -> Result<Vec<LegacyRow>, sqlx::Error>;
    /// A team's current or latest migration run.
    pub async fn latest_run(team_id: &str) -> Result<Option<RunRow>, sqlx::Error>;
    /// One migration run.
    pub async fn migration_run(run_id: &str) -> Result<Option<RunRow>, sqlx::Error>;
    /// A team's legacy partner workspaces not migrated yet.
    pub async fn workspaces_to_migrate(team_id: &str) -> Result<Vec<WorkspaceRefRow>, sqlx::Error>;
    /// Who a team's migration of some workspaces tells.
    pub async fn migration_audience(team_id: &str, ids: &str) -> Result<MigrationAudience, sqlx::Error>;
    /// The team's unfinished run, or a new one.
    pub async fn start_migration_run(team_id: &str, kind: RunKind, requested_by: Option<&str>) -> Result<Option<String>, sqlx::Error>;
    /// Starts an attempt of an unfinished run.
    pub async fn begin_migration_attempt(run_id: &str, at: OffsetDateTime, now_anyway: bool) -> Result<bool, sqlx::Error>;
    /// Records a failed attempt of a run and when to retry.
    pub async fn record_migration_failure(run_id: &str, message: &str, retry_at: &(dyn Fn(u32) -> OffsetDateTime + Sync)) -> Result<String, sqlx::Error>;
    /// Migrates one more workspace of a run.
    pub async fn migrate_next_workspace(run_id: &str) -> Result<bool, StepError>;
    /// Unfinished runs whose next attempt is due.
    pub async fn unfinished_migration_runs(at: OffsetDateTime) -> Result<Vec<(String, String)>, sqlx::Error>;
    /// Teams with legacy workspaces left and no unfinished run, with their plan.
    pub async fn teams_with_legacy_left() -> Result<Vec<(String, String)>, sqlx::Error>;
});

dispatch!(Tx {
    /// Serialises changes to one publisher's partner access.
    pub async fn lock_publisher(team_id: &str) -> Result<(), sqlx::Error>;
    /// Serialises changes to one team's membership and digests.
    pub async fn lock_team(team_id: &str) -> Result<(), sqlx::Error>;
    /// Sets up or changes a team's identity provider (`None` keeps the stored secret).
    pub async fn set_sso_provider(team_id: &str, issuer: &str, client_id: &str, client_secret: Option<&[u8]>, by: Option<&str>, at: &str) -> Result<bool, sqlx::Error>;
    /// Removes a team's identity provider; its issuer, if it had one.
    pub async fn remove_sso_provider(team_id: &str) -> Result<Option<String>, sqlx::Error>;
    /// Requires (or stops requiring) SSO of a partner team's people.
    pub async fn set_sso_requirement(publisher: &str, partner_team: &str, required: bool, by: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// Records a change for live updates, announced once the transaction commits.
    pub async fn record_change(change: NewChange<'_>) -> Result<(), sqlx::Error>;
    /// Serialises the steps of one migration run.
    pub async fn lock_run(run_id: &str) -> Result<(), sqlx::Error>;
    /// Appends an audit entry.
    pub async fn audit(entry: AuditEntry<'_>) -> Result<(), sqlx::Error>;
    /// How long a team's new partner grants last by default.
    pub async fn team_default_access(team_id: &str) -> Result<String, sqlx::Error>;
    /// An active grant's end (`None`: no active grant).
    pub async fn grant_end(workspace_id: &str, user_id: &str) -> Result<Option<Option<String>>, sqlx::Error>;
    /// Sets an active grant's end.
    pub async fn set_grant_end(workspace_id: &str, user_id: &str, ends_at: Option<&str>) -> Result<bool, sqlx::Error>;
    /// Records a grant's reminder for its current end, once.
    pub async fn mark_reminded(workspace_id: &str, user_id: &str, ends_at: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// Ends a grant whose end has come, unless it changed.
    pub async fn expire_grant(workspace_id: &str, user_id: &str, ends_at: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// A team's default access period and audit log retention.
    pub async fn team_governance(team_id: &str) -> Result<(String, i64), sqlx::Error>;
    /// Sets a team's default access period and audit log retention.
    pub async fn set_team_governance(team_id: &str, default_access: &str, retention_days: i64) -> Result<(), sqlx::Error>;
    /// Starts a review with the grants of its scope.
    pub async fn create_review(review: &NewReviewRow<'_>) -> Result<u64, sqlx::Error>;
    /// Records a decision for some grants of a review.
    pub async fn decide_review_items(review_id: &str, keys_json: &str, decision: &str, by: &str, at: &str) -> Result<Vec<(String, String, String)>, sqlx::Error>;
    /// How many of some grants are in a review.
    pub async fn review_item_count(review_id: &str, keys_json: &str) -> Result<u64, sqlx::Error>;
    /// A review's state, undecided outcome, label and team.
    pub async fn review_state(review_id: &str) -> Result<Option<(String, String, String, String)>, sqlx::Error>;
    /// Grants a review removes that aren't applied yet.
    pub async fn review_removals(review_id: &str, undecided: &str, limit: u32) -> Result<Vec<(String, String, String)>, sqlx::Error>;
    /// Marks a grant of a review applied.
    pub async fn mark_review_item_applied(review_id: &str, workspace_id: &str, user_id: &str, at: &str) -> Result<(), sqlx::Error>;
    /// Closes a review.
    pub async fn finish_review(review_id: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// A review's reviewers.
    pub async fn review_reviewer_people(review_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error>;
    /// A review's reviewers and creator.
    pub async fn review_audience(review_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error>;
    /// How many grants a review covers.
    pub async fn review_total(review_id: &str) -> Result<u64, sqlx::Error>;
    /// How many grants a review removed.
    pub async fn review_removed_count(review_id: &str) -> Result<u64, sqlx::Error>;
    /// Writes an email to the outbox (once per dedupe key).
    pub async fn enqueue(dedupe_key: &str, message: &Message) -> Result<bool, sqlx::Error>;

    /// A person's team membership.
    pub async fn membership(user_id: &str) -> Result<Option<MembershipRow>, sqlx::Error>;
    /// A person's grants that are not revoked.
    pub async fn grants_held(user_id: &str) -> Result<Vec<HeldGrant>, sqlx::Error>;
    /// Ends every grant of someone who left their team.
    pub async fn end_grants_of_leaver(user_id: &str, at: &str) -> Result<(), sqlx::Error>;
    /// A person's workspace roles.
    pub async fn workspace_roles(user_id: &str) -> Result<Vec<(String, String)>, sqlx::Error>;
    /// Ends a person's workspace roles.
    pub async fn end_workspace_roles(user_id: &str) -> Result<(), sqlx::Error>;
    /// Drops a person's pending access requests.
    pub async fn drop_pending_requests_of(user_id: &str, at: &str) -> Result<(), sqlx::Error>;
    /// Takes a person out of their team.
    pub async fn leave_team(user_id: &str) -> Result<(), sqlx::Error>;

    /// One workspace as the caller relates to it.
    pub async fn workspace(id: &str, caller: &Caller) -> Result<Option<WorkspaceRow>, sqlx::Error>;
    /// The publisher of a workspace.
    pub async fn publisher_of(workspace_id: &str) -> Result<Option<String>, sqlx::Error>;
    /// One active partner of a workspace.
    pub async fn partner(workspace_id: &str, user_id: &str) -> Result<Option<PartnerRow>, sqlx::Error>;
    /// Seats of a publisher.
    pub async fn seats(publisher: &str) -> Result<Seats, sqlx::Error>;
    /// The person with an email, with their team.
    pub async fn person_by_email(email: &str) -> Result<Option<PersonRow>, sqlx::Error>;
    /// Gives (or revives) a grant.
    pub async fn grant(grant: Grant<'_>) -> Result<(), sqlx::Error>;
    /// Makes a partner Partner Lead of a workspace, or not.
    pub async fn set_grant_lead(workspace_id: &str, user_id: &str, lead: bool) -> Result<(), sqlx::Error>;
    /// Whether a person has an active grant to a workspace.
    pub async fn has_grant(workspace_id: &str, user_id: &str) -> Result<bool, sqlx::Error>;
    /// Ends one grant (removed by the publisher).
    pub async fn revoke_grant(workspace_id: &str, user_id: &str, at: &str) -> Result<(), sqlx::Error>;
    /// Changes a grant's role.
    pub async fn set_grant_role(workspace_id: &str, user_id: &str, role: PartnerRole) -> Result<(), sqlx::Error>;
    /// A workspace's active Partner Editors.
    pub async fn workspace_editors(workspace_id: &str) -> Result<Vec<PartnerRow>, sqlx::Error>;
    /// Makes a workspace's Partner Editors Viewers.
    pub async fn demote_editors(workspace_id: &str) -> Result<(), sqlx::Error>;
    /// Turns multi-partner mode on or off.
    pub async fn set_multi_partner_mode(workspace_id: &str, on: bool) -> Result<(), sqlx::Error>;
    /// Ends every active grant of a workspace.
    pub async fn revoke_all_partners(workspace_id: &str, at: &str) -> Result<u64, sqlx::Error>;
    /// Denies a workspace's pending access requests.
    pub async fn deny_pending_requests(workspace_id: &str, by: &str, at: &str) -> Result<(), sqlx::Error>;
    /// Makes a workspace internal or partner.
    pub async fn set_visibility(workspace_id: &str, visibility: &str) -> Result<(), sqlx::Error>;
    /// Renames a workspace.
    pub async fn set_workspace_name(workspace_id: &str, name: &str) -> Result<(), sqlx::Error>;
    /// Changes a workspace's summary.
    pub async fn set_workspace_summary(workspace_id: &str, summary: &str) -> Result<(), sqlx::Error>;
    /// A team's name.
    pub async fn team_name(team_id: &str) -> Result<String, sqlx::Error>;
    /// The active grants of one partner team in one publisher's workspaces.
    pub async fn pair_grants(publisher: &str, team: &str) -> Result<Vec<(String, String)>, sqlx::Error>;

    /// A person's latest request for a workspace.
    pub async fn latest_request(workspace_id: &str, user_id: &str) -> Result<Option<MyRequestRow>, sqlx::Error>;
    /// Records a pending request unless one is pending.
    pub async fn insert_request(workspace_id: &str, publisher: &str, user_id: &str, role: PartnerRole, message: &str) -> Result<bool, sqlx::Error>;
    /// The publisher of a request.
    pub async fn request_publisher(request_id: &str) -> Result<Option<String>, sqlx::Error>;
    /// One request with its requester and workspace.
    pub async fn request(request_id: &str, publisher: Option<&str>) -> Result<Option<RequestRow>, sqlx::Error>;
    /// Records a decision on a request.
    pub async fn decide_request(request_id: &str, status: &str, by: &str, at: &str) -> Result<(), sqlx::Error>;
    /// A publisher's un-notified pending requests.
    pub async fn undigested_requests_of(publisher: &str) -> Result<Vec<DigestRow>, sqlx::Error>;
    /// Marks a request notified.
    pub async fn mark_request_notified(request_id: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// A team's Team Admins and Partner Managers.
    pub async fn team_managers(team_id: &str) -> Result<Vec<NoticeRecipient>, sqlx::Error>;

    /// Renames a team.
    pub async fn set_team_name(team_id: &str, name: &str) -> Result<(), sqlx::Error>;
    /// Sets a team's "require SSO".
    pub async fn set_team_sso(team_id: &str, on: bool) -> Result<(), sqlx::Error>;
    /// A team's name, domain and SSO flag.
    pub async fn team_ref(team_id: &str) -> Result<Option<(String, String, bool)>, sqlx::Error>;
    /// A team's name and SSO flag.
    pub async fn team_flags(team_id: &str) -> Result<(String, bool), sqlx::Error>;
    /// One person of a team.
    pub async fn team_member(team_id: &str, user_id: &str) -> Result<Option<TeamMemberRow>, sqlx::Error>;
    /// How many Team Admins a team has.
    pub async fn team_admin_count(team_id: &str) -> Result<u64, sqlx::Error>;
    /// Sets a person's team role and Partner Manager flag.
    pub async fn set_member_roles(user_id: &str, team_role: TeamRole, is_partner_manager: bool) -> Result<(), sqlx::Error>;
    /// Ends every session of a person.
    pub async fn end_sessions_of(user_id: &str) -> Result<u64, sqlx::Error>;
    /// A team's pending invitation for an address.
    pub async fn pending_invitation_for(team_id: &str, email: &str) -> Result<Option<InvitationRow>, sqlx::Error>;
    /// One pending invitation of a team.
    pub async fn team_invitation(team_id: &str, id: &str) -> Result<Option<InvitationRow>, sqlx::Error>;
    /// The pending invitation of a link, expired or not.
    pub async fn invitation_by_token(token_hash: &[u8]) -> Result<Option<InvitationRow>, sqlx::Error>;
    /// Records a new invitation.
    pub async fn insert_invitation(invitation: NewInvitation<'_>) -> Result<(), sqlx::Error>;
    /// Gives an invitation a new link and expiry.
    pub async fn renew_invitation(id: &str, token_hash: &[u8], at: &str, expires_at: &str) -> Result<(), sqlx::Error>;
    /// Closes a pending invitation.
    pub async fn close_invitation(id: &str, state: &str, at: &str) -> Result<bool, sqlx::Error>;
    /// Creates an account in no team.
    pub async fn create_user(email: &str, name: &str, password_hash: &str) -> Result<String, sqlx::Error>;
    /// Puts a person in no team into a team.
    pub async fn join_team(user_id: &str, team_id: &str, team_role: TeamRole) -> Result<bool, sqlx::Error>;
    /// A team's people's active grants to end.
    pub async fn external_grants_to_end(team_id: &str, publisher: Option<&str>, keys_json: Option<&str>) -> Result<Vec<ExternalGrantRow>, sqlx::Error>;

    /// A migration run's team and state.
    pub async fn run_state(run_id: &str) -> Result<(String, String), sqlx::Error>;
    /// The workspaces a run migrated.
    pub async fn run_workspaces(run_id: &str) -> Result<Vec<WorkspaceRefRow>, sqlx::Error>;
    /// Who a team's migration of some workspaces tells.
    pub async fn migration_audience(team_id: &str, ids: &str) -> Result<MigrationAudience, sqlx::Error>;
    /// Marks a run done.
    pub async fn finish_run(run_id: &str, people_emailed: u64) -> Result<(), sqlx::Error>;
});

impl Tx {
    /// Makes the transaction's changes permanent.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Self::Sqlite(tx) => tx.commit().await,
            Self::Postgres(tx) => tx.commit().await,
        }
    }
}
