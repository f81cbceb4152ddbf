use leptos::prelude::*;
use partner_api::workspaces::{MigrationState, Visibility, Workspace};
use stylers_macro::style;

use super::badge::{Badge, Tone};
use super::icon::IconName;

/// A badge's text, tone and icon.
type BadgeSpec = (&'static str, Tone, IconName);

/// The badges that describe a workspace, in display order: who it is for (only when
/// `sharing` is asked for: a partner's lists hold nothing but partner workspaces),
/// multi-partner mode, and where a legacy workspace stands in its migration.
pub fn status_badges(workspace: &Workspace, sharing: bool) -> Vec<BadgeSpec> {
    let mut badges = Vec::new();
    if sharing {
        badges.push(match workspace.visibility {
            Visibility::Partner => ("Partner", Tone::Accent, IconName::Users),
            Visibility::Internal => ("Internal", Tone::Neutral, IconName::Building),
        });
    }
    if workspace.multi_partner_mode {
        badges.push(("Multi-partner mode", Tone::Neutral, IconName::Shield));
    }
    if workspace.legacy {
        // Legacy until the migration has run, whether or not it has a date yet.
        badges.push(match workspace.migration_state {
            Some(MigrationState::Migrated) => ("Migrated", Tone::Success, IconName::Check),
            Some(MigrationState::Legacy | MigrationState::Scheduled) | None => {
                ("Legacy", Tone::Warning, IconName::Alert)
            }
        });
    }
    badges
}

/// The status badges of a workspace in a row that wraps.
#[component]
pub fn WorkspaceStatus(
    workspace: Workspace,
    /// Also say whether it is a partner or an internal workspace.
    #[prop(optional)]
    sharing: bool,
) -> impl IntoView {
    let class = style! {
        .workspace-status {
            display: inline-flex;
            flex-wrap: wrap;
            gap: var(--space-1);
            vertical-align: middle;
        }
    };
    let badges = status_badges(&workspace, sharing);
    (!badges.is_empty()).then(|| {
        view! { class=class,
            <span class="workspace-status">
                {badges
                    .into_iter()
                    .map(|(text, tone, icon)| view! { <Badge text=text tone=tone icon=icon /> })
                    .collect_view()}
            </span>
        }
    })
}

#[cfg(test)]
mod tests {
    use partner_api::YourRole;
    use partner_api::workspaces::{Publisher, WorkspacePermissions};

    use super::*;

    fn workspace() -> Workspace {
        Workspace {
            id: "w1".into(),
            name: "Payments API".to_owned(),
            summary: String::new(),
            publisher: Publisher {
                id: "t1".into(),
                name: "Acme Payments".to_owned(),
            },
            visibility: Visibility::Partner,
            multi_partner_mode: false,
            legacy: false,
            migration_state: None,
            sso_required: false,
            your_role: YourRole::Viewer,
            permissions: WorkspacePermissions::default(),
        }
    }

    fn texts(workspace: &Workspace, sharing: bool) -> Vec<&'static str> {
        status_badges(workspace, sharing)
            .into_iter()
            .map(|(text, ..)| text)
            .collect()
    }

    #[test]
    fn a_plain_partner_workspace_needs_no_badge_in_a_partners_list() {
        assert!(texts(&workspace(), false).is_empty());
        assert_eq!(texts(&workspace(), true), ["Partner"]);
        let internal = Workspace {
            visibility: Visibility::Internal,
            ..workspace()
        };
        assert_eq!(texts(&internal, true), ["Internal"]);
    }

    #[test]
    fn multi_partner_mode_and_the_migration_show() {
        let legacy = Workspace {
            multi_partner_mode: true,
            legacy: true,
            migration_state: Some(MigrationState::Legacy),
            ..workspace()
        };
        assert_eq!(
            texts(&legacy, true),
            ["Partner", "Multi-partner mode", "Legacy"]
        );
        let migrated = Workspace {
            legacy: true,
            migration_state: Some(MigrationState::Migrated),
            ..workspace()
        };
        assert_eq!(texts(&migrated, false), ["Migrated"]);
        let scheduled = Workspace {
            migration_state: Some(MigrationState::Scheduled),
            ..migrated
        };
        assert_eq!(texts(&scheduled, false), ["Legacy"]);
    }
}
