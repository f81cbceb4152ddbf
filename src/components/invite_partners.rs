use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local_scoped_with_cancellation;
use partner_api::expiry::AccessPeriod;
use partner_api::workspaces::{InvitePartner, PartnerMember};
use partner_api::{Email, ErrorCode, PartnerRole};
use stylers_macro::style;
use wasm_bindgen_futures::JsFuture;

use super::access_end_select::{AccessEndSelect, EndState};
use super::badge::{Badge, Tone};
use super::error_panel::explain;
use super::icon::IconName;
use super::relative_time::calendar_day;
use super::toast::{ToastKind, use_toasts};
use crate::api::{self, ApiError};

/// Largest file read for addresses (a list of addresses, not a database export).
const MAX_FILE_BYTES: f64 = 1_000_000.0;

/// Whether a line without any address is a CSV header ("email", "Name,E-mail", …).
fn is_header(cells: &[&str]) -> bool {
    cells
        .iter()
        .any(|cell| cell.to_lowercase().replace('-', "").contains("email"))
}

/// The address inside "Gina Gray <gina@globex.test>", or the text itself.
fn unwrap_angle(cell: &str) -> &str {
    match (cell.find('<'), cell.rfind('>')) {
        (Some(start), Some(end)) if start < end => cell[start + 1..end].trim(),
        _ => cell,
    }
}

/// The addresses in what was typed, pasted or uploaded: one per line, or separated by
/// commas, semicolons or tabs; CSV rows give their cells that look like addresses (names
/// and other columns are left out, a header row too). Anything else that was typed is
/// kept as it is, so a malformed address is reported rather than silently dropped.
/// Duplicates (ignoring case) appear once.
pub fn addresses(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut first_line = true;
    for line in text.lines() {
        let cells: Vec<&str> = line
            .split([',', ';', '\t'])
            .map(|cell| cell.trim().trim_matches(['"', '\'']).trim())
            .filter(|cell| !cell.is_empty())
            .collect();
        if cells.is_empty() {
            continue;
        }
        let header = first_line && is_header(&cells);
        first_line = false;
        let mut candidates: Vec<&str> = Vec::new();
        for cell in &cells {
            let cell = unwrap_angle(cell);
            let words: Vec<&str> = cell.split_whitespace().collect();
            if words.len() > 1 && words.iter().any(|w| w.contains('@')) {
                candidates.extend(words.into_iter().filter(|w| w.contains('@')));
            } else {
                candidates.push(cell);
            }
        }
        if candidates.iter().any(|c| c.contains('@')) {
            candidates.retain(|c| c.contains('@'));
        } else if header {
            continue;
        } else if cells.len() > 1 {
            // Several cells and no address: keep the row as typed, to be reported.
            candidates = vec![line.trim()];
        }
        for candidate in candidates {
            if !found.iter().any(|f| f.eq_ignore_ascii_case(candidate)) {
                found.push(candidate.to_owned());
            }
        }
    }
    found
}

/// What happened to one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Inviting,
    Invited,
    AlreadyPartner,
    NotAllowed,
    Invalid,
    /// Refused for another reason (no free seat, the network…).
    Failed,
}

impl Outcome {
    /// The badge text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Inviting => "Inviting…",
            Self::Invited => "Invited",
            Self::AlreadyPartner => "Already a partner",
            Self::NotAllowed => "Not allowed",
            Self::Invalid => "Invalid",
            Self::Failed => "Not invited",
        }
    }

    fn tone(self) -> Tone {
        match self {
            Self::Inviting | Self::AlreadyPartner => Tone::Neutral,
            Self::Invited => Tone::Success,
            Self::NotAllowed => Tone::Warning,
            Self::Invalid | Self::Failed => Tone::Danger,
        }
    }

    fn icon(self) -> Option<IconName> {
        match self {
            Self::Inviting => None,
            Self::Invited => Some(IconName::Check),
            Self::AlreadyPartner => Some(IconName::Users),
            Self::NotAllowed => Some(IconName::X),
            Self::Invalid | Self::Failed => Some(IconName::Alert),
        }
    }

    /// Whether the address stays in the box to be fixed or tried again.
    pub fn keeps_address(self) -> bool {
        !matches!(self, Self::Invited | Self::AlreadyPartner)
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Inviting => "inviting",
            Self::Invited => "invited",
            Self::AlreadyPartner => "already_partner",
            Self::NotAllowed => "not_allowed",
            Self::Invalid => "invalid",
            Self::Failed => "failed",
        }
    }
}

