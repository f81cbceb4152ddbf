//! The page a team invitation's link opens: join the team by signing in, or signing up.

use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_params_map};
use partner_api::team::{AcceptInvitation, InvitationPreview};
use partner_api::{ErrorCode, Me, TeamRole, WorkspaceTab};
use stylers_macro::style;

use crate::api::{self, ApiError};
use crate::components::badge::Tone;
use crate::components::error_panel::{ErrorPanel, explain};
use crate::components::form_failure::FormFailure;
use crate::components::icon::IconName;
use crate::components::join_signup_form::JoinSignupForm;
use crate::components::notice_page::NoticePage;
use crate::components::switch_account::SwitchAccount;
use crate::components::toast::{ToastKind, use_toasts};
use crate::routes::Page;
use crate::session::{SessionState, use_session};

/// "Alice Adams invited you to join Acme Payments as a Member."
pub fn invitation_line(preview: &InvitationPreview) -> String {
    let role = match preview.team_role {
        TeamRole::Admin => "a Team Admin",
        TeamRole::Member => "a Member",
    };
    match &preview.invited_by_name {
        Some(by) => format!("{by} invited you to join {} as {role}.", preview.team_name),
        None => format!("You're invited to join {} as {role}.", preview.team_name),
    }
}

/// Whether the signed-in account is the invited one (addresses ignore case).
pub fn is_invited(me: &Me, preview: &InvitationPreview) -> bool {
    me.user
        .email
        .trim()
        .eq_ignore_ascii_case(preview.email.trim())
}

/// `/join/:token`: what the invitation offers, and the way in that fits whoever opened it —
/// Join for the invited account, Switch account for another one, Sign in for an address with
/// an account, and a sign-up form for a new one. A link that no longer works says so.
#[component]
pub fn JoinTeam() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let preview = LocalResource::new(move || {
        let token = token.get();
        async move { api::invitations::preview(&token).await }
    });
    let session = use_session();
    let toasts = use_toasts();
    let navigate = use_navigate();

    // Once in the team: the session is the one the server answered, and Workspaces opens.
    let joined = Callback::new(move |me: Me| {
        let team = me.team.as_ref().map(|t| t.name.clone()).unwrap_or_default();
        session.signed_in(me);
        toasts.show(ToastKind::Success, format!("Welcome to {team}."));
        navigate(
            &Page::Workspaces(WorkspaceTab::All).href(),
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });

    let class = style! {
        .join-page {
            flex: 1;
            display: flex;
            justify-content: center;
            align-items: flex-start;
            padding: var(--space-7) var(--space-4);
            background: var(--color-surface);
        }
        .card {
            width: 100%;
            max-width: 440px;
            display: flex;
            flex-direction: column;
            gap: var(--space-5);
            padding: var(--space-6);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-bg);
        }
        .intro {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        h1 {
            font-size: var(--text-lg);
            overflow-wrap: anywhere;
        }
        .lede {
            color: var(--color-text-secondary);
            overflow-wrap: anywhere;
        }
        .checking {
            color: var(--color-text-secondary);
        }
        @media (max-width: 640px) {
            .join-page {
                padding: var(--space-5) var(--space-3);
            }
            .card {
                padding: var(--space-5);
            }
        }
    };

    let invalid = move || {
        view! {
            <NoticePage
                icon=IconName::Alert
                tone=Tone::Warning
                title="This invitation link doesn't work any more"
            >
                <p>
                    "It may have expired, been revoked by a Team Admin, or been used already. \
                     Ask a Team Admin of the team to send you a new invitation."
                </p>
                <p>
                    <a class="button" href=Page::Workspaces(WorkspaceTab::All).href()>
                        "Go to Workspaces"
                    </a>
                </p>
            </NoticePage>
        }
    };

    let card = move |preview: InvitationPreview| {
        let title = format!("Join {}", preview.team_name);
        let line = invitation_line(&preview);
        let way_in = move || {
            match session.state() {
            SessionState::Loading => view! { class=class,
                <p class="checking" role="status">"Checking whether you're signed in…"</p>
            }
            .into_any(),
            SessionState::Failed(error) => {
                view! { <ErrorPanel error=error on_retry=move |()| session.refetch() /> }
                    .into_any()
            }
            SessionState::SignedIn(me) if is_invited(&me, &preview) => view! {
                <JoinAsInvited token=token.get_untracked() preview=preview.clone() on_joined=joined />
            }
            .into_any(),
            SessionState::SignedIn(me) => view! {
                <OtherAccount token=token.get_untracked() preview=preview.clone() me=me />
            }
            .into_any(),
            SessionState::SignedOut if preview.account_exists => {
                view! { <SignInToJoin token=token.get_untracked() preview=preview.clone() /> }
                    .into_any()
            }
            SessionState::SignedOut => view! {
                <JoinSignupForm
                    token=token.get_untracked()
                    email=preview.email.clone()
                    team=preview.team_name.clone()
                    on_joined=joined
                />
            }
            .into_any(),
        }
        };
        view! { class=class,
            <div class="join-page">
                <section class="card" aria-labelledby="join-title">
                    <div class="intro">
                        <h1 id="join-title">{title}</h1>
                        <p class="lede">{line}</p>
                    </div>
                    {way_in}
                </section>
            </div>
        }
    };

    move || match preview.get() {
        None => view! { class=class,
            <div class="join-page">
                <section class="card" aria-labelledby="join-title">
                    <h1 id="join-title">"Join your team"</h1>
                    <p class="checking" role="status">"Opening your invitation…"</p>
                </section>
            </div>
        }
        .into_any(),
        Some(Ok(preview)) => card(preview).into_any(),
        Some(Err(error))
            if matches!(
                error.code(),
                Some(ErrorCode::InvitationInvalid | ErrorCode::NotFound)
            ) =>
        {
            invalid().into_any()
        }
        Some(Err(error)) => view! { class=class,
            <div class="join-page">
                <section class="card" aria-labelledby="join-title">
                    <h1 id="join-title">"We couldn't open this invitation"</h1>
                    <ErrorPanel error=error on_retry=move |()| preview.refetch() />
                </section>
            </div>
        }
        .into_any(),
    }
}

