use leptos::prelude::*;
use partner_api::partnerships::Seats;
use stylers_macro::style;

use super::error_panel::explain;
use crate::api::ApiError;

/// Partner Editor seats: used and included by the plan, and that Partner Viewers are free.
#[component]
pub fn SeatsCard(
    /// `GET /api/seats`, created by the page.
    seats: LocalResource<Result<Seats, ApiError>>,
) -> impl IntoView {
    let class = style! {
        .seats {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            padding: var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
        }
        .bar {
            display: flex;
            gap: 3px;
            margin-top: var(--space-1);
        }
        .seat {
            flex: 1;
            height: 6px;
            border-radius: 3px;
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        .seat.used {
            background: var(--color-accent);
            border-color: var(--color-accent);
        }
        .full {
            font-size: var(--text-xs);
            color: var(--color-warning);
            font-weight: 500;
        }
        .placeholder {
            display: block;
            height: 12px;
            border-radius: 6px;
            background: var(--color-border);
            opacity: 0.5;
        }
    };

    let loaded = move |seats: Seats| {
        let used = seats.editor_seats_used;
        let included = seats.editor_seats_included;
        // One segment per seat while that stays readable; otherwise a single bar.
        let segments = if included > 0 && included <= 20 {
            (0..included)
                .map(|i| {
                    view! { class=class, <span class="seat" class:used=i < used></span> }
                })
                .collect_view()
                .into_any()
        } else {
            let width = (used.min(included) * 100)
                .checked_div(included)
                .unwrap_or(0);
            view! { class=class,
                <span class="seat" style=format!("background: linear-gradient(90deg, var(--color-accent) {width}%, transparent {width}%)")></span>
            }
            .into_any()
        };
        let status = if included == 0 {
            Some(format!(
                "Your {} plan includes no Partner Editor seats.",
                seats.plan.label()
            ))
        } else if !seats.has_free_editor_seat() {
            Some("All seats are in use: a new Partner Editor needs a free seat.".to_owned())
        } else {
            None
        };
        view! { class=class,
            <span class="stat-figure">
                {used}
                <span class="stat-of">{format!(" of {included} used")}</span>
            </span>
            <div class="bar" aria-hidden="true">{segments}</div>
            {status.map(|status| view! { class=class, <span class="full">{status}</span> })}
            <span class="stat-note">
                {format!("Partner Viewers are free · {} plan", seats.plan.label())}
            </span>
        }
        .into_any()
    };
    let failed = move |error: ApiError| {
        view! { class=class,
            <span class="stat-note" role="alert">
                {format!("Seats aren't available: {}", explain(&error))}
            </span>
            <button type="button" class="button" on:click=move |_| seats.refetch()>
                "Retry"
            </button>
        }
        .into_any()
    };

    view! { class=class,
        <section class="seats" aria-labelledby="seats-title">
            <span class="stat-label" id="seats-title">"Partner Editor seats"</span>
            <Transition fallback=move || {
                view! { class=class,
                    <span class="placeholder" style="width: 30%; height: 24px" aria-hidden="true"></span>
                    <span class="placeholder" style="width: 80%" aria-hidden="true"></span>
                }
            }>
                {move || Suspend::new(async move {
                    match seats.await {
                        Ok(s) => loaded(s),
                        Err(error) => failed(error),
                    }
                })}
            </Transition>
        </section>
    }
}
