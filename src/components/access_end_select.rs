use leptos::prelude::*;
use partner_api::expiry::{AccessEnd, AccessPeriod};
use stylers_macro::style;

use super::relative_time::{iso_day, now_seconds};
use crate::params::audit_log::is_day;

/// What the "Access ends" select offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndChoice {
    /// The publisher team's default period.
    TeamDefault,
    Period(AccessPeriod),
    /// A day picked in the date input.
    OnDay,
}

impl EndChoice {
    /// Every choice, in the order the select lists them.
    pub const ALL: [Self; 6] = [
        Self::TeamDefault,
        Self::Period(AccessPeriod::Days7),
        Self::Period(AccessPeriod::Days30),
        Self::Period(AccessPeriod::Days90),
        Self::Period(AccessPeriod::Never),
        Self::OnDay,
    ];

    /// The option's value.
    pub fn value(self) -> &'static str {
        match self {
            Self::TeamDefault => "team_default",
            Self::Period(period) => period.as_str(),
            Self::OnDay => "on",
        }
    }

    /// The choice an option's value names.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.value() == value)
    }

    /// The option's text; the team's default is named when it is known.
    pub fn label(self, team_default: Option<AccessPeriod>) -> String {
        match (self, team_default) {
            (Self::TeamDefault, Some(period)) => format!("Team default ({})", period.label()),
            (Self::TeamDefault, None) => "Team default".to_owned(),
            (Self::Period(period), _) => period.label().to_owned(),
            (Self::OnDay, _) => "On a date…".to_owned(),
        }
    }
}

/// The end to send for `choice` (with `day` for a date, YYYY-MM-DD), or why it can't be
/// sent; `today` is YYYY-MM-DD (the server checks the same, in UTC).
pub fn access_end(choice: EndChoice, day: &str, today: &str) -> Result<AccessEnd, &'static str> {
    match choice {
        EndChoice::TeamDefault => Ok(AccessEnd::TeamDefault),
        EndChoice::Period(period) => Ok(AccessEnd::Period(period)),
        EndChoice::OnDay => {
            let day = day.trim();
            if day.is_empty() {
                Err("Pick the day access ends.")
            } else if !is_day(day) {
                Err("Enter the day as YYYY-MM-DD.")
            } else if day <= today {
                Err("Pick a day after today.")
            } else {
                Ok(AccessEnd::On(day.to_owned()))
            }
        }
    }
}

/// Today in UTC, YYYY-MM-DD, by the browser's clock.
pub fn today() -> String {
    iso_day(now_seconds(), 0)
}

/// The state of one "Access ends" control, created by the form that sends it.
#[derive(Debug, Clone, Copy)]
pub struct EndState {
    pub choice: RwSignal<EndChoice>,
    /// The picked day, YYYY-MM-DD (for [`EndChoice::OnDay`]).
    pub day: RwSignal<String>,
    /// Why the end can't be sent, once someone tried.
    pub error: RwSignal<Option<&'static str>>,
}

impl EndState {
    /// The team's default, no day picked.
    pub fn new() -> Self {
        Self {
            choice: RwSignal::new(EndChoice::TeamDefault),
            day: RwSignal::new(String::new()),
            error: RwSignal::new(None),
        }
    }

    /// The end to send, or `None` after showing why there is none.
    pub fn end(&self) -> Option<AccessEnd> {
        match access_end(
            self.choice.get_untracked(),
            &self.day.get_untracked(),
            &today(),
        ) {
            Ok(end) => {
                self.error.set(None);
                Some(end)
            }
            Err(why) => {
                self.error.set(Some(why));
                None
            }
        }
    }
}

impl Default for EndState {
    fn default() -> Self {
        Self::new()
    }
}

