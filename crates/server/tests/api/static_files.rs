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

#[tokio::test]
async fn the_web_app_is_served_with_security_and_cache_headers() {
    let dist = dist();
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><script type=\"module\">import init from '/app-0123456789abcdef.js';</script>",
    )
    .unwrap();
    std::fs::write(
        dist.path().join("app-0123456789abcdef.js"),
        "export default 1",
    )
    .unwrap();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    let page = app.get("/workspace/abc").await;
    let headers = page.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
        "{csp}"
    );
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("script-src 'self' 'unsafe-inline'"), "{csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(
        headers["referrer-policy"],
        "strict-origin-when-cross-origin"
    );
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["cache-control"], "no-cache");

    let script = app.get("/app-0123456789abcdef.js").await;
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
}

#[tokio::test]
async fn precompressed_files_are_served_to_browsers_that_accept_them() {
    let dist = dist();
    std::fs::write(dist.path().join("app-1234.js.br"), b"brotli bytes").unwrap();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    let response = app
        .client
        .get(app.url("/app-1234.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();

    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli bytes");
}
