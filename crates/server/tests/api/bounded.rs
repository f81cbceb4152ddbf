//! Every answer is bounded, however big the team: member lists and a partner team's detail
//! list at most a fixed number of people and workspaces, say how many there are in all,
//! and find the others by search.

use partner_api::partnerships::{DETAIL_PARTNERS_LISTED, DETAIL_WORKSPACES_LISTED};
use partner_api::workspaces::MEMBERS_LISTED;
use serde_json::Value;

use crate::helpers::{Options, TestApp, fresh_database, spawn_app_with};

/// Acme with two partner teams of 120 people each in Payments API, and 1,000 legacy
/// workspaces (Ivan is a partner in every 25th: 40 of them, besides his 3 others).
async fn big_acme(dir: &tempfile::TempDir) -> TestApp {
    let database = fresh_database(dir.path()).await;
    let db = partner_server::db::Db::open(database.clone())
        .await
        .unwrap();
    db.generate(2, 120).await.unwrap();
    db.generate_legacy(1000, 0).await.unwrap();
    db.close().await;
    spawn_app_with(Options {
        demo: true,
        database: Some(database),
        ..Options::default()
    })
    .await
}

fn listed(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn big_lists_are_capped_with_their_totals_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let app = big_acme(&dir).await;
    let alice = app.session("alice").await;
    let workspaces = alice.get_json("/api/workspaces?q=Payments%20API").await;
    let payments = workspaces["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["name"] == "Payments API")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Payments API: the demo's 3 partners and 240 generated ones.
    let members = alice
        .get_json(&format!("/api/workspaces/{payments}/members"))
        .await;
    assert_eq!(listed(&members["partners"]), MEMBERS_LISTED);
    assert_eq!(members["partners_total"], 243);
    assert_eq!(
        members["publisher_members_total"],
        listed(&members["publisher_members"])
    );
    // Someone beyond the first 200 is found by search.
    let found = alice
        .get_json(&format!(
            "/api/workspaces/{payments}/members?q=Person%20119%20of%20Blue%20Labs"
        ))
        .await;
    assert_eq!(found["partners_total"], 1, "{found}");
    assert_eq!(
        found["partners"][0]["user"]["name"],
        "Person 119 of Blue Labs 00001"
    );

    // A generated partner team of 120 people.
    let teams = alice.get_json("/api/partnerships?q=00001").await;
    let team = teams["items"][0]["team"]["id"].as_str().unwrap().to_owned();
    let detail = alice.get_json(&format!("/api/partnerships/{team}")).await;
    assert_eq!(listed(&detail["partners"]), DETAIL_PARTNERS_LISTED);
    assert_eq!(detail["partners_total"], 120);
    let searched = alice
        .get_json(&format!("/api/partnerships/{team}?q=person%20119"))
        .await;
    assert_eq!(searched["partners_total"], 1);
    assert_eq!(listed(&searched["partners"]), 1);
    assert_eq!(
        searched["workspaces_total"], detail["workspaces_total"],
        "the team's workspaces don't depend on the search"
    );

    // Initech: Ivan can open 43 of Acme's workspaces.
    let initech = alice.get_json("/api/partnerships?q=initech").await["items"][0]["team"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = alice
        .get_json(&format!("/api/partnerships/{initech}"))
        .await;
    let ivan = &detail["partners"][0];
    assert_eq!(listed(&ivan["workspaces"]), DETAIL_WORKSPACES_LISTED);
    assert_eq!(ivan["workspaces_total"], 43);
    assert_eq!(listed(&detail["workspaces"]), DETAIL_WORKSPACES_LISTED);
    assert_eq!(detail["workspaces_total"], 43);
}
