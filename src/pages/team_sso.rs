//! Team Settings > Single sign-on: the team's OpenID Connect provider (issuer, client ID,
//! write-only secret), the redirect URI to register, the verified domains whose addresses
//! sign in through it, and whether the team requires it. Team Admins only.

use leptos::prelude::*;
use partner_api::events::Event;
use partner_api::sso::SsoSettings;
use partner_api::{ErrorCode, TeamRole};
use stylers_macro::style;

use crate::api::events::use_live_events;
use crate::api::{self, ApiError};
use crate::components::badge::{Badge, Tone};
use crate::components::copy_text::CopyText;
use crate::components::error_panel::ErrorPanel;
use crate::components::icon::IconName;
use crate::components::no_permission::NoPermission;
use crate::components::page_head::PageHead;
use crate::components::relative_time::RelativeTime;
use crate::components::remove_sso_provider::RemoveSsoProvider;
use crate::components::require_session::RequireSession;
use crate::components::settings_skeleton::SettingsSkeleton;
use crate::components::sso_provider_form::SsoProviderForm;
use crate::components::team_settings_nav::{TeamSection, TeamSettingsFrame};
use crate::components::verified_domains::VerifiedDomains;
use crate::routes::Page;
use crate::session::use_session;

/// What people who may not open the page are told.
pub const NO_PERMISSION: &str = "Only Team Admins can set up single sign-on";

/// What "Require SSO for our people" means now, given whether a provider is set up.
pub fn requirement_state(required: bool, has_provider: bool) -> &'static str {
    match (required, has_provider) {
        (true, true) => "Your people sign in only through your identity provider.",
        (true, false) => "No provider is set up yet: it takes effect once you set one up here.",
        (false, _) => "Your people can also sign in with a password.",
    }
}

/// Team Settings > Single sign-on.
#[component]
pub fn TeamSso() -> impl IntoView {
    // Asked for now, beside the session check; someone signed out or without permission
    // gets a 401/403 that is never shown.
    let settings = LocalResource::new(api::sso::settings);
    view! {
        <RequireSession>
            <TeamSsoPage settings=settings />
        </RequireSession>
    }
}

/// The page for someone signed in.
#[component]
fn TeamSsoPage(settings: LocalResource<Result<SsoSettings, ApiError>>) -> impl IntoView {
    let session = use_session();
    let allowed = Memo::new(move |_| {
        session
            .me()
            .map(|me| me.team.is_some() && me.team_role == Some(TeamRole::Admin))
    });
    let content = move || {
        Suspend::new(async move {
            match settings.await {
                Ok(loaded) => view! { <TeamSsoSections settings=loaded /> }.into_any(),
                Err(error) if error.code() == Some(ErrorCode::Forbidden) => {
                    no_permission().into_any()
                }
                Err(error) => view! {
                    <ErrorPanel error=error on_retry=move |()| settings.refetch() />
                }
                .into_any(),
            }
        })
    };
    let fallback =
        move || view! { <SettingsSkeleton label="Loading your single sign-on settings…" /> };
    view! {
        <TeamSettingsFrame selected=TeamSection::Sso>
            <PageHead
                title="Single sign-on"
                lede="Let your people sign in through your company's identity provider (OpenID \
                     Connect), here and in other companies' workspaces."
            />
            {move || match allowed.get() {
                Some(true) => view! { <Transition fallback=fallback>{content}</Transition> }
                    .into_any(),
                Some(false) => no_permission().into_any(),
                None => ().into_any(),
            }}
        </TeamSettingsFrame>
    }
}

fn no_permission() -> impl IntoView {
    let me = use_session().me();
    view! {
        <NoPermission
            title=NO_PERMISSION
            advice="Single sign-on decides how everyone in your team signs in, so only Team \
                    Admins can set it up or change it. Ask a Team Admin of your team if \
                    something about it needs to change."
            me=me
        />
    }
}

