use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::access_requests::{
    AccessRequestStatus, MAX_MESSAGE_LEN, MyAccessRequest, NewAccessRequest,
};
use partner_api::{ErrorCode, Me, WorkspaceTab};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::error_panel::advice;
use super::icon::{Icon, IconName};
use super::notice_page::NoticePage;
use super::relative_time::{RelativeTime, calendar_day};
use super::switch_account::SwitchAccount;
use crate::api::{self, ApiError};
use crate::routes::Page;

/// "gina@globex.test (Globex)": the account, as the person knows it.
pub fn account_line(me: &Me) -> String {
    match &me.team {
        Some(team) => format!("{} ({})", me.user.email, team.name),
        None => format!("{} (no team)", me.user.email),
    }
}

/// The page's title: access that expired says when it ended.
pub fn title(ended_at: Option<&str>) -> String {
    match ended_at {
        None => "You don't have access to this workspace".to_owned(),
        Some(at) => match calendar_day(at) {
            Some(day) => format!("Your access to this workspace ended on {day}"),
            None => "Your access to this workspace has ended".to_owned(),
        },
    }
}

/// What the "Ask for access" part of the page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    /// Sent from this page just now.
    Sent,
    /// Waiting for the publisher (sent earlier).
    Pending(MyAccessRequest),
    /// People without a team can't ask: access belongs to a team.
    NoTeam,
    /// The form; with the last request if it was declined.
    Form { declined: Option<MyAccessRequest> },
}