/// Signed in as the invited address: one button joins.
#[component]
fn JoinAsInvited(
    token: String,
    preview: InvitationPreview,
    #[prop(into)] on_joined: Callback<Me>,
) -> impl IntoView {
    let class = style! {
        .join-as {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .account {
            color: var(--color-text-secondary);
            overflow-wrap: anywhere;
        }
        .join {
            justify-content: center;
            height: 36px;
        }
    };
    let pending = RwSignal::new(false);
    let failure = RwSignal::new(None::<String>);
    let token = StoredValue::new(token);
    let join = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        failure.set(None);
        spawn_local_scoped_with_cancellation(async move {
            let accept = AcceptInvitation::default();
            match api::invitations::accept(&token.get_value(), &accept).await {
                Ok(me) => on_joined.run(me),
                Err(error) => {
                    failure.set(Some(join_failure(&error)));
                    pending.set(false);
                }
            }
        });
    };
    let label = format!("Join {}", preview.team_name);
    view! { class=class,
        <div class="join-as">
            <p class="account">"You're signed in as " {preview.email.clone()} "."</p>
            {move || failure.get().map(|why| view! { <FormFailure message=why /> })}
            <button
                type="button"
                class="button button-primary join"
                disabled=pending
                aria-busy=move || pending.get().then_some("true")
                on:click=join
            >
                {move || if pending.get() { "Joining…".to_owned() } else { label.clone() }}
            </button>
        </div>
    }
}

/// What a refused join says: the server's reason (another team, another account…).
fn join_failure(error: &ApiError) -> String {
    match error.code() {
        Some(ErrorCode::InvitationInvalid) => {
            format!("{error} Ask a Team Admin of the team to send you a new invitation.")
        }
        _ => format!("You haven't joined. {}", explain(error)),
    }
}

/// Signed in as someone else: both addresses, and Switch account (back here after).
#[component]
fn OtherAccount(token: String, preview: InvitationPreview, me: Me) -> impl IntoView {
    let class = style! {
        .other {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            align-items: flex-start;
        }
        p {
            overflow-wrap: anywhere;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
        }
    };
    let here = Page::JoinTeam(&token).href();
    view! { class=class,
        <div class="other" data-testid="join-other-account">
            <p>
                "This invitation is for " <strong>{preview.email.clone()}</strong>
                ", but you're signed in as " <strong>{me.user.email.clone()}</strong> "."
            </p>
            <p>
                {format!(
                    "Switch to {} to join {}; you'll come back here.",
                    preview.email,
                    preview.team_name,
                )}
            </p>
            <div class="actions">
                <SwitchAccount next=here primary=true />
                <a class="button" href=Page::Workspaces(WorkspaceTab::All).href()>
                    "Not now"
                </a>
            </div>
        </div>
    }
}

/// Signed out, and the address has an account: sign in as it, then back here to join.
#[component]
fn SignInToJoin(token: String, preview: InvitationPreview) -> impl IntoView {
    let class = style! {
        .sign-in {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            align-items: flex-start;
        }
        p {
            overflow-wrap: anywhere;
        }
    };
    let here = Page::JoinTeam(&token).href();
    let signin = Page::SignIn { next: Some(&here) }.href();
    view! { class=class,
        <div class="sign-in">
            <p>
                {preview.email.clone()}
                " already has an account. Sign in with it, and you'll come back here to join."
            </p>
            <a class="button button-primary" href=signin>
                "Sign in to join"
            </a>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use partner_api::Plan;
    use partner_api::session::{MyTeam, UserRef};

    use super::*;

    fn nora() -> InvitationPreview {
        InvitationPreview {
            team_name: "Acme Payments".to_owned(),
            email: "nora@acme.test".to_owned(),
            team_role: TeamRole::Member,
            invited_by_name: Some("Alice Adams".to_owned()),
            expires_at: "2026-05-15T10:00:00Z".to_owned(),
            account_exists: false,
        }
    }

    fn signed_in(email: &str) -> Me {
        Me {
            user: UserRef {
                id: "u1".into(),
                name: "Someone".to_owned(),
                email: email.to_owned(),
            },
            team: Some(MyTeam {
                id: "t1".into(),
                name: "Acme Payments".to_owned(),
                plan: Plan::Professional,
            }),
            team_role: Some(TeamRole::Member),
            is_partner_manager: false,
        }
    }

    #[test]
    fn the_invitation_names_who_invited_to_which_team_and_role() {
        assert_eq!(
            invitation_line(&nora()),
            "Alice Adams invited you to join Acme Payments as a Member."
        );
        let admin = InvitationPreview {
            team_role: TeamRole::Admin,
            invited_by_name: None,
            ..nora()
        };
        assert_eq!(
            invitation_line(&admin),
            "You're invited to join Acme Payments as a Team Admin."
        );
    }

    #[test]
    fn the_invited_account_is_recognised_whatever_the_case() {
        assert!(is_invited(&signed_in("Nora@Acme.test"), &nora()));
        assert!(!is_invited(&signed_in("alice@acme.test"), &nora()));
    }
}
