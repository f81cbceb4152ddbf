//! Live updates: the hub (`api::events`), and the components that show what an event says.
//! Events are driven into the hub as the stream would deliver them (the JSON of a message's
//! `data:`); the data the components show is what their page would have read again.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos_router::components::Router;
use partner_api::YourRole;
use partner_api::events::{Event, WorkspaceChange};
use partner_api::workspaces::{Publisher, Visibility, Workspace, WorkspacePermissions};
use partner_workspaces::api::events::{LiveEvents, about_workspace};
use partner_workspaces::components::access_ended_notice::AccessEndedNotice;
use partner_workspaces::components::multi_partner_setting::MultiPartnerSetting;
use partner_workspaces::components::require_session::RequireSession;
use partner_workspaces::components::toast::ToastRegion;
use partner_workspaces::session::Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::UrlSearchParams;

use crate::support::{HeldPatches, Mounted, mount, paul};

/// What each listener heard, by name.
type Heard = Rc<RefCell<Vec<String>>>;

/// A hub with three listeners, as three pages would subscribe: the workspace page of
/// `w_payments`, Team Settings (team changed) and the Workspaces list (any workspace).
fn hub_with_listeners() -> (Mounted, LiveEvents, Heard) {
    let heard: Heard = Rc::default();
    let hub = StoredValue::new_local(None::<LiveEvents>);
    let page = mount({
        let heard = Rc::clone(&heard);
        move || {
            let live = LiveEvents::provide();
            hub.set_value(Some(live));
            let listen = |name: &'static str, wants: fn(&Event) -> bool| {
                let heard = Rc::clone(&heard);
                live.on(wants, move |event| {
                    heard.borrow_mut().push(format!("{name}: {event:?}"));
                });
            };
            listen("workspace", |e| about_workspace(e, "w_payments"));
            listen("team", |e| matches!(e, Event::TeamChanged));
            listen("workspaces", |e| {
                matches!(
                    e,
                    Event::WorkspaceChanged { .. }
                        | Event::AccessEnded { .. }
                        | Event::WorkspacesChanged
                )
            });
            view! { <p>"listening"</p> }
        }
    });
    (page, hub.get_value().unwrap(), heard)
}

fn take(heard: &Heard) -> Vec<String> {
    std::mem::take(&mut *heard.borrow_mut())
}

