use std::collections::BTreeSet;

use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::UserId;
use partner_api::partnerships::{TeamRef, WorkspaceRef};
use partner_api::reviews::{
    NewReview, ReviewChoices, ReviewDecision, ReviewScope, ReviewSummary, Reviewer,
};
use stylers_macro::style;

use super::error_panel::explain;
use super::field::Field;
use super::form_failure::FormFailure;
use super::relative_time::{iso_day, now_seconds};
use crate::api::{self, ApiError};

/// Most reviewers a review may have (the server's rule).
pub const MAX_REVIEWERS: usize = 20;

/// Days from today a review is due unless another day is picked.
pub const DEFAULT_DUE_DAYS: i64 = 14;

/// Which grants the review covers, as picked in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeChoice {
    All,
    PartnerTeam,
    Workspace,
}

/// Why the form can't be sent, per field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewFormErrors {
    pub scope: Option<String>,
    pub reviewers: Option<String>,
    pub due_on: Option<String>,
}

impl ReviewFormErrors {
    /// The errors a 422's `fields` name (`None` when it names none of the form's fields).
    pub fn from_api(error: &ApiError) -> Option<Self> {
        let ApiError::Server { fields, .. } = error else {
            return None;
        };
        let errors = Self {
            scope: fields.get("scope").cloned(),
            reviewers: fields.get("reviewers").cloned(),
            due_on: fields.get("due_on").cloned(),
        };
        (errors != Self::default()).then_some(errors)
    }

    /// The id of the first control in error, to move focus to.
    pub fn first_control(&self) -> Option<&'static str> {
        if self.scope.is_some() {
            Some(SCOPE_ID)
        } else if self.reviewers.is_some() {
            Some(REVIEWERS_ID)
        } else if self.due_on.is_some() {
            Some(DUE_ID)
        } else {
            None
        }
    }
}

const SCOPE_ID: &str = "review-scope";
const REVIEWERS_ID: &str = "review-reviewers";
const DUE_ID: &str = "review-due";

/// What the form holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDraft {
    pub scope: ScopeChoice,
    pub partner_team: String,
    pub workspace: String,
    pub reviewers: BTreeSet<String>,
    pub due_on: String,
    pub undecided: ReviewDecision,
}

