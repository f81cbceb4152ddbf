use leptos::prelude::*;
use partner_api::sso::SsoRequiredBy;
use partner_api::{Me, WorkspaceTab};
use stylers_macro::style;

use super::badge::Tone;
use super::icon::IconName;
use super::no_access::account_line;
use super::notice_page::NoticePage;
use super::switch_account::SwitchAccount;
use crate::api;
use crate::routes::Page;

/// What the page says when the server didn't say who requires SSO.
pub const SSO_REQUIRED_FALLBACK: &str =
    "The team that owns this workspace requires your team's people to sign in with SSO.";

/// The sentence that explains the requirement: "Hooli requires Soylent people to sign in
/// with SSO."
pub fn sso_required_sentence(by: Option<&SsoRequiredBy>) -> String {
    by.map_or_else(|| SSO_REQUIRED_FALLBACK.to_owned(), SsoRequiredBy::sentence)
}

/// The page for a partner on a password session whose publisher requires their team to sign
/// in with SSO: who requires it, and a button that starts an SSO sign-in coming back here.
#[component]
pub fn SsoRequired(
    #[prop(into)] workspace_id: String,
    me: Me,
    /// Who requires SSO of whom (`MyAccess::sso_required`), when the server said.
    by: Option<SsoRequiredBy>,
) -> impl IntoView {
    let class = style! {
        .who {
            font-size: var(--text-md);
        }
        .why {
            color: var(--color-text-secondary);
            max-width: 62ch;
        }
        .actions {
            display: flex;
            flex-wrap: wrap;
            gap: var(--space-2);
            align-items: center;
        }
    };
    let here = Page::Workspace(&workspace_id).href();
    // A browser navigation: the identity provider signs the person in and the server sends
    // them back to this page with an SSO session.
    let start = api::sso::start_url(&me.user.email, Some(&here));
    let sentence = sso_required_sentence(by.as_ref());
    view! { class=class,
        <NoticePage icon=IconName::Shield tone=Tone::Warning title="Sign in with SSO to open this workspace">
            <p class="who" data-testid="sso-required-sentence">{sentence}</p>
            <p class="why">
                "You're signed in as " <strong>{account_line(&me)}</strong>
                " with a password. Sign in through your company's identity provider and you'll \
                 come straight back here."
            </p>
            <div class="actions">
                <a class="button button-primary" href=start rel="external">
                    "Sign in with SSO"
                </a>
                <SwitchAccount next=here />
                <a class="button" href=Page::Workspaces(WorkspaceTab::SharedPartner).href()>
                    "Go to External Workspaces"
                </a>
            </div>
        </NoticePage>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_names_both_teams_when_the_server_said() {
        let by = SsoRequiredBy {
            publisher: "Hooli".to_owned(),
            partner_team: "Soylent".to_owned(),
        };
        assert_eq!(
            sso_required_sentence(Some(&by)),
            "Hooli requires Soylent people to sign in with SSO."
        );
        assert_eq!(sso_required_sentence(None), SSO_REQUIRED_FALLBACK);
    }
}
