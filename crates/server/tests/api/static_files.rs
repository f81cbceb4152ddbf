use crate::helpers::{Options, spawn_app_with};

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><title>app shell</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("app-1234.js"), "console.log('app')").unwrap();
    dir
}

#[tokio::test]
async fn deep_links_get_the_web_app_and_files_come_as_they_are() {
    let dist = dist();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    let deep = app
        .get("/settings/team/partnerships/external-partners?sort=name")
        .await;
    assert_eq!(deep.status(), 200);
    assert!(deep.text().await.unwrap().contains("app shell"));

    let script = app.get("/app-1234.js").await;
    assert_eq!(script.status(), 200);
    assert_eq!(script.text().await.unwrap(), "console.log('app')");
}

#[tokio::test]
async fn api_paths_never_fall_back_to_the_web_app() {
    let dist = dist();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    let response = app.get("/api/workspace/oops").await;

    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
}
