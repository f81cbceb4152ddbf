use leptos::prelude::*;
use partner_api::audit::{AuditAction, AuditFilterChoices};
use stylers_macro::style;

use crate::params::audit_log::AuditLogParams;

/// An option for an id in the URL that the choices don't list (an old link, someone who
/// left), so the select never claims to show everything.
fn unlisted(id: Option<String>, listed: bool, text: &'static str) -> Option<impl IntoView> {
    let id = id.filter(|_| !listed)?;
    Some(view! { <option value=id selected>{text}</option> })
}

/// Who, where, which other team, what and which days, above the audit log. Every control
/// shows what the URL says (back/forward and Clear update them) and each change is a new
/// URL from the newest entry.
#[component]
pub fn AuditLogFilters(
    /// The view in the URL.
    #[prop(into)]
    params: Signal<AuditLogParams>,
    /// The people, workspaces and other teams to choose from (`None` until they load).
    #[prop(into)]
    choices: Signal<Option<AuditFilterChoices>>,
    /// A filter changed: the view to go to.
    #[prop(into)]
    on_change: Callback<AuditLogParams>,
) -> impl IntoView {
    let class = style! {
        .filters {
            display: grid;
            grid-template-columns: repeat(auto-fill, minmax(180px, 1fr));
            align-items: end;
            gap: var(--space-3);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
        }
        label {
            color: var(--color-text-secondary);
            font-weight: 500;
            font-size: var(--text-xs);
        }
        select, input {
            height: 36px;
            width: 100%;
            min-width: 0;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            color: var(--color-text);
        }
        .clear {
            justify-self: start;
            height: 36px;
        }
        @media (max-width: 640px) {
            .filters {
                grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
            }
            .wide {
                grid-column: 1 / -1;
            }
        }
    };

    let change = move |next: fn(&AuditLogParams, String) -> AuditLogParams| {
        move |ev| on_change.run(next(&params.get_untracked(), event_target_value(&ev)))
    };
    let listed = move |pick: fn(&AuditFilterChoices) -> Vec<(String, String)>| {
        move || choices.with(|c| c.as_ref().map(pick).unwrap_or_default())
    };
    let options = move |list: Vec<(String, String)>, chosen: Option<String>| {
        list.into_iter()
            .map(|(id, name)| {
                let selected = chosen.as_deref() == Some(id.as_str());
                view! { <option value=id selected=selected>{name}</option> }
            })
            .collect_view()
    };
    let people = listed(|c| {
        c.people
            .iter()
            .map(|p| (p.id.to_string(), p.name.clone()))
            .collect()
    });
    let workspaces = listed(|c| {
        c.workspaces
            .iter()
            .map(|w| (w.id.to_string(), w.name.clone()))
            .collect()
    });
    let teams = listed(|c| {
        c.partner_teams
            .iter()
            .map(|t| (t.id.to_string(), t.name.clone()))
            .collect()
    });
    // Each select is drawn again when its choices or the URL change: `selected` then says
    // what the URL says.
    let select = move |list: Vec<(String, String)>,
                       chosen: Option<String>,
                       any: &'static str,
                       gone: &'static str| {
        let is_listed = chosen
            .as_ref()
            .is_none_or(|c| list.iter().any(|(id, _)| id == c));
        view! {
            <option value="" selected=chosen.is_none()>{any}</option>
            {unlisted(chosen.clone(), is_listed, gone)}
            {options(list, chosen)}
        }
    };
    let from = move || params.with(|p| p.from.clone().unwrap_or_default());
    let to = move || params.with(|p| p.to.clone().unwrap_or_default());

    view! { class=class,
        <form
            class="filters"
            aria-label="Filter the audit log"
            on:submit=move |ev| ev.prevent_default()
        >
            <div class="field">
                <label for="audit-actor">"Person"</label>
                <select
                    id="audit-actor"
                    on:change=change(|p, v| p.with_actor((!v.is_empty()).then(|| v.into())))
                >
                    {move || {
                        select(
                            people(),
                            params.with(|p| p.actor.as_ref().map(ToString::to_string)),
                            "Anyone",
                            "Someone no longer in the team",
                        )
                    }}
                </select>
            </div>
            <div class="field">
                <label for="audit-workspace">"Workspace"</label>
                <select
                    id="audit-workspace"
                    on:change=change(|p, v| p.with_workspace((!v.is_empty()).then(|| v.into())))
                >
                    {move || {
                        select(
                            workspaces(),
                            params.with(|p| p.workspace.as_ref().map(ToString::to_string)),
                            "Any workspace",
                            "A workspace no longer listed",
                        )
                    }}
                </select>
            </div>
            <div class="field">
                <label for="audit-team">"Other team"</label>
                <select
                    id="audit-team"
                    on:change=change(|p, v| p.with_partner_team((!v.is_empty()).then(|| v.into())))
                >
                    {move || {
                        select(
                            teams(),
                            params.with(|p| p.partner_team.as_ref().map(ToString::to_string)),
                            "Any team",
                            "A team no longer listed",
                        )
                    }}
                </select>
            </div>
            <div class="field">
                <label for="audit-action">"Action"</label>
                <select
                    id="audit-action"
                    on:change=change(|p, v| p.with_action(v.parse().ok()))
                >
                    <option value="" prop:selected=move || params.with(|p| p.action.is_none())>
                        "Any action"
                    </option>
                    {AuditAction::ALL
                        .iter()
                        .map(|action| {
                            let action = *action;
                            view! {
                                <option
                                    value=action.as_str()
                                    prop:selected=move || params.with(|p| p.action == Some(action))
                                >
                                    {action.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="audit-from">"From"</label>
                <input
                    id="audit-from"
                    type="date"
                    prop:value=from
                    max=to
                    on:change=change(|p, v| {
                        let to = p.to.clone().unwrap_or_default();
                        p.with_days(&v, &to)
                    })
                />
            </div>
            <div class="field">
                <label for="audit-to">"To"</label>
                <input
                    id="audit-to"
                    type="date"
                    prop:value=to
                    min=from
                    on:change=change(|p, v| {
                        let from = p.from.clone().unwrap_or_default();
                        p.with_days(&from, &v)
                    })
                />
            </div>
            {move || {
                params
                    .with(AuditLogParams::is_filtered)
                    .then(|| {
                        view! { class=class,
                            <button
                                type="button"
                                class="button clear wide"
                                on:click=move |_| on_change.run(params.get_untracked().cleared())
                            >
                                "Clear filters"
                            </button>
                        }
                    })
            }}
        </form>
    }
}
