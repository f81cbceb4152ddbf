use leptos::prelude::*;
use stylers_macro::style;

/// Placeholder table rows in the table's shape while its data loads.
#[component]
pub fn SkeletonRows(rows: usize, columns: usize) -> impl IntoView {
    let class = style! {
        .skeleton-row td {
            height: 44px;
            padding: 0 12px;
        }
        .bar {
            display: block;
            height: 10px;
            border-radius: 5px;
            background: var(--color-border);
            opacity: 0.6;
            animation: pulse 1.2s ease-in-out infinite;
        }
        @keyframes pulse {
            50% {
                opacity: 0.25;
            }
        }
    };
    (0..rows)
        .map(|row| {
            view! { class=class,
                <tr class="skeleton-row" aria-hidden="true">
                    {(0..columns)
                        .map(|col| {
                            let width = 40 + ((row * 7 + col * 13) % 5) * 10;
                            view! { class=class,
                                <td>
                                    <span class="bar" style=format!("width: {width}%")></span>
                                </td>
                            }
                        })
                        .collect_view()}
                </tr>
            }
        })
        .collect_view()
}
