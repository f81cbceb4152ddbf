//! Team Settings > General: the team name, plan, seats and the team's SSO setting.

use leptos::prelude::*;
use partner_api::ErrorCode;
use partner_api::events::Event;
use partner_api::team::TeamSettings;
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::error_panel::ErrorPanel;
use crate::components::no_team::NoTeam;
use crate::components::page_head::PageHead;
use crate::components::require_session::RequireSession;
use crate::components::settings_skeleton::SettingsSkeleton;
use crate::components::team_access_settings::TeamAccessSettings;
use crate::components::team_name_form::TeamNameForm;
use crate::components::team_plan::TeamPlan;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::components::team_sso_setting::TeamSsoSetting;
use crate::session::use_session;

/// Team Settings > General: the team name, plan, seats and the team's SSO setting.
#[component]
pub fn TeamGeneral() -> impl IntoView {
    // Asked for now, beside the session check, not after it; someone signed out gets a 401
    // that is never shown.
    let team = LocalResource::new(api::team::get);
    view! {
        <RequireSession>
            <TeamGeneralPage team=team />
        </RequireSession>
    }
}

/// The page for someone signed in.
#[component]
fn TeamGeneralPage(team: LocalResource<Result<TeamSettings, ApiError>>) -> impl IntoView {
    let session = use_session();
    let in_team = Memo::new(move |_| session.me().map(|me| me.team.is_some()));

    let content = move || {
        Suspend::new(async move {
            match team.await {
                Ok(settings) => view! { <TeamGeneralSections settings=settings /> }.into_any(),
                // Someone in no team (the session may not know yet).
                Err(error) if error.code() == Some(ErrorCode::Forbidden) => {
                    view! { <NoTeam /> }.into_any()
                }
                Err(error) => view! {
                    <ErrorPanel error=error on_retry=move |()| team.refetch() />
                }
                .into_any(),
            }
        })
    };
    let fallback = move || view! { <SettingsSkeleton label="Loading your team's settings…" /> };

    view! {
        <TeamSettingsFrame selected=TeamSection::General>
            <PageHead
                title="General"
                lede="Your team's name and plan, and how your people sign in — which other \
                     companies see when they share workspaces with you."
            />
            {move || match in_team.get() {
                Some(false) => view! { <NoTeam /> }.into_any(),
                Some(true) => view! { <Transition fallback=fallback>{content}</Transition> }
                    .into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

/// The loaded settings, kept in one signal that every change updates in place.
#[component]
fn TeamGeneralSections(settings: TeamSettings) -> impl IntoView {
    let class = style! {
        .section {
            display: grid;
            grid-template-columns: 240px minmax(0, 1fr);
            gap: var(--space-4) var(--space-6);
            padding: var(--space-5) 0 var(--space-6);
            border-top: 1px solid var(--color-border);
        }
        .section-head {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .section-body {
            min-width: 0;
        }
        .lede {
            color: var(--color-text-secondary);
        }
        @media (max-width: 900px) {
            .section {
                grid-template-columns: minmax(0, 1fr);
            }
        }
    };
    let team = RwSignal::new(settings);
    // Live updates: the team changed elsewhere; read in place, so the forms keep what is typed.
    use_live_events().keep_fresh(
        |event| matches!(event, Event::TeamChanged),
        team,
        api::team::get,
    );
    view! { class=class,
        <section class="section" aria-labelledby="team-name-title">
            <div class="section-head">
                <h2 id="team-name-title">"Name"</h2>
                <p class="lede">"How your team appears to everyone, other companies included."</p>
            </div>
            <div class="section-body">
                <TeamNameForm team=team />
            </div>
        </section>
        <section class="section" aria-labelledby="team-plan-title">
            <div class="section-head">
                <h2 id="team-plan-title">"Plan and seats"</h2>
                <p class="lede">"Your plan decides how many partners can be Editors."</p>
            </div>
            <div class="section-body">
                <TeamPlan team=team />
            </div>
        </section>
        <section class="section" aria-labelledby="team-sso-title">
            <div class="section-head">
                <h2 id="team-sso-title">"Single sign-on"</h2>
                <p class="lede">"How your people sign in, here and in other companies' workspaces."</p>
            </div>
            <div class="section-body">
                <TeamSsoSetting team=team />
            </div>
        </section>
        <section class="section" aria-labelledby="team-access-title">
            <div class="section-head">
                <h2 id="team-access-title">"Partner access and audit log"</h2>
                <p class="lede">
                    "How long access you give other companies' people lasts, and how long the \
                     audit log remembers changes."
                </p>
            </div>
            <div class="section-body">
                <TeamAccessSettings team=team />
            </div>
        </section>
    }
}