/// The loaded settings, in one signal every change updates in place.
#[component]
fn TeamSsoSections(settings: SsoSettings) -> impl IntoView {
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
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .lede, .updated {
            color: var(--color-text-secondary);
            margin: 0;
        }
        .updated {
            font-size: var(--text-xs);
        }
        .state {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-2);
            margin: 0;
        }
        @media (max-width: 900px) {
            .section {
                grid-template-columns: minmax(0, 1fr);
            }
        }
    };
    let settings = RwSignal::new(settings);
    // Live updates: the team changed elsewhere; read in place, so the forms keep what is typed.
    use_live_events().keep_fresh(
        |event| matches!(event, Event::TeamChanged),
        settings,
        api::sso::settings,
    );
    let has_provider = Memo::new(move |_| settings.with(|s| s.provider.is_some()));
    let updated = move || {
        settings.with(|s| {
            s.provider.as_ref().map(|p| {
                let by = p
                    .updated_by
                    .as_ref()
                    .map(|user| format!(" by {}", user.name))
                    .unwrap_or_default();
                view! { class=class,
                    <p class="updated">
                        "Last changed " <RelativeTime at=Some(p.updated_at.clone()) never="" />
                        {by}
                    </p>
                }
            })
        })
    };
    let domains = move || {
        settings.with(|s| {
            view! {
                <VerifiedDomains
                    domains=s.domains.clone()
                    labelled_by="sso-domains-title"
                    empty="No verified domains yet: SSO finds your people by their address's \
                           domain, so it needs one."
                />
            }
        })
    };
    let requirement = move || {
        let (required, has) = settings.with(|s| (s.required, s.provider.is_some()));
        let badge = if required {
            view! { <Badge text="Required" tone=Tone::Success icon=IconName::Shield /> }.into_any()
        } else {
            view! { <Badge text="Not required" tone=Tone::Neutral icon=IconName::ShieldOff /> }
                .into_any()
        };
        view! { class=class,
            <p class="state" data-testid="sso-requirement-state">
                {badge}
                <span>{requirement_state(required, has)}</span>
            </p>
        }
    };
    view! { class=class,
        <section class="section" aria-labelledby="sso-provider-title">
            <div class="section-head">
                <h2 id="sso-provider-title">"Identity provider"</h2>
                <p class="lede">
                    "Register Partner Workspaces as an app at your provider (Okta, Entra ID, \
                     Google Workspace, Keycloak…), then enter what it gives you."
                </p>
            </div>
            <div class="section-body">
                <CopyText
                    id="sso-redirect-uri"
                    label="Redirect URI to register at your provider"
                    value=Signal::derive(move || settings.with(|s| s.redirect_uri.clone()))
                />
                <SsoProviderForm settings=settings />
                {updated}
            </div>
        </section>
        <section class="section" aria-labelledby="sso-domains-title">
            <div class="section-head">
                <h2 id="sso-domains-title">"Verified domains"</h2>
                <p class="lede">"Addresses at these domains sign in through your provider."</p>
            </div>
            <div class="section-body">{domains}</div>
        </section>
        <section class="section" aria-labelledby="sso-required-title">
            <div class="section-head">
                <h2 id="sso-required-title">"Require SSO for our people"</h2>
                <p class="lede">"Whether your people may still sign in with a password."</p>
            </div>
            <div class="section-body">
                {requirement}
                <p>
                    <a href=Page::TeamGeneral.href()>"Change it in General"</a>
                </p>
            </div>
        </section>
        <Show when=move || has_provider.get()>
            <section class=format!("{class} section") aria-labelledby="sso-remove-title">
                <div class=format!("{class} section-head")>
                    <h2 id="sso-remove-title">"Remove provider"</h2>
                    <p class=format!("{class} lede")>
                        "Your people go back to signing in with passwords."
                    </p>
                </div>
                <div class=format!("{class} section-body")>
                    <RemoveSsoProvider settings=settings />
                </div>
            </section>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_requirement_says_whether_it_takes_effect() {
        assert!(requirement_state(true, true).contains("only through your identity provider"));
        assert!(requirement_state(true, false).contains("No provider is set up"));
        assert!(requirement_state(false, true).contains("also sign in with a password"));
    }
}
