use leptos::prelude::*;
use partner_api::partnerships::SsoCoverage;
use stylers_macro::style;

use super::error_panel::explain;
use super::pagination::thousands;
use crate::api::ApiError;

/// Width of a bar showing `part` of `whole`, in percent.
fn share(part: u32, whole: u32) -> u32 {
    (part.min(whole) * 100).checked_div(whole).unwrap_or(0)
}

/// SSO coverage at the top of Partnerships: partner teams that enforce SSO, and the share
/// of partners whose last sign-in used it.
#[component]
pub fn SsoCoverageCard(
    /// `GET /api/partnerships/sso-coverage`, created by the page.
    coverage: LocalResource<Result<SsoCoverage, ApiError>>,
) -> impl IntoView {
    let class = style! {
        .coverage {
            display: grid;
            grid-template-columns: 1fr 1fr;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .stat {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-4);
        }
        .stat + .stat {
            border-left: 1px solid var(--color-border);
        }
        .bar {
            height: 6px;
            border-radius: 3px;
            background: var(--color-surface);
            border: 1px solid var(--color-border);
            overflow: hidden;
            margin-top: var(--space-1);
        }
        .fill {
            height: 100%;
            background: var(--color-success);
        }
        .placeholder {
            display: block;
            height: 12px;
            border-radius: 6px;
            background: var(--color-border);
            opacity: 0.5;
        }
        .failed {
            grid-column: 1 / -1;
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-3);
            padding: var(--space-4);
            color: var(--color-text-secondary);
        }
        @media (max-width: 640px) {
            .coverage {
                grid-template-columns: 1fr;
            }
            .stat + .stat {
                border-left: none;
                border-top: 1px solid var(--color-border);
            }
        }
    };

    let loaded = move |c: SsoCoverage| {
        let teams = share(c.partner_teams_sso_enforced, c.partner_teams);
        let partners = c.partner_share_percent();
        view! { class=class,
            <div class="stat">
                <span class="stat-label" id="sso-teams-label">"Partner teams with SSO enforced"</span>
                <span class="stat-figure" aria-describedby="sso-teams-label">
                    {thousands(c.partner_teams_sso_enforced.into())}
                    <span class="stat-of">{format!(" of {}", thousands(c.partner_teams.into()))}</span>
                </span>
                <div class="bar" aria-hidden="true">
                    <div class="fill" style=format!("width: {teams}%")></div>
                </div>
                <span class="stat-note">"Each partner team decides this for its people."</span>
            </div>
            <div class="stat">
                <span class="stat-label" id="sso-partners-label">
                    "Partners whose last sign-in used SSO"
                </span>
                <span class="stat-figure" aria-describedby="sso-partners-label">
                    {format!("{partners}%")}
                    <span class="stat-of">
                        {format!(
                            " {} of {}",
                            thousands(c.partners_last_sign_in_sso.into()),
                            thousands(c.partners.into()),
                        )}
                    </span>
                </span>
                <div class="bar" aria-hidden="true">
                    <div class="fill" style=format!("width: {partners}%")></div>
                </div>
                <span class="stat-note">"From each partner's latest sign-in."</span>
            </div>
        }
        .into_any()
    };
    let failed = move |error: ApiError| {
        view! { class=class,
            <div class="failed" role="alert">
                <span>{format!("SSO coverage isn't available: {}", explain(&error))}</span>
                <button type="button" class="button" on:click=move |_| coverage.refetch()>
                    "Retry"
                </button>
            </div>
        }
        .into_any()
    };
    let placeholder = move || {
        view! { class=class,
            <div class="stat" aria-hidden="true">
                <span class="placeholder" style="width: 60%"></span>
                <span class="placeholder" style="width: 30%; height: 24px"></span>
            </div>
            <div class="stat" aria-hidden="true">
                <span class="placeholder" style="width: 70%"></span>
                <span class="placeholder" style="width: 25%; height: 24px"></span>
            </div>
        }
    };

    view! { class=class,
        <section class="coverage" aria-label="SSO coverage">
            <Transition fallback=placeholder>
                {move || Suspend::new(async move {
                    match coverage.await {
                        Ok(c) => loaded(c),
                        Err(error) => failed(error),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn bars_never_overflow_or_divide_by_zero() {
        assert_eq!(share(1, 3), 33);
        assert_eq!(share(0, 0), 0);
        assert_eq!(share(5, 3), 100);
    }
}
