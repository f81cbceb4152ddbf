use leptos::prelude::*;
use stylers_macro::style;

use super::icon::{Icon, IconName};

/// An on/off setting: `role="switch"` with `aria-checked`, its label to the left and a
/// one-line description below. Read-only when `disabled_reason` says why; while `pending`
/// it shows "Saving…" and ignores clicks.
#[component]
pub fn Switch(
    /// The id of the switch button; the label, description and reason derive theirs from it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    #[prop(into)] description: Signal<String>,
    #[prop(into)] checked: Signal<bool>,
    #[prop(optional, into)] pending: Signal<bool>,
    /// Why this person can't change it; `Some` makes the switch read-only and shows the reason.
    #[prop(optional, into)]
    disabled_reason: Signal<Option<String>>,
    /// Called with the value the person asks for.
    #[prop(into)]
    on_change: Callback<bool>,
) -> impl IntoView {
    let class = style! {
        .switch-field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        .switch-row {
            display: flex;
            align-items: center;
            gap: var(--space-3);
            flex-wrap: wrap;
        }
        .switch-label {
            font-weight: 600;
            cursor: pointer;
        }
        .switch {
            display: inline-flex;
            align-items: center;
            gap: var(--space-2);
            margin-left: auto;
            padding: 2px;
            border: none;
            border-radius: 14px;
            background: none;
            cursor: pointer;
        }
        .track {
            position: relative;
            flex: none;
            width: 40px;
            height: 24px;
            border-radius: 12px;
            border: 1px solid var(--color-text-secondary);
            background: var(--color-border);
            transition: background 120ms ease;
        }
        .thumb {
            position: absolute;
            top: 3px;
            left: 3px;
            width: 16px;
            height: 16px;
            border-radius: 50%;
            background: var(--color-bg);
            box-shadow: 0 1px 2px rgba(31, 35, 40, 0.35);
            transition: transform 120ms ease;
        }
        .switch[aria-checked="true"] .track {
            background: var(--color-accent);
            border-color: var(--color-accent);
        }
        .switch[aria-checked="true"] .thumb {
            transform: translateX(16px);
        }
        .switch[aria-disabled="true"] {
            cursor: not-allowed;
        }
        .switch[aria-disabled="true"] .track {
            opacity: 0.55;
        }
        .switch[aria-busy="true"] .track {
            opacity: 0.8;
        }
        .state {
            min-width: 24px;
            font-weight: 500;
            color: var(--color-text-secondary);
        }
        .pending {
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
        .description {
            color: var(--color-text-secondary);
            max-width: 62ch;
        }
        .why {
            display: flex;
            align-items: center;
            gap: var(--space-1);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
    };
    let label_id = format!("{id}-label");
    let description_id = format!("{id}-description");
    let why_id = format!("{id}-why");
    let read_only = move || disabled_reason.read().is_some();
    let locked = move || read_only() || pending.get();
    let described_by = {
        let description_id = description_id.clone();
        let why_id = why_id.clone();
        move || {
            if read_only() {
                format!("{description_id} {why_id}")
            } else {
                description_id.clone()
            }
        }
    };
    let toggle = move |_| {
        if !locked() {
            on_change.run(!checked.get_untracked());
        }
    };

    view! { class=class,
        <div class="switch-field">
            <div class="switch-row">
                <label class="switch-label" id=label_id.clone() for=id.clone()>
                    {label}
                </label>
                {move || {
                    pending.get().then(|| view! { class=class, <span class="pending">"Saving…"</span> })
                }}
                <button
                    type="button"
                    class="switch"
                    id=id
                    role="switch"
                    aria-checked=move || checked.get().to_string()
                    aria-labelledby=label_id
                    aria-describedby=described_by
                    aria-disabled=move || locked().then_some("true")
                    aria-busy=move || pending.get().then_some("true")
                    on:click=toggle
                >
                    <span class="track" aria-hidden="true">
                        <span class="thumb"></span>
                    </span>
                    <span class="state" aria-hidden="true">
                        {move || if checked.get() { "On" } else { "Off" }}
                    </span>
                </button>
            </div>
            <p class="description" id=description_id>{description}</p>
            {move || {
                disabled_reason
                    .get()
                    .map(|why| {
                        view! { class=class,
                            <p class="why" id=why_id.clone()>
                                <Icon name=IconName::Shield size=12 />
                                {why}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