/// The outcome of a refused invitation, with the server's words for it.
pub fn refused(error: &ApiError) -> (Outcome, String) {
    match (error.code(), error) {
        (Some(ErrorCode::AlreadyPartner), _) => (Outcome::AlreadyPartner, error.to_string()),
        (Some(ErrorCode::NotAllowed), _) => (Outcome::NotAllowed, error.to_string()),
        (
            Some(ErrorCode::Invalid),
            ApiError::Server {
                fields, message, ..
            },
        ) => (
            Outcome::Invalid,
            fields.get("email").unwrap_or(message).clone(),
        ),
        _ => (Outcome::Failed, explain(error)),
    }
}

/// One address of the last invitation, updated in place as its answer arrives.
#[derive(Debug, Clone)]
struct ResultRow {
    key: u64,
    address: String,
    outcome: RwSignal<Outcome>,
    message: RwSignal<String>,
}

/// Invite partners: one address or a pasted or uploaded list (CSV or one per line), with
/// a role. Each address gets its own result row with the server's message; addresses
/// that weren't invited stay in the box, so nothing typed is lost.
#[component]
pub fn InvitePartners(
    #[prop(into)] workspace_id: Signal<String>,
    #[prop(into)] workspace_name: Signal<String>,
    /// Why Editor can't be chosen now, if it can't.
    #[prop(into)]
    editor_blocked: Signal<Option<&'static str>>,
    /// Called with each partner invited.
    #[prop(into)]
    on_invited: Callback<PartnerMember>,
    /// How long the publisher team's new partner access lasts, when known.
    #[prop(optional, into)]
    team_default: Signal<Option<AccessPeriod>>,
) -> impl IntoView {
    let toasts = use_toasts();
    let class = style! {
        .invite {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
            padding: var(--space-4);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: var(--color-surface);
        }
        .invite-title {
            font-size: var(--text-sm);
        }
        .field {
            display: flex;
            flex-direction: column;
            gap: var(--space-1);
        }
        label {
            font-weight: 600;
        }
        textarea {
            min-height: 76px;
            height: auto;
            padding: var(--space-2) var(--space-3);
            resize: vertical;
            line-height: 1.5;
        }
        .hint {
            display: flex;
            flex-wrap: wrap;
            align-items: center;
            gap: var(--space-1) var(--space-3);
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .parsed {
            margin-left: auto;
            font-variant-numeric: tabular-nums;
        }
        .upload {
            height: 24px;
            font-size: var(--text-xs);
            padding: 0 var(--space-2);
        }
        .field-error {
            color: var(--color-danger);
            font-size: var(--text-xs);
        }
        .file-note {
            font-size: var(--text-xs);
        }
        .send {
            display: flex;
            align-items: flex-end;
            flex-wrap: wrap;
            gap: var(--space-3);
        }
        .select {
            height: 32px;
            min-width: 140px;
            padding: 0 var(--space-2);
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        .note {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
        }
        .results {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-control);
            background: var(--color-bg);
        }
        .result {
            display: grid;
            grid-template-columns: minmax(160px, 1fr) auto;
            align-items: center;
            gap: 2px var(--space-3);
            padding: var(--space-2) var(--space-3);
        }
        .result + .result {
            border-top: 1px solid var(--color-border);
        }
        .address {
            font-weight: 500;
            overflow-wrap: anywhere;
        }
        .message {
            grid-column: 1 / -1;
            color: var(--color-text-secondary);
            font-size: var(--text-xs);
        }
    };

    let text = RwSignal::new(String::new());
    let role = RwSignal::new(PartnerRole::Viewer);
    let pending = RwSignal::new(false);
    let empty_error = RwSignal::new(false);
    let file_note = RwSignal::new(None::<(bool, String)>);
    let results = RwSignal::new(Vec::<ResultRow>::new());
    let next_key = StoredValue::new(0_u64);
    let file_input = NodeRef::<html::Input>::new();
    let parsed = Memo::new(move |_| text.with(|t| addresses(t)));
    let end = EndState::new();

    // Editor stops being possible when multi-partner mode turns on or seats run out.
    Effect::new(move |_| {
        if editor_blocked.get().is_some() && role.get_untracked() == PartnerRole::Editor {
            role.set(PartnerRole::Viewer);
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        file_note.set(None);
        let list = parsed.get_untracked();
        if list.is_empty() {
            empty_error.set(true);
            return;
        }
        empty_error.set(false);
        let Some(ends) = end.end() else {
            return;
        };
        let role = role.get_untracked();
        let rows: Vec<ResultRow> = list
            .into_iter()
            .map(|typed| {
                let key = next_key.get_value();
                next_key.set_value(key + 1);
                let (address, outcome, message) = match Email::parse(&typed) {
                    Ok(email) => (email.to_string(), Outcome::Inviting, String::new()),
                    Err(why) => (typed, Outcome::Invalid, why.to_string()),
                };
                ResultRow {
                    key,
                    address,
                    outcome: RwSignal::new(outcome),
                    message: RwSignal::new(message),
                }
            })
            .collect();
        results.set(rows.clone());
        pending.set(true);
        let id = workspace_id.get_untracked();
        let workspace = workspace_name.get_untracked();
        spawn_local_scoped_with_cancellation(async move {
            // One at a time: two invitations never race each other for the last seat.
            for row in rows
                .iter()
                .filter(|r| r.outcome.get_untracked() == Outcome::Inviting)
            {
                let invite = InvitePartner {
                    email: row.address.clone(),
                    role,
                    ends: Some(ends.clone()),
                };
                let (outcome, message) = match api::workspace_settings::invite(&id, &invite).await {
                    Ok(member) => {
                        let until = member
                            .ends_at
                            .as_deref()
                            .and_then(calendar_day)
                            .map(|day| format!(" until {day}"))
                            .unwrap_or_default();
                        let message = format!(
                            "Invited as {} to {workspace}{until}. {} gets an email with a link \
                             to it.",
                            member.role.label(),
                            member.user.name
                        );
                        on_invited.run(member);
                        (Outcome::Invited, message)
                    }
                    Err(error) => refused(&error),
                };
                row.outcome.set(outcome);
                row.message.set(message);
            }
            let keep: Vec<&str> = rows
                .iter()
                .filter(|r| r.outcome.get_untracked().keeps_address())
                .map(|r| r.address.as_str())
                .collect();
            text.set(keep.join("\n"));
            let invited = rows
                .iter()
                .filter(|r| r.outcome.get_untracked() == Outcome::Invited)
                .count();
            let rest = rows.len() - invited;
            let summary = match (invited, rest) {
                (1, 0) => "Invited 1 partner.".to_owned(),
                (n, 0) => format!("Invited {n} partners."),
                (0, _) => "No one was invited. Each address says why.".to_owned(),
                (n, r) => format!(
                    "Invited {n} of {} addresses. Each of the others says why.",
                    n + r
                ),
            };
            toasts.show(
                if invited == 0 {
                    ToastKind::Error
                } else {
                    ToastKind::Success
                },
                summary,
            );
            pending.set(false);
        });
    };

    let on_file = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again (after editing it) reads it again.
        input.set_value("");
        let name = file.name();
        if file.size() > MAX_FILE_BYTES {
            file_note.set(Some((
                true,
                format!("{name} is larger than 1 MB. Upload a list of addresses only."),
            )));
            return;
        }
        spawn_local_scoped_with_cancellation(async move {
            match JsFuture::from(file.text()).await.map(|t| t.as_string()) {
                Ok(Some(contents)) => {
                    let count = addresses(&contents).len();
                    text.update(|t| {
                        if !t.trim().is_empty() && !t.ends_with('\n') {
                            t.push('\n');
                        }
                        t.push_str(contents.trim());
                    });
                    empty_error.set(false);
                    let what = if count == 1 {
                        "1 address".to_owned()
                    } else {
                        format!("{count} addresses")
                    };
                    file_note.set(Some((
                        false,
                        format!("Added {what} from {name}. Check them, then choose Invite."),
                    )));
                }
                _ => file_note.set(Some((
                    true,
                    format!("Couldn't read {name}. Save it as CSV or plain text, then try again."),
                ))),
            }
        });
    };

    let result_row = move |row: ResultRow| {
        let outcome = row.outcome;
        view! { class=class,
            <li
                class="result"
                data-testid="invite-result"
                data-outcome=move || outcome.get().as_str()
            >
                <span class="address">{row.address.clone()}</span>
                {move || {
                    let now = outcome.get();
                    match now.icon() {
                        Some(icon) => view! { <Badge text=now.label() tone=now.tone() icon=icon /> }.into_any(),
                        None => view! { <Badge text=now.label() tone=now.tone() /> }.into_any(),
                    }
                }}
                {move || {
                    let message = row.message.get();
                    (!message.is_empty()).then(|| view! { class=class, <span class="message">{message}</span> })
                }}
            </li>
        }
    };

    view! { class=class,
        <form class="invite" novalidate on:submit=on_submit aria-labelledby="invite-title">
            <h3 class="invite-title" id="invite-title">"Invite partners"</h3>
            <div class="field">
                <label for="invite-emails">"Email addresses"</label>
                <textarea
                    id="invite-emails"
                    class="input"
                    rows="3"
                    placeholder="name@partner-company.com"
                    spellcheck="false"
                    autocapitalize="none"
                    readonly=move || pending.get()
                    prop:value=text
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        empty_error.set(false);
                    }
                    aria-invalid=move || empty_error.get().then_some("true")
                    aria-describedby=move || {
                        if empty_error.get() {
                            "invite-emails-error invite-emails-hint"
                        } else {
                            "invite-emails-hint"
                        }
                    }
                ></textarea>
                {move || {
                    empty_error
                        .get()
                        .then(|| {
                            view! { class=class,
                                <p class="field-error" id="invite-emails-error">
                                    "Enter at least one email address."
                                </p>
                            }
                        })
                }}
                <div class="hint" id="invite-emails-hint">
                    <span>"One address, or a list: one per line or separated by commas."</span>
                    <button
                        type="button"
                        class="button upload"
                        on:click=move |_| {
                            if let Some(input) = file_input.get() {
                                input.click();
                            }
                        }
                    >
                        "Upload CSV or text file…"
                    </button>
                    <span class="parsed">
                        {move || match parsed.with(Vec::len) {
                            0 => String::new(),
                            1 => "1 address".to_owned(),
                            n => format!("{n} addresses"),
                        }}
                    </span>
                </div>
                <input
                    type="file"
                    hidden
                    accept=".csv,.txt,text/csv,text/plain"
                    node_ref=file_input
                    on:change=on_file
                />
                {move || {
                    file_note
                        .get()
                        .map(|(failed, note)| {
                            view! { class=class,
                                <p
                                    class=if failed { "file-note field-error" } else { "file-note" }
                                    role="status"
                                >
                                    {note}
                                </p>
                            }
                        })
                }}
            </div>
            <div class="send">
                <div class="field">
                    <label for="invite-role">"Role"</label>
                    <select
                        id="invite-role"
                        class="select"
                        aria-describedby=move || editor_blocked.get().map(|_| "invite-editor-note")
                        on:change=move |ev| {
                            if let Ok(chosen) = event_target_value(&ev).parse() {
                                role.set(chosen);
                            }
                        }
                    >
                        <option value="viewer" prop:selected=move || role.get() == PartnerRole::Viewer>
                            "Viewer (free)"
                        </option>
                        <option
                            value="editor"
                            disabled=move || editor_blocked.get().is_some()
                            prop:selected=move || role.get() == PartnerRole::Editor
                        >
                            {move || {
                                if editor_blocked.get().is_some() {
                                    "Editor (unavailable)"
                                } else {
                                    "Editor (uses a seat)"
                                }
                            }}
                        </option>
                    </select>
                </div>
                <AccessEndSelect
                    id="invite-ends"
                    state=end
                    team_default=team_default
                    disabled=pending
                />
                <button type="submit" class="button button-primary" disabled=pending>
                    {move || if pending.get() { "Inviting…" } else { "Invite" }}
                </button>
            </div>
            {move || {
                editor_blocked
                    .get()
                    .map(|why| view! { class=class, <p class="note" id="invite-editor-note">{why}</p> })
            }}
            {move || {
                results
                    .with(|r| !r.is_empty())
                    .then(|| {
                        view! { class=class,
                            <ul class="results" aria-label="Invitation results" aria-live="polite">
                                <For each=move || results.get() key=|row| row.key children=result_row />
                            </ul>
                        }
                    })
            }}
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_per_line_or_separated_by_commas() {
        assert_eq!(
            addresses("uma@umbrella.test\n gary@globex.test ,ivan@initech.test;\n\n"),
            ["uma@umbrella.test", "gary@globex.test", "ivan@initech.test"]
        );
        assert_eq!(
            addresses("a@x.test b@y.test\tc@z.test"),
            ["a@x.test", "b@y.test", "c@z.test"]
        );
    }

    #[test]
    fn csv_rows_give_their_addresses_without_header_or_names() {
        let csv = "Name,Email,Company\n\"Uma Ueda\",uma@umbrella.test,Umbrella\nGary Green,\"gary@globex.test\",Globex\n";
        assert_eq!(addresses(csv), ["uma@umbrella.test", "gary@globex.test"]);
        assert_eq!(
            addresses("Gina Gray <gina@globex.test>, Ivan <ivan@initech.test>"),
            ["gina@globex.test", "ivan@initech.test"]
        );
    }

    #[test]
    fn malformed_entries_are_kept_to_be_reported_and_duplicates_appear_once() {
        assert_eq!(
            addresses("uma@umbrella.test\nnot-an-email\nUMA@umbrella.test\nGina,Gray"),
            ["uma@umbrella.test", "not-an-email", "Gina,Gray"]
        );
        // A lone word on the first line is an address someone typed, not a header.
        assert_eq!(addresses("gina"), ["gina"]);
        assert_eq!(addresses("email\numa@umbrella.test"), ["uma@umbrella.test"]);
    }

    #[test]
    fn refusals_become_outcomes_with_the_servers_words() {
        let refusal = |status, code: &str, message: &str| {
            ApiError::from_response(
                status,
                &format!(r#"{{"error":{{"code":"{code}","message":"{message}"}}}}"#),
            )
        };
        let (outcome, message) = refused(&refusal(
            409,
            "already_partner",
            "gary@globex.test is already a partner in this workspace.",
        ));
        assert_eq!(outcome, Outcome::AlreadyPartner);
        assert!(message.contains("already a partner"));
        assert_eq!(
            refused(&refusal(422, "not_allowed", "x isn't in a team yet.")).0,
            Outcome::NotAllowed
        );
        assert_eq!(
            refused(&refusal(409, "no_editor_seat", "All seats are in use.")).0,
            Outcome::Failed
        );
        let invalid = ApiError::from_response(
            422,
            r#"{"error":{"code":"invalid","message":"Invalid.","fields":{"email":"Needs an @."}}}"#,
        );
        assert_eq!(
            refused(&invalid),
            (Outcome::Invalid, "Needs an @.".to_owned())
        );
        assert_eq!(refused(&ApiError::Network).0, Outcome::Failed);
        assert!(!Outcome::Invited.keeps_address());
        assert!(!Outcome::AlreadyPartner.keeps_address());
        assert!(Outcome::Invalid.keeps_address());
        assert!(Outcome::NotAllowed.keeps_address());
    }
}
