use leptos::prelude::*;
use partner_api::partnerships::Seats;
use stylers_macro::style;

/// "Partner Editor seats: 2 of 3 used".
pub fn seats_line(seats: &Seats) -> String {
    format!(
        "Partner Editor seats: {} of {} used",
        seats.editor_seats_used, seats.editor_seats_included
    )
}

/// The publisher's Partner Editor seats, used and included by the plan, with a meter.
#[component]
pub fn EditorSeats(seats: Seats) -> impl IntoView {
    let class = style! {
        .seats {
            display: flex;
            align-items: center;
            flex-wrap: wrap;
            gap: var(--space-2) var(--space-3);
            font-variant-numeric: tabular-nums;
        }
        .count {
            font-weight: 500;
        }
        meter {
            width: 96px;
            height: 8px;
        }
        .detail {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .full {
            color: var(--color-warning);
            font-size: var(--text-xs);
            font-weight: 500;
        }
    };
    let line = seats_line(&seats);
    let full = !seats.has_free_editor_seat();
    let detail = format!("{} plan · Viewers are free", seats.plan.label());
    view! { class=class,
        <div class="seats" data-testid="editor-seats">
            <span class="count">{line}</span>
            <meter
                min="0"
                max=seats.editor_seats_included.max(1)
                value=seats.editor_seats_used
                aria-hidden="true"
            ></meter>
            {full.then(|| view! { class=class, <span class="full">"All seats in use"</span> })}
            <span class="detail">{detail}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use partner_api::Plan;

    #[test]
    fn the_line_says_used_of_included() {
        let seats = Seats {
            plan: Plan::Professional,
            editor_seats_included: 3,
            editor_seats_used: 2,
        };
        assert_eq!(seats_line(&seats), "Partner Editor seats: 2 of 3 used");
    }
}