/// "Access ends": the team's default (named when known), 7, 30 or 90 days, no end, or a
/// day picked in a date input that appears beside it.
#[component]
pub fn AccessEndSelect(
    /// The select's id; the date input's is `{id}-day`, its error `{id}-error`.
    id: &'static str,
    state: EndState,
    /// The publisher team's default, when the signed-in person can know it.
    #[prop(into)]
    team_default: Signal<Option<AccessPeriod>>,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(default = "Access ends")] label: &'static str,
) -> impl IntoView {
    let class = style! {
        .access-end {
            display: flex;
            flex-wrap: wrap;
            align-items: flex-end;
            gap: var(--space-2) var(--space-3);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
            min-width: 0;
        }
        label {
            font-weight: 600;
        }
        .select, .day {
            height: 32px;
            max-width: 100%;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
            color: var(--color-text);
        }
        .select {
            min-width: 160px;
        }
        .field-error {
            flex-basis: 100%;
            margin: 0;
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
    };
    let EndState { choice, day, error } = state;
    let day_id = format!("{id}-day");
    let error_id = format!("{id}-error");
    let tomorrow = iso_day(now_seconds(), 1);
    let on_day = Memo::new(move |_| choice.get() == EndChoice::OnDay);
    let described = {
        let error_id = error_id.clone();
        move || error.get().map(|_| error_id.clone())
    };
    let date_input = {
        let day_id = day_id.clone();
        let described = described.clone();
        move || {
            on_day.get().then(|| {
                let described = described.clone();
                view! { class=class,
                    <div class="field">
                        <label for=day_id.clone()>"End date"</label>
                        <input
                            id=day_id.clone()
                            class="day"
                            type="date"
                            min=tomorrow.clone()
                            required
                            disabled=disabled
                            prop:value=day
                            aria-invalid=move || error.get().map(|_| "true")
                            aria-describedby=described
                            on:input=move |ev| {
                                day.set(event_target_value(&ev));
                                error.set(None);
                            }
                        />
                    </div>
                }
            })
        }
    };
    view! { class=class,
        <div class="access-end">
            <div class="field">
                <label for=id>{label}</label>
                <select
                    id=id
                    class="select"
                    disabled=disabled
                    aria-describedby=move || (!on_day.get()).then(described.clone()).flatten()
                    on:change=move |ev| {
                        if let Some(chosen) = EndChoice::parse(&event_target_value(&ev)) {
                            choice.set(chosen);
                            error.set(None);
                        }
                    }
                >
                    {EndChoice::ALL
                        .into_iter()
                        .map(|option| {
                            view! {
                                <option
                                    value=option.value()
                                    prop:selected=move || choice.get() == option
                                >
                                    {move || option.label(team_default.get())}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            {date_input}
            {move || {
                error
                    .get()
                    .map(|why| view! { class=class, <p class="field-error" id=error_id.clone()>{why}</p> })
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_round_trips_through_its_option_value() {
        for choice in EndChoice::ALL {
            assert_eq!(EndChoice::parse(choice.value()), Some(choice));
        }
        assert_eq!(EndChoice::parse("forever"), None);
    }

    #[test]
    fn the_team_default_is_named_when_known() {
        assert_eq!(
            EndChoice::TeamDefault.label(Some(AccessPeriod::Days30)),
            "Team default (30 days)"
        );
        assert_eq!(EndChoice::TeamDefault.label(None), "Team default");
        assert_eq!(EndChoice::Period(AccessPeriod::Never).label(None), "No end");
    }

    #[test]
    fn the_end_sent_is_the_one_chosen_and_a_day_must_be_after_today() {
        let today = "2026-12-04";
        assert_eq!(
            access_end(EndChoice::TeamDefault, "", today),
            Ok(AccessEnd::TeamDefault)
        );
        assert_eq!(
            access_end(EndChoice::Period(AccessPeriod::Days7), "", today),
            Ok(AccessEnd::Period(AccessPeriod::Days7))
        );
        assert_eq!(
            access_end(EndChoice::OnDay, " 2027-01-12 ", today),
            Ok(AccessEnd::On("2027-01-12".to_owned()))
        );
        assert!(access_end(EndChoice::OnDay, "", today).is_err());
        assert!(access_end(EndChoice::OnDay, "2026-12-04", today).is_err());
        assert!(access_end(EndChoice::OnDay, "12/01/2027", today).is_err());
    }

    #[test]
    fn ends_are_sent_as_the_contract_says() {
        let json = |end: AccessEnd| serde_json::to_string(&end).unwrap();
        assert_eq!(json(AccessEnd::TeamDefault), r#""team_default""#);
        // The period's wire name is the contract's (serde and the database agree on it).
        assert_eq!(
            json(AccessEnd::Period(AccessPeriod::Days7)),
            r#"{"period":"days7"}"#
        );
        assert_eq!(
            json(AccessEnd::On("2027-01-12".to_owned())),
            r#"{"on":"2027-01-12"}"#
        );
    }
}