#[wasm_bindgen_test]
fn each_event_reaches_the_listeners_it_touches_and_resync_reaches_all() {
    let (page, hub, heard) = hub_with_listeners();

    hub.receive(
        r#"{"kind":"workspace_changed","workspace":"w_payments","change":{"what":"multi_partner_mode","on":true},"by":"Wanda Wells"}"#,
    );
    let expected = Event::WorkspaceChanged {
        workspace: "w_payments".into(),
        change: WorkspaceChange::MultiPartnerMode { on: true },
        by: Some("Wanda Wells".to_owned()),
    };
    assert_eq!(
        take(&heard),
        [
            format!("workspace: {expected:?}"),
            format!("workspaces: {expected:?}"),
        ]
    );

    // Another workspace: not the open workspace page's business.
    hub.receive(r#"{"kind":"access_ended","workspace":"w_fraud"}"#);
    assert_eq!(
        take(&heard),
        [r#"workspaces: AccessEnded { workspace: WorkspaceId("w_fraud") }"#]
    );
    hub.receive(r#"{"kind":"access_requests_changed","workspace":"w_payments"}"#);
    assert_eq!(take(&heard).len(), 1, "only the workspace page");
    hub.receive(r#"{"kind":"team_changed"}"#);
    assert_eq!(take(&heard), ["team: TeamChanged"]);

    // What was missed can't be told: everyone reads again.
    hub.receive(r#"{"kind":"resync"}"#);
    assert_eq!(
        take(&heard),
        ["workspace: Resync", "team: Resync", "workspaces: Resync"]
    );

    // Kinds this version doesn't know, and text that isn't an event, are left out.
    hub.receive(r#"{"kind":"weather_changed","sunny":true}"#);
    hub.receive("not json");
    hub.receive(r#"{"kind":"workspace_changed"}"#);
    assert!(take(&heard).is_empty());

    // A page that is gone hears nothing more.
    drop(page);
    hub.dispatch(&Event::Resync);
    assert!(take(&heard).is_empty());
}

#[wasm_bindgen_test]
async fn a_session_the_server_ended_goes_to_sign_in_with_the_way_back() {
    let location = window().location();
    let href = location.href().unwrap();
    let here = format!(
        "{}{}{}",
        location.pathname().unwrap(),
        location.search().unwrap(),
        location.hash().unwrap()
    );
    let app = StoredValue::new(None::<(Session, LiveEvents)>);
    // As `App` wires it; the test runner's server has no /api/events, so the stream the
    // sign-in opens is refused and waits to try again, which is all it does here.
    let page = mount(move || {
        let session = Session::provide();
        let live = LiveEvents::provide();
        live.connect(
            Memo::new(move |_| session.me().map(|me| me.user.id)),
            move || session.signed_out(),
        );
        app.set_value(Some((session, live)));
        view! {
            <Router>
                <RequireSession>
                    <p>"the protected page"</p>
                </RequireSession>
            </Router>
        }
    });
    let (session, live) = app.get_value().unwrap();
    // The test runner's server has no /api: the session check fails first; then sign in.
    page.until("the failed session check", |page| {
        page.text().contains("We couldn't check your sign-in")
    })
    .await;
    session.signed_in(paul());
    page.until("the page, signed in", |page| {
        page.text().contains("the protected page")
    })
    .await;

    live.receive(r#"{"kind":"session_ended"}"#);
    page.until("the redirect to sign in", |_| {
        location.pathname().unwrap() == "/signin"
    })
    .await;
    let search = location.search().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(&href))
        .unwrap();

    assert_eq!(session.me(), None);
    let next = UrlSearchParams::new_with_str(&search).unwrap().get("next");
    assert_eq!(next, Some(here), "{search}");
    assert!(!page.text().contains("the protected page"));
}

fn payments_api(multi_partner_mode: bool) -> Workspace {
    Workspace {
        id: "w_payments".into(),
        name: "Payments API".to_owned(),
        summary: String::new(),
        publisher: Publisher {
            id: "t_acme".into(),
            name: "Acme Payments".to_owned(),
        },
        visibility: Visibility::Partner,
        multi_partner_mode,
        legacy: false,
        migration_state: None,
        sso_required: false,
        your_role: YourRole::Admin,
        permissions: WorkspacePermissions {
            manage_settings: true,
            manage_partners: true,
            lead_own_team: false,
        },
    }
}

/// Payments API's multi-partner switch, as Alice (Team Admin) has it open, with the hub.
async fn switch_with_hub(on: bool) -> (Mounted, LiveEvents, RwSignal<Workspace>) {
    let parts = StoredValue::new(None::<(LiveEvents, RwSignal<Workspace>)>);
    let page = mount(move || {
        let live = LiveEvents::provide();
        let workspace = RwSignal::new(payments_api(on));
        parts.set_value(Some((live, workspace)));
        view! {
            <ToastRegion>
                <MultiPartnerSetting
                    workspace=workspace
                    partners=RwSignal::new(Vec::new())
                    on_seats_changed=|()| {}
                />
            </ToastRegion>
        }
    });
    page.until("the switch", |page| page.find("[role=switch]").is_some())
        .await;
    let (live, workspace) = parts.get_value().unwrap();
    (page, live, workspace)
}

const WANDA_TURNED_IT_ON: &str = r#"{"kind":"workspace_changed","workspace":"w_payments","change":{"what":"multi_partner_mode","on":true},"by":"Wanda Wells"}"#;

fn changed_by(page: &Mounted) -> String {
    page.find("[data-testid=multi-partner-changed-by]")
        .expect("the live region is always there")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_switch_follows_a_change_made_elsewhere_and_says_who_made_it() {
    let (page, live, workspace) = switch_with_hub(false).await;
    let region = "[data-testid=multi-partner-changed-by]";
    assert_eq!(page.attr(region, "role").as_deref(), Some("status"));
    assert_eq!(page.attr(region, "aria-live").as_deref(), Some("polite"));
    assert_eq!(changed_by(&page), "");

    live.receive(WANDA_TURNED_IT_ON);
    // The line waits for the switch: the page reads the workspace again first.
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(changed_by(&page), "");
    workspace.update(|w| w.multi_partner_mode = true);

    page.until("the switch on, and who did it", |page| {
        page.attr("[role=switch]", "aria-checked").as_deref() == Some("true")
            && changed_by(page) == "Wanda Wells turned on multi-partner mode just now."
    })
    .await;

    // Turned off elsewhere by someone the receiver may not know: the switch follows, and no
    // line claims who.
    live.receive(
        r#"{"kind":"workspace_changed","workspace":"w_payments","change":{"what":"multi_partner_mode","on":false}}"#,
    );
    workspace.update(|w| w.multi_partner_mode = false);
    page.until("the switch off, without a name", |page| {
        page.attr("[role=switch]", "aria-checked").as_deref() == Some("false")
            && changed_by(page).is_empty()
    })
    .await;

    // Another workspace's change is not this switch's.
    live.receive(
        r#"{"kind":"workspace_changed","workspace":"w_fraud","change":{"what":"multi_partner_mode","on":true},"by":"Wanda Wells"}"#,
    );
    workspace.update(|w| w.multi_partner_mode = true);
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(changed_by(&page), "");
}

#[wasm_bindgen_test]
async fn this_tabs_own_change_is_not_announced_as_someone_elses() {
    // The server's answer came first: the switch already shows the new state.
    let (page, live, _) = switch_with_hub(true).await;
    live.receive(WANDA_TURNED_IT_ON);
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(changed_by(&page), "");
    drop(page);

    // The event came first, while this tab's own change is on its way.
    let (page, live, _) = switch_with_hub(false).await;
    page.click("[role=switch]");
    page.until("the dialog", |page| page.find("dialog[open]").is_some())
        .await;
    let held = HeldPatches::start();
    page.click("dialog .button-primary");
    page.until("the change on its way", |page| {
        page.attr("[role=switch]", "aria-busy").as_deref() == Some("true")
    })
    .await;
    live.receive(WANDA_TURNED_IT_ON);
    held.release();
    // The test runner's server has no /api: the change is refused and rolls back.
    page.until("the rollback", |page| {
        page.find("[data-testid=multi-partner-error]").is_some()
    })
    .await;
    assert_eq!(changed_by(&page), "");
}

#[wasm_bindgen_test]
async fn access_that_ends_while_the_workspace_is_open_is_announced_by_name() {
    let parts = StoredValue::new(None::<(LiveEvents, RwSignal<String>, RwSignal<Option<String>>)>);
    let page = mount(move || {
        let live = LiveEvents::provide();
        let id = RwSignal::new("w_payments".to_owned());
        let name = RwSignal::new(Some("Payments API".to_owned()));
        parts.set_value(Some((live, id, name)));
        view! { <AccessEndedNotice workspace_id=id workspace_name=name /> }
    });
    let (live, id, name) = parts.get_value().unwrap();
    let notice = "[data-testid=access-ended-notice]";

    // Another workspace's access ending says nothing here.
    live.receive(r#"{"kind":"access_ended","workspace":"w_fraud"}"#);
    name.set(None);
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert!(page.find(notice).is_none());
    name.set(Some("Payments API".to_owned()));

    live.receive(r#"{"kind":"access_ended","workspace":"w_payments"}"#);
    // It shows with the page's no-access state, once the workspace is read again.
    gloo_timers::future::sleep(std::time::Duration::from_millis(50)).await;
    assert!(page.find(notice).is_none());
    name.set(None);
    page.until("the notice", |page| page.find(notice).is_some())
        .await;
    assert_eq!(page.attr(notice, "role").as_deref(), Some("alert"));
    assert_eq!(page.text().trim(), "Your access to Payments API ended.");

    // Opening another workspace leaves it behind.
    id.set("w_fraud".to_owned());
    page.until("no notice", |page| page.find(notice).is_none())
        .await;
}
