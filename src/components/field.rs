use leptos::prelude::*;
use stylers_macro::style;

/// A labelled form control with its inline error and an optional hint below it. The control
/// (the children: an `<input>`, `<textarea>` or `<select>` with its own type, autocomplete
/// and handlers) gets its `id`, `aria-invalid` and `aria-describedby` from here, so the label,
/// the control and the error always point at each other.
#[component]
pub fn Field(
    /// The control's id; the error's is `{id}-error` and the hint's `{id}-hint`.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    /// Why the value is refused; shown under the control while there is one.
    #[prop(into)]
    error: Signal<Option<String>>,
    /// A line under the control (a character count…). With a hint the error is shown inside
    /// it and the hint always describes the control.
    #[prop(optional, into)]
    hint: Option<ViewFn>,
    children: Children,
) -> impl IntoView {
    let class = style! {
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        .field-error {
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
        .hint {
            display: flex;
            justify-content: space-between;
            gap: var(--space-3);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
    };
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    // A hint is always there to describe the control; a lone error only while it shows.
    let described_by = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            if has_hint {
                Some(hint_id.clone())
            } else {
                error.with(Option::is_some).then(|| error_id.clone())
            }
        }
    };
    let control = children().add_any_attr(view! {
        <{..}
            id=id.clone()
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            aria-describedby=described_by
        />
    });
    let below = match hint {
        Some(hint) => view! { class=class,
            <p class="hint" id=hint_id>
                {move || {
                    error.get().map(|why| view! { class=class, <span class="field-error">{why}</span> })
                }}
                {hint.run()}
            </p>
        }
        .into_any(),
        None => (move || {
            error.get().map(|why| {
                view! { class=class, <p class="field-error" id=error_id.clone()>{why}</p> }
            })
        })
        .into_any(),
    };
    view! { class=class,
        <div class="field">
            <label for=id>{label}</label>
            {control}
            {below}
        </div>
    }
}