/// The page for someone signed in whose account can't open this workspace. It says which
/// account is signed in, never the workspace's name, and offers switching account and
/// asking for access.
#[component]
pub fn NoAccess(
    #[prop(into)] workspace_id: String,
    me: Me,
    /// The caller's latest request for this workspace (`GET /access`).
    request: Option<MyAccessRequest>,
    /// Called when the server says the caller has access after all (granted meanwhile).
    #[prop(optional, into)]
    on_granted: Option<Callback<()>>,
    /// The caller's access expired at this time (`GET /access` said "expired"); empty when
    /// the server didn't say when.
    #[prop(optional, into)]
    ended_at: Option<String>,
) -> impl IntoView {
    let expired = ended_at.is_some();
    let title = title(ended_at.as_deref());
    let has_team = me.team.is_some();
    let sent = RwSignal::new(false);
    let message = RwSignal::new(String::new());
    let sending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let id = StoredValue::new(workspace_id.clone());
    let here = Page::Workspace(&workspace_id).href();

    let ask = Memo::new(move |_| {
        if sent.get() {
            return Ask::Sent;
        }
        match &request {
            Some(r) if r.status == AccessRequestStatus::Pending => Ask::Pending(r.clone()),
            _ if !has_team => Ask::NoTeam,
            Some(r) if r.status == AccessRequestStatus::Denied => Ask::Form {
                declined: Some(r.clone()),
            },
            _ => Ask::Form { declined: None },
        }
    });

    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        failure.set(None);
        let text = message.get_untracked().trim().to_owned();
        let body = NewAccessRequest {
            role: None,
            message: (!text.is_empty()).then_some(text),
        };
        spawn_local_scoped_with_cancellation(async move {
            match api::workspaces::request_access(&id.get_value(), &body).await {
                Ok(_) => sent.set(true),
                Err(error) if error.code() == Some(ErrorCode::Conflict) => match on_granted {
                    Some(granted) => granted.run(()),
                    None => failure.set(Some(error)),
                },
                Err(error) => failure.set(Some(error)),
            }
            sending.set(false);
        });
    };

    let class = style! {
        .who {
            font-size: var(--text-md);
        }
        .options {
            display: grid;
            grid-template-columns: 1fr 1fr;
            gap: var(--space-4);
        }
        .option {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            align-items: flex-start;
            padding: var(--space-5);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
        }
        h2 {
            font-size: var(--text-md);
        }
        .secondary {
            color: var(--color-text-secondary);
        }
        form {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            width: 100%;
            align-items: flex-start;
        }
        label {
            font-weight: 600;
        }
        .optional {
            font-weight: 400;
            color: var(--color-text-secondary);
        }
        textarea {
            width: 100%;
            min-height: 80px;
            padding: var(--space-2) var(--space-3);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            resize: vertical;
        }
        textarea:focus-visible {
            outline: 2px solid var(--color-focus);
            outline-offset: -1px;
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            width: 100%;
        }
        .hint {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .form-error {
            color: var(--color-danger);
        }
        .done {
            display: flex;
            gap: var(--space-2);
            align-items: flex-start;
            padding: var(--space-3);
            border-radius: var(--radius-control);
            background: var(--color-success-soft);
            width: 100%;
        }
        .done-mark {
            color: var(--color-success);
            padding-top: 2px;
        }
        .status-line {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            align-items: center;
        }
        @media (max-width: 640px) {
            .options {
                grid-template-columns: 1fr;
            }
        }
    };

    let form = move |declined: Option<MyAccessRequest>| {
        view! { class=class,
            {declined
                .map(|r| {
                    view! { class=class,
                        <p class="secondary">
                            "Your last request (" <RelativeTime at=Some(r.created_at) />
                            ") was declined. You can ask again."
                        </p>
                    }
                })}
            <form on:submit=send novalidate>
                <div class="field">
                    <label for="access-message">
                        "Message " <span class="optional">"(optional)"</span>
                    </label>
                    <textarea
                        id="access-message"
                        name="message"
                        maxlength=MAX_MESSAGE_LEN
                        aria-describedby="access-message-hint"
                        prop:value=message
                        on:input=move |ev| message.set(event_target_value(&ev))
                    ></textarea>
                    <span class="hint" id="access-message-hint">
                        "Say who you are and what you need it for. You'll ask for Viewer access."
                    </span>
                </div>
                {move || {
                    failure
                        .get()
                        .map(|error| {
                            view! { class=class,
                                <p class="form-error" role="alert">
                                    {error.to_string()} " "
                                    {advice(&error)}
                                </p>
                            }
                        })
                }}
                <button type="submit" class="button button-primary" disabled=sending>
                    {move || if sending.get() { "Sending request…" } else { "Request access" }}
                </button>
            </form>
        }
    };

    let ask_view = move || match ask.get() {
        Ask::Sent => view! { class=class,
            <div class="done" role="status">
                <span class="done-mark"><Icon name=IconName::Check /></span>
                <p>
                    <strong>"Request sent."</strong>
                    " The team that owns this workspace decides. If they approve, you'll get \
                     an email with a Go to workspace link."
                </p>
            </div>
        }
        .into_any(),
        Ask::Pending(request) => view! { class=class,
            <div class="status-line">
                <Badge text="Pending" tone=Tone::Warning />
                <span>"Your request is pending."</span>
            </div>
            <p class="secondary">
                "You asked for access " <RelativeTime at=Some(request.created_at) />
                ". The team that owns this workspace decides. If they approve, you'll get an \
                 email with a Go to workspace link."
            </p>
        }
        .into_any(),
        Ask::NoTeam => view! { class=class,
            <p class="secondary">
                "Your account doesn't belong to a team, so it can't ask for access: partner \
                 access is given to a team's people. Ask your company's Team Admin to add you \
                 to your team, then ask again."
            </p>
        }
        .into_any(),
        Ask::Form { declined } => form(declined).into_any(),
    };

    view! { class=class,
        <NoticePage
            icon=IconName::ShieldOff
            tone=Tone::Neutral
            title=title
            wide=true
        >
            <p class="who">
                "You're signed in as " <strong>{account_line(&me)}</strong> ". "
                {if expired {
                    "The access the workspace's team gave this account had an end date. Ask them \
                     for access again: they can approve it with a new end."
                } else {
                    "This workspace isn't shared with this account."
                }}
            </p>
            <div class="options">
                <section class="option" aria-labelledby="no-access-switch">
                    <h2 id="no-access-switch">"Wrong account?"</h2>
                    <p class="secondary">
                        "If the invitation went to another email address, sign in with that \
                         account. You'll come straight back here."
                    </p>
                    <SwitchAccount next=here />
                </section>
                <section class="option" aria-labelledby="no-access-ask">
                    <h2 id="no-access-ask">"Ask for access"</h2>
                    {ask_view}
                </section>
            </div>
            <p>
                <a href=Page::Workspaces(WorkspaceTab::SharedPartner).href()>
                    "See the workspaces shared with you"
                </a>
            </p>
        </NoticePage>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::session::{MyTeam, UserRef};
    use partner_api::{Plan, TeamRole};

    use super::*;

    #[test]
    fn the_account_line_names_the_address_and_the_team() {
        let mut me = Me {
            user: UserRef {
                id: "u".into(),
                name: "Gina Gray".to_owned(),
                email: "gina@globex.test".to_owned(),
            },
            team: Some(MyTeam {
                id: "t".into(),
                name: "Globex".to_owned(),
                plan: Plan::Professional,
            }),
            team_role: Some(TeamRole::Member),
            is_partner_manager: false,
        };
        assert_eq!(account_line(&me), "gina@globex.test (Globex)");
        me.team = None;
        assert_eq!(account_line(&me), "gina@globex.test (no team)");
    }

    #[test]
    fn expired_access_says_when_it_ended() {
        assert_eq!(title(None), "You don't have access to this workspace");
        assert_eq!(
            title(Some("2027-01-12T23:59:59Z")),
            "Your access to this workspace ended on 12 Jan 2027"
        );
        assert_eq!(title(Some("")), "Your access to this workspace has ended");
    }
}
