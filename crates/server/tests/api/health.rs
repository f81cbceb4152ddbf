use crate::helpers::{count, fresh_database, json, spawn_app};

#[tokio::test]
async fn health_answers_with_the_schema_version() {
    let app = spawn_app().await;

    let response = app.get("/api/health").await;

    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["status"], "ok");
    assert!(body["schema_version"].as_i64().unwrap() >= 1, "{body}");
}

#[tokio::test]
async fn unknown_api_paths_answer_json_404() {
    let app = spawn_app().await;

    let response = app.get("/api/no-such-thing").await;

    assert_eq!(response.status(), 404);
    let body = json(response).await;
    assert_eq!(body["error"]["code"], "not_found");
    assert!(body["error"]["message"].as_str().unwrap().len() > 10);
}

#[tokio::test]
async fn wrong_methods_answer_json_405() {
    let app = spawn_app().await;

    let response = app
        .anonymous()
        .send(reqwest::Method::DELETE, "/api/health", None)
        .await;

    assert_eq!(response.status(), 405);
    assert_eq!(json(response).await["error"]["code"], "method_not_allowed");
}

#[tokio::test]
async fn demo_data_loads_once_however_often_the_server_starts() {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_database(dir.path()).await;
    let mut config = partner_server::Config::for_tests(database.clone());
    config.demo = true;

    for _ in 0..2 {
        let app = partner_server::Application::build(config.clone())
            .await
            .unwrap();
        drop(app);
    }

    let db = partner_server::db::Db::open(database).await.unwrap();
    let teams: i64 = count(&db, "SELECT COUNT(*) FROM teams", &[]).await;
    let users: i64 = count(&db, "SELECT COUNT(*) FROM users", &[]).await;
    assert_eq!((teams, users), (6, 12));
}
