use leptos::prelude::*;

/// The handful of inline SVG icons the product uses (no icon font, no CDN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IconName {
    Shield,
    ShieldOff,
    Users,
    Building,
    External,
    Check,
    X,
    Alert,
}

impl IconName {
    fn paths(self) -> &'static str {
        match self {
            Self::Shield => {
                "M8 1.5 2.5 3.5v4c0 3.5 2.4 6 5.5 7 3.1-1 5.5-3.5 5.5-7v-4Zm-2.2 7.4 1.5 1.5 3.2-3.6"
            }
            Self::ShieldOff => {
                "M8 1.5 2.5 3.5v4c0 3.5 2.4 6 5.5 7 3.1-1 5.5-3.5 5.5-7v-4ZM6 6l4 4m0-4-4 4"
            }
            Self::Users => {
                "M6 7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Zm-4.5 6c0-2.5 2-4 4.5-4s4.5 1.5 4.5 4M11 2.7a2.5 2.5 0 0 1 0 4.6m1.5 2.4c1.3.6 2 1.8 2 3.8"
            }
            Self::Building => {
                "M3 14.5v-12h7v12m0-8h3v8M1.5 14.5h13M5 5h1m1 0h1M5 8h1m1 0h1M5 11h1m1 0h1"
            }
            Self::External => "M9 2.5h4.5V7m0-4.5L7 9m-1-5.5H2.5v10h10V10",
            Self::Check => "M3 8.5 6.5 12 13 4.5",
            Self::X => "M4 4l8 8m0-8-8 8",
            Self::Alert => "M8 1.5 1 14h14Zm0 4.5v4m0 2v.5",
        }
    }
}

/// An icon (16 px unless `size` says otherwise) in the current text colour; decorative:
/// the text beside it says it all.
#[component]
pub fn Icon(name: IconName, #[prop(default = 16)] size: u32) -> impl IntoView {
    view! {
        <svg
            width=size
            height=size
            viewBox="0 0 16 16"
            fill="none"
            stroke="currentColor"
            stroke-width="1.5"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
            focusable="false"
        >
            <path d=name.paths() />
        </svg>
    }
}