impl ReviewDraft {
    /// The review to start, or why not (`today` is YYYY-MM-DD, UTC).
    pub fn new_review(&self, today: &str) -> Result<NewReview, ReviewFormErrors> {
        let mut errors = ReviewFormErrors::default();
        let scope = match self.scope {
            ScopeChoice::All => Some(ReviewScope::All),
            ScopeChoice::PartnerTeam if self.partner_team.is_empty() => {
                errors.scope = Some("Pick the partner team to review.".to_owned());
                None
            }
            ScopeChoice::PartnerTeam => Some(ReviewScope::PartnerTeam {
                team_id: self.partner_team.as_str().into(),
            }),
            ScopeChoice::Workspace if self.workspace.is_empty() => {
                errors.scope = Some("Pick the workspace to review.".to_owned());
                None
            }
            ScopeChoice::Workspace => Some(ReviewScope::Workspace {
                workspace_id: self.workspace.as_str().into(),
            }),
        };
        if self.reviewers.is_empty() {
            errors.reviewers = Some("Pick at least one reviewer.".to_owned());
        } else if self.reviewers.len() > MAX_REVIEWERS {
            errors.reviewers = Some(format!("Pick at most {MAX_REVIEWERS} reviewers."));
        }
        let due = self.due_on.trim();
        if due.is_empty() {
            errors.due_on = Some("Pick the day decisions are applied.".to_owned());
        } else if !is_day(due) {
            errors.due_on = Some("Enter the day as YYYY-MM-DD.".to_owned());
        } else if due <= today {
            errors.due_on = Some("Pick a day after today.".to_owned());
        }
        match scope {
            Some(scope) if errors == ReviewFormErrors::default() => Ok(NewReview {
                scope,
                reviewers: self
                    .reviewers
                    .iter()
                    .map(|id| UserId::from(id.as_str()))
                    .collect(),
                due_on: due.to_owned(),
                undecided: self.undecided,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether `text` looks like YYYY-MM-DD.
fn is_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
}

/// Why someone may review, beside their name: "Team Admin", "Partner Manager",
/// "Workspace Admin", or several.
pub fn reviewer_roles(reviewer: &Reviewer) -> String {
    [
        (reviewer.team_admin, "Team Admin"),
        (reviewer.partner_manager, "Partner Manager"),
        (reviewer.workspace_admin, "Workspace Admin"),
    ]
    .into_iter()
    .filter_map(|(is, role)| is.then_some(role))
    .collect::<Vec<_>>()
    .join(", ")
}

/// "Start a review" (Team Admins): which grants, who reviews them, the due date and what
/// happens to undecided grants then. Errors show on their field; the first one gets focus.
#[component]
pub fn StartReviewForm(
    /// The review started.
    #[prop(into)]
    on_started: Callback<ReviewSummary>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let class = style! {
        .start-review {
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
            padding: var(--space-4) var(--space-5);
            margin-bottom: var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
        }
        h2 {
            margin: 0;
            font-size: var(--text-lg);
        }
        h2:focus {
            outline: none;
        }
        fieldset {
            border: none;
            margin: 0;
            padding: 0;
            display: flex;
            flex-direction: column;
            gap: var(--space-2);
            min-width: 0;
        }
        legend {
            font-weight: 600;
            padding: 0;
            margin-bottom: var(--space-2);
        }
        .option {
            display: flex;
            align-items: center;
            gap: var(--space-2);
        }
        .pick {
            margin-left: var(--space-5);
            max-width: 360px;
        }
        .people {
            list-style: none;
            margin: 0;
            padding: 0;
            display: grid;
            grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
            gap: var(--space-2) var(--space-4);
        }
        .person {
            display: flex;
            align-items: flex-start;
            gap: var(--space-2);
            min-width: 0;
        }
        .person input {
            margin-top: 4px;
        }
        .who {
            display: flex;
            flex-direction: column;
            line-height: 1.3;
            min-width: 0;
            overflow-wrap: anywhere;
        }
        .what {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .hint {
            margin: 0;
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .field-error {
            margin: 0;
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
        .due {
            max-width: 220px;
        }
        .note {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin: 0;
            color: var(--color-text-secondary);
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
        }
        @media (max-width: 640px) {
            .start-review {
                padding: var(--space-3);
            }
            .pick {
                margin-left: 0;
            }
        }
    };
    let choices = LocalResource::new(api::reviews::choices);
    let title = NodeRef::<html::H2>::new();
    // Focus moves into the form as it opens, so keyboard and screen reader users land on it.
    Effect::new(move |_| {
        if let Some(title) = title.get() {
            _ = title.focus();
        }
    });

    let scope = RwSignal::new(ScopeChoice::All);
    let partner_team = RwSignal::new(String::new());
    let workspace = RwSignal::new(String::new());
    let reviewers = RwSignal::new(BTreeSet::<String>::new());
    let today = iso_day(now_seconds(), 0);
    let due_on = RwSignal::new(iso_day(now_seconds(), DEFAULT_DUE_DAYS));
    let undecided = RwSignal::new(ReviewDecision::Keep);
    let errors = RwSignal::new(ReviewFormErrors::default());
    let failure = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let focus = move |id: &str| {
        // The scope's error is on the picked team's or workspace's select, when there is one.
        let id = match (id, scope.get_untracked()) {
            (SCOPE_ID, ScopeChoice::PartnerTeam) => "review-partner-team",
            (SCOPE_ID, ScopeChoice::Workspace) => "review-workspace",
            (id, _) => id,
        };
        if let Some(element) = document().get_element_by_id(id)
            && let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element)
        {
            _ = element.focus();
        }
    };

    let on_submit = {
        let today = today.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            failure.set(None);
            let draft = ReviewDraft {
                scope: scope.get_untracked(),
                partner_team: partner_team.get_untracked(),
                workspace: workspace.get_untracked(),
                reviewers: reviewers.get_untracked(),
                due_on: due_on.get_untracked(),
                undecided: undecided.get_untracked(),
            };
            let review = match draft.new_review(&today) {
                Ok(review) => review,
                Err(found) => {
                    if let Some(id) = found.first_control() {
                        focus(id);
                    }
                    errors.set(found);
                    return;
                }
            };
            errors.set(ReviewFormErrors::default());
            pending.set(true);
            spawn_local_scoped_with_cancellation(async move {
                let answer = api::reviews::start(&review).await;
                pending.set(false);
                match answer {
                    Ok(started) => on_started.run(started),
                    Err(error) => match ReviewFormErrors::from_api(&error) {
                        Some(found) => {
                            if let Some(id) = found.first_control() {
                                focus(id);
                            }
                            errors.set(found);
                        }
                        None => failure.set(Some(format!(
                            "The review wasn't started. {}",
                            explain(&error)
                        ))),
                    },
                }
            });
        }
    };

    let scope_option = move |choice: ScopeChoice, label: &'static str| {
        let id = match choice {
            ScopeChoice::All => SCOPE_ID,
            ScopeChoice::PartnerTeam => "review-scope-team",
            ScopeChoice::Workspace => "review-scope-workspace",
        };
        view! { class=class,
            <label class="option" for=id>
                <input
                    type="radio"
                    id=id
                    name="review-scope"
                    prop:checked=move || scope.get() == choice
                    on:change=move |_| {
                        scope.set(choice);
                        errors.update(|e| e.scope = None);
                    }
                />
                {label}
            </label>
        }
    };
    // With a team or a workspace to pick, the error shows on its select.
    let scope_error = move || {
        let here = scope.get() == ScopeChoice::All;
        errors
            .with(|e| e.scope.clone())
            .filter(|_| here)
            .map(|why| {
                view! { class=class, <p class="field-error" id="review-scope-error">{why}</p> }
            })
    };
    let partner_team_pick = move || {
        (scope.get() == ScopeChoice::PartnerTeam).then(|| {
            view! { class=class,
                <div class="pick">
                    {picker(
                        "review-partner-team",
                        "Partner team",
                        "Choose a partner team",
                        choices,
                        |all: &ReviewChoices| &all.partner_teams,
                        |team: &TeamRef| (team.id.to_string(), team.name.clone()),
                        partner_team,
                        errors,
                        "You have no partner teams yet: nothing to review.",
                    )}
                </div>
            }
        })
    };
    let workspace_pick = move || {
        (scope.get() == ScopeChoice::Workspace).then(|| {
            view! { class=class,
                <div class="pick">
                    {picker(
                        "review-workspace",
                        "Workspace",
                        "Choose a workspace",
                        choices,
                        |all: &ReviewChoices| &all.workspaces,
                        |workspace: &WorkspaceRef| {
                            (workspace.id.to_string(), workspace.name.clone())
                        },
                        workspace,
                        errors,
                        "Your team has no workspaces yet: nothing to review.",
                    )}
                </div>
            }
        })
    };

    let people = move || match choices.get() {
        None => view! { class=class, <p class="hint">"Loading your team's people…"</p> }.into_any(),
        Some(Err(error)) => view! { class=class,
            <p class="note" role="status">
                {format!("Your team's people didn't load. {}", explain(&error))}
                <button type="button" class="button" on:click=move |_| choices.refetch()>
                    "Retry"
                </button>
            </p>
        }
        .into_any(),
        Some(Ok(all)) => {
            let eligible = all.reviewers;
            if eligible.is_empty() {
                return view! { class=class,
                    <p class="hint">
                        "No one in your team is a Team Admin, Partner Manager or Workspace Admin."
                    </p>
                }
                .into_any();
            }
            view! { class=class,
                <ul class="people">
                    {eligible
                        .into_iter()
                        .enumerate()
                        .map(|(i, member)| {
                            let id = member.user.id.to_string();
                            let input_id = if i == 0 {
                                REVIEWERS_ID.to_owned()
                            } else {
                                format!("review-reviewer-{i}")
                            };
                            let checked = {
                                let id = id.clone();
                                move || reviewers.with(|r| r.contains(&id))
                            };
                            let label_for = input_id.clone();
                            view! { class=class,
                                <li>
                                    <label class="person" for=label_for>
                                        <input
                                            type="checkbox"
                                            id=input_id
                                            prop:checked=checked
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                reviewers
                                                    .update(|r| {
                                                        if on {
                                                            r.insert(id.clone());
                                                        } else {
                                                            r.remove(&id);
                                                        }
                                                    });
                                                errors.update(|e| e.reviewers = None);
                                            }
                                        />
                                        <span class="who">
                                            <span>{member.user.name.clone()}</span>
                                            <span class="what">
                                                {format!(
                                                    "{} · {}",
                                                    member.user.email,
                                                    reviewer_roles(&member),
                                                )}
                                            </span>
                                        </span>
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    let reviewers_error = move || {
        errors.with(|e| e.reviewers.clone()).map(|why| {
            view! { class=class, <p class="field-error" id="review-reviewers-error">{why}</p> }
        })
    };
    let due_error = Signal::derive(move || errors.with(|e| e.due_on.clone()));

    let undecided_option = move |decision: ReviewDecision, label: &'static str| {
        let id = format!("review-undecided-{}", decision.as_str());
        let label_for = id.clone();
        view! { class=class,
            <label class="option" for=label_for>
                <input
                    type="radio"
                    id=id
                    name="review-undecided"
                    prop:checked=move || undecided.get() == decision
                    on:change=move |_| undecided.set(decision)
                />
                {label}
            </label>
        }
    };

    view! { class=class,
        <form
            class="start-review"
            novalidate
            aria-labelledby="start-review-title"
            on:submit=on_submit
        >
            <h2 id="start-review-title" tabindex="-1" node_ref=title>
                "Start a review"
            </h2>
            <fieldset aria-describedby=move || {
                (scope.get() == ScopeChoice::All && errors.with(|e| e.scope.is_some()))
                    .then_some("review-scope-error")
            }>
                <legend>"What to review"</legend>
                {scope_option(ScopeChoice::All, "All partner access")}
                {scope_option(ScopeChoice::PartnerTeam, "One partner team")}
                {partner_team_pick}
                {scope_option(ScopeChoice::Workspace, "One workspace")}
                {workspace_pick}
                {scope_error}
            </fieldset>
            <fieldset aria-describedby=move || {
                if errors.with(|e| e.reviewers.is_some()) {
                    "review-reviewers-error review-reviewers-hint"
                } else {
                    "review-reviewers-hint"
                }
            }>
                <legend>"Reviewers"</legend>
                <p class="hint" id="review-reviewers-hint">
                    "Team Admins and Partner Managers of your team. Each reviewer is emailed a \
                     link to the review."
                </p>
                {people}
                {reviewers_error}
            </fieldset>
            <div class="due">
                <Field id=DUE_ID label="Due date" error=due_error>
                    <input
                        class="input"
                        type="date"
                        min=iso_day(now_seconds(), 1)
                        max=iso_day(now_seconds(), 366)
                        prop:value=due_on
                        on:input=move |ev| {
                            due_on.set(event_target_value(&ev));
                            errors.update(|e| e.due_on = None);
                        }
                    />
                </Field>
            </div>
            <fieldset aria-describedby="review-undecided-hint">
                <legend>"If undecided at the due date"</legend>
                {undecided_option(ReviewDecision::Keep, "Keep the access")}
                {undecided_option(ReviewDecision::Remove, "Remove the access")}
                <p class="hint" id="review-undecided-hint">
                    "At the end of the due date (UTC) the decisions are applied; this is what \
                     happens to grants nobody decided."
                </p>
            </fieldset>
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
            <div class="actions">
                <button
                    type="submit"
                    class="button button-primary"
                    aria-busy=move || pending.get().then_some("true")
                >
                    {move || if pending.get() { "Starting…" } else { "Start review" }}
                </button>
                <button type="button" class="button" on:click=move |_| on_cancel.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}

/// A select of loaded choices (with its own loading, failure and empty lines).
#[allow(clippy::too_many_arguments)]
fn picker<T: Clone + Send + Sync + 'static>(
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    choices: LocalResource<Result<ReviewChoices, ApiError>>,
    items_of: fn(&ReviewChoices) -> &Vec<T>,
    option: fn(&T) -> (String, String),
    value: RwSignal<String>,
    errors: RwSignal<ReviewFormErrors>,
    none: &'static str,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| e.scope.clone()));
    let why = move || {
        error.get().map(|why| view! {
            <p style="margin: 0; color: var(--color-danger); font-size: var(--text-xs)">{why}</p>
        })
    };
    move || match choices.get() {
        None => view! { <p>"Loading…"</p> }.into_any(),
        Some(Err(failed)) => view! {
            <p role="status">
                {format!("The choices didn't load. {} ", explain(&failed))}
                <button type="button" class="button" on:click=move |_| choices.refetch()>
                    "Retry"
                </button>
            </p>
            {why}
        }
        .into_any(),
        Some(Ok(all)) if items_of(&all).is_empty() => view! { <p>{none}</p> {why} }.into_any(),
        Some(Ok(all)) => view! {
            <Field id=id label=label error=error>
                <select
                    class="input"
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        errors.update(|e| e.scope = None);
                    }
                >
                    <option value="" prop:selected=move || value.with(String::is_empty)>
                        {placeholder}
                    </option>
                    {items_of(&all)
                        .iter()
                        .map(|item| {
                            let (key, name) = option(item);
                            let selected = {
                                let key = key.clone();
                                move || value.with(|v| *v == key)
                            };
                            view! { <option value=key prop:selected=selected>{name}</option> }
                        })
                        .collect_view()}
                </select>
            </Field>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use partner_api::session::UserRef;

    use super::*;

    fn draft() -> ReviewDraft {
        ReviewDraft {
            scope: ScopeChoice::Workspace,
            partner_team: String::new(),
            workspace: "w_pay".to_owned(),
            reviewers: ["u_paul".to_owned()].into(),
            due_on: "2026-02-01".to_owned(),
            undecided: ReviewDecision::Remove,
        }
    }

    fn reviewer(
        name: &str,
        team_admin: bool,
        partner_manager: bool,
        workspace_admin: bool,
    ) -> Reviewer {
        Reviewer {
            user: UserRef {
                id: format!("u_{name}").into(),
                name: name.to_owned(),
                email: format!("{name}@acme.test"),
            },
            team_admin,
            partner_manager,
            workspace_admin,
        }
    }

    #[test]
    fn a_complete_draft_is_the_contracts_new_review() {
        assert_eq!(
            draft().new_review("2026-01-15"),
            Ok(NewReview {
                scope: ReviewScope::Workspace {
                    workspace_id: "w_pay".into()
                },
                reviewers: vec!["u_paul".into()],
                due_on: "2026-02-01".to_owned(),
                undecided: ReviewDecision::Remove,
            })
        );
        let all = ReviewDraft {
            scope: ScopeChoice::All,
            workspace: String::new(),
            ..draft()
        };
        assert_eq!(
            all.new_review("2026-01-15").unwrap().scope,
            ReviewScope::All
        );
    }

    #[test]
    fn each_missing_choice_is_named_on_its_field() {
        let empty = ReviewDraft {
            scope: ScopeChoice::PartnerTeam,
            reviewers: BTreeSet::new(),
            due_on: "2026-01-15".to_owned(),
            ..draft()
        };
        let errors = empty.new_review("2026-01-15").unwrap_err();
        assert_eq!(
            errors.scope.as_deref(),
            Some("Pick the partner team to review.")
        );
        assert_eq!(
            errors.reviewers.as_deref(),
            Some("Pick at least one reviewer.")
        );
        assert_eq!(errors.due_on.as_deref(), Some("Pick a day after today."));
        assert_eq!(errors.first_control(), Some(SCOPE_ID));
        let bad_day = ReviewDraft {
            due_on: "1 Feb".to_owned(),
            ..draft()
        };
        let errors = bad_day.new_review("2026-01-15").unwrap_err();
        assert_eq!(
            errors.due_on.as_deref(),
            Some("Enter the day as YYYY-MM-DD.")
        );
        assert_eq!(errors.first_control(), Some(DUE_ID));
        let crowd = ReviewDraft {
            reviewers: (0..21).map(|i| format!("u{i}")).collect(),
            ..draft()
        };
        assert!(
            crowd
                .new_review("2026-01-15")
                .unwrap_err()
                .reviewers
                .is_some()
        );
    }

    #[test]
    fn the_servers_field_errors_land_on_the_same_fields() {
        let error = ApiError::from_response(
            422,
            r#"{"error":{"code":"invalid","message":"Check the reviewers.","fields":{"reviewers":"Reviewers are people of your team who are Team Admins, Partner Managers or Workspace Admins."}}}"#,
        );
        let errors = ReviewFormErrors::from_api(&error).unwrap();
        assert!(errors.reviewers.unwrap().contains("Workspace Admins"));
        assert_eq!(ReviewFormErrors::from_api(&ApiError::Network), None);
    }

    #[test]
    fn each_reviewer_says_why_they_may_review() {
        assert_eq!(
            reviewer_roles(&reviewer("alice", true, false, false)),
            "Team Admin"
        );
        assert_eq!(
            reviewer_roles(&reviewer("paul", false, true, false)),
            "Partner Manager"
        );
        assert_eq!(
            reviewer_roles(&reviewer("wanda", false, false, true)),
            "Workspace Admin"
        );
        assert_eq!(
            reviewer_roles(&reviewer("zoe", true, true, true)),
            "Team Admin, Partner Manager, Workspace Admin"
        );
    }
}
