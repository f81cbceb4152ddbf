use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use partner_api::mailbox::{MailboxEmail, MailboxQuery};
use stylers_macro::style;

use crate::api;
use crate::components::empty_state::EmptyState;
use crate::components::error_panel::ErrorPanel;

/// The path of this page.
pub const DEV_MAILBOX_PATH: &str = "/dev/mailbox";

/// The email HTML as the frame shows it: links open in the whole tab (the sandbox allows
/// that only when a person clicks), so "Go to workspace" lands on the workspace page.
pub fn framed_html(html: &str) -> String {
    const BASE: &str = "<base target=\"_top\">";
    match html.find("<head>") {
        Some(at) => {
            let end = at + "<head>".len();
            format!("{}{BASE}{}", &html[..end], &html[end..])
        }
        None => format!("{BASE}{html}"),
    }
}

/// "2026-11-27T19:51:54.123Z" → "2026-11-27 19:51 UTC".
fn short_time(rfc3339: &str) -> String {
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(day), Some(time)) => format!("{day} {time} UTC"),
        _ => rfc3339.to_owned(),
    }
}

/// Dev mailbox: every email the server has written, newest first; the selected one is
/// shown as it was sent, so a person can click its "Go to workspace". Only served by a
/// server in demo/dev mode.
#[component]
pub fn DevMailbox() -> impl IntoView {
    let query = use_query_map();
    let selected = Memo::new(move |_| query.read().get("email"));
    let emails = LocalResource::new(|| async {
        let query = MailboxQuery {
            per_page: Some(200),
            ..MailboxQuery::default()
        };
        api::mailbox::list(&query).await
    });
    let class = style! {
        .mailbox {
            padding: var(--space-5) var(--space-6);
            max-width: var(--content-max);
            display: flex;
            flex-direction: column;
            gap: var(--space-4);
        }
        .heading {
            display: flex;
            align-items: flex-start;
            justify-content: space-between;
            gap: var(--space-4);
        }
        .lede {
            color: var(--color-text-secondary);
            max-width: 70ch;
        }
        .columns {
            display: grid;
            grid-template-columns: minmax(240px, 360px) 1fr;
            gap: var(--space-5);
            align-items: start;
        }
        .list {
            list-style: none;
            margin: 0;
            padding: 0;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            overflow: hidden;
        }
        .list li + li {
            border-top: 1px solid var(--color-border);
        }
        .item {
            display: flex;
            flex-direction: column;
            gap: 2px;
            padding: var(--space-2) var(--space-3);
            color: var(--color-text);
            text-decoration: none;
        }
        .item:hover {
            background: var(--color-surface);
        }
        .item[aria-current="true"] {
            background: var(--color-accent-soft);
        }
        .subject {
            font-weight: 600;
        }
        .meta {
            font-size: var(--text-xs);
            color: var(--color-text-secondary);
            font-variant-numeric: tabular-nums;
        }
        .skeleton {
            height: 160px;
            border-radius: var(--radius-card);
            background: var(--color-surface);
            border: 1px solid var(--color-border);
        }
        @media (max-width: 640px) {
            .columns {
                grid-template-columns: 1fr;
            }
            .mailbox {
                padding: var(--space-4);
            }
        }
    };

    let content = move || {
        Suspend::new(async move {
            match emails.await {
                Err(error) => view! {
                    <ErrorPanel error=error on_retry=Callback::new(move |()| emails.refetch()) />
                }
                .into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <EmptyState
                        title="No emails yet"
                        text="Invitations, approved access requests, access-request digests and \
                              migration emails appear here as soon as the server writes them."
                    />
                }
                .into_any(),
                Ok(page) => {
                    let items = page.items;
                    let list = items
                        .iter()
                        .map(|email| {
                            let id = email.id.clone();
                            let current = move || {
                                (selected.get().as_deref() == Some(id.as_str())).to_string()
                            };
                            view! { class=class,
                                <li>
                                    <a
                                        class="item"
                                        href=format!("{DEV_MAILBOX_PATH}?email={}", email.id)
                                        aria-current=current
                                    >
                                        <span class="subject">{email.subject.clone()}</span>
                                        <span class="meta">"To " {email.to.clone()}</span>
                                        <span class="meta">{short_time(&email.created_at)}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view();
                    let reading = move || {
                        let wanted = selected.get();
                        match items.iter().find(|e| Some(&e.id) == wanted.as_ref()) {
                            Some(email) => view! { <EmailView email=email.clone() /> }.into_any(),
                            None => view! { class=class,
                                <p class="lede">"Choose an email to read it."</p>
                            }
                            .into_any(),
                        }
                    };
                    view! { class=class,
                        <div class="columns">
                            <nav aria-label="Emails">
                                <ul class="list">{list}</ul>
                            </nav>
                            <div>{reading}</div>
                        </div>
                    }
                    .into_any()
                }
            }
        })
    };

    view! { class=class,
        <section class="mailbox">
            <div class="heading">
                <div>
                    <h1>"Dev mailbox"</h1>
                    <p class="lede">
                        "Every email the server has written, newest first. This page exists \
                         only while the server runs in demo or dev mode."
                    </p>
                </div>
                <button class="button" on:click=move |_| emails.refetch()>
                    "Refresh"
                </button>
            </div>
            <Transition fallback=move || {
                view! { class=class, <div class="skeleton" aria-busy="true"></div> }
            }>{content}</Transition>
        </section>
    }
}

/// One email as it was sent: its headers, the HTML part in a sandboxed frame (no scripts,
/// links may only navigate the whole tab when clicked), and the text part.
#[component]
fn EmailView(email: MailboxEmail) -> impl IntoView {
    let class = style! {
        .email {
            display: flex;
            flex-direction: column;
            gap: var(--space-3);
        }
        .headers {
            display: grid;
            grid-template-columns: max-content 1fr;
            gap: var(--space-1) var(--space-3);
            margin: 0;
            font-size: var(--text-sm);
        }
        dt {
            color: var(--color-text-secondary);
        }
        dd {
            margin: 0;
        }
        .frame {
            width: 100%;
            height: 520px;
            border: 1px solid var(--color-border);
            border-radius: var(--radius-card);
            background: #ffffff;
        }
        pre {
            white-space: pre-wrap;
            font-size: var(--text-xs);
            padding: var(--space-3);
            background: var(--color-surface);
            border-radius: var(--radius-control);
        }
    };
    let delivered = email
        .sent_at
        .as_deref()
        .map_or_else(|| "Waiting for the delivery worker".to_owned(), short_time);
    view! { class=class,
        <article class="email" aria-label="Email">
            <h2>{email.subject.clone()}</h2>
            <dl class="headers">
                <dt>"To"</dt>
                <dd>{email.to.clone()}</dd>
                <dt>"Written"</dt>
                <dd>{short_time(&email.created_at)}</dd>
                <dt>"Delivered"</dt>
                <dd>{delivered}</dd>
            </dl>
            <iframe
                class="frame"
                title=format!("Email: {}", email.subject)
                sandbox="allow-top-navigation-by-user-activation"
                referrerpolicy="no-referrer"
                srcdoc=framed_html(&email.html)
            ></iframe>
            <details>
                <summary>"Text version"</summary>
                <pre>{email.text.clone()}</pre>
            </details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_the_frame_open_in_the_whole_tab() {
        assert_eq!(
            framed_html("<html><head><title>x</title></head></html>"),
            "<html><head><base target=\"_top\"><title>x</title></head></html>"
        );
        assert_eq!(framed_html("<p>x</p>"), "<base target=\"_top\"><p>x</p>");
    }

    #[test]
    fn times_are_short() {
        assert_eq!(
            short_time("2026-11-27T19:51:54.123Z"),
            "2026-11-27 19:51 UTC"
        );
        assert_eq!(short_time("soon"), "soon");
    }
}
