//! `partner-server generate`: bulk partner teams that the API then serves like any other.

use crate::helpers::{Options, fresh_database, spawn_app_with};

#[tokio::test]
async fn generated_partner_teams_are_listed_paged_and_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let db = partner_server::db::Db::open(database.clone())
        .await
        .unwrap();
    let generated = db.generate(120, 3).await.unwrap();
    assert_eq!((generated.teams, generated.partners), (120, 360));
    // Running it again adds nothing.
    assert_eq!(db.generate(120, 3).await.unwrap().partners, 0);
    db.close().await;

    let app = spawn_app_with(Options {
        database: Some(database),
        ..Options::default()
    })
    .await;
    let paul = app.session("paul").await;

    let first = paul.get_json("/api/partnerships?per_page=50").await;
    assert_eq!(first["total"], 123, "3 demo partner teams + 120 generated");
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let last = paul.get_json("/api/partnerships?per_page=50&page=3").await;
    assert_eq!(last["items"].as_array().unwrap().len(), 23);
    let search = paul.get_json("/api/partnerships?q=00042").await;
    assert_eq!(search["total"], 1);
    assert_eq!(search["items"][0]["partner_count"], 3);
}
