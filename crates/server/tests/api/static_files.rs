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
async fn a_missing_file_of_the_build_is_a_404_never_the_web_app() {
    let dist = dist();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    // An old tab asking for a chunk of the build before the last deploy: index.html would
    // reach the wasm loader as HTML, and under a hashed name be kept for a year.
    for path in [
        "/split_route_audit_log-0123456789abcdef.wasm",
        "/partner-workspaces-0123456789abcdef.js",
        "/main-0123456789abcdef.css",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found", "{path}");
    }
    // A page whose last segment has a dot is still a page.
    let page = app.get("/join/abc.def").await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("app shell"));
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

#[tokio::test]
async fn wasm_is_served_as_application_wasm_plain_or_precompressed_and_kept_for_a_year() {
    let dist = dist();
    let wasm = "partner-workspaces-d0e623479ebfcce_bg.wasm";
    std::fs::write(dist.path().join(wasm), b"\0asm plain").unwrap();
    std::fs::write(dist.path().join(format!("{wasm}.br")), b"brotli wasm").unwrap();
    std::fs::write(dist.path().join(format!("{wasm}.gz")), b"gzip wasm").unwrap();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;
    // A client that decompresses nothing, so the bytes show which variant came.
    let raw = reqwest::Client::new();

    for (accept, encoding, body) in [
        (None, None, &b"\0asm plain"[..]),
        (
            Some("gzip, deflate, br, zstd"),
            Some("br"),
            &b"brotli wasm"[..],
        ),
        (Some("gzip"), Some("gzip"), &b"gzip wasm"[..]),
    ] {
        let mut request = raw.get(app.url(&format!("/{wasm}")));
        if let Some(accept) = accept {
            request = request.header("accept-encoding", accept);
        }
        let response = request.send().await.unwrap();
        let headers = response.headers().clone();

        assert_eq!(response.status(), 200, "{accept:?}");
        // WebAssembly.instantiateStreaming compiles while downloading only for this type.
        assert_eq!(headers["content-type"], "application/wasm", "{accept:?}");
        assert_eq!(
            headers.get("content-encoding").map(|v| v.to_str().unwrap()),
            encoding,
            "{accept:?}"
        );
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{accept:?}"
        );
        assert_eq!(headers["vary"], "accept-encoding", "{accept:?}");
        assert_eq!(response.bytes().await.unwrap().as_ref(), body, "{accept:?}");
    }
}

#[tokio::test]
async fn deep_links_get_the_precompressed_index_and_are_never_cached() {
    let dist = dist();
    std::fs::write(dist.path().join("index.html.br"), b"brotli shell").unwrap();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;

    let response = reqwest::Client::new()
        .get(app.url("/settings/team/partnerships/external-partners"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["cache-control"], "no-cache");
    assert_eq!(response.headers()["vary"], "accept-encoding");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli shell");
}

#[tokio::test]
async fn a_new_build_under_a_running_server_gets_its_own_policy() {
    let dist = dist();
    let page = |loader: &str| {
        format!("<!doctype html><script type=\"module\">import init from '/{loader}';</script>")
    };
    std::fs::write(
        dist.path().join("index.html"),
        page("app-0000000000000001.js"),
    )
    .unwrap();
    let app = spawn_app_with(Options {
        static_dir: Some(dist.path().to_owned()),
        ..Options::default()
    })
    .await;
    let policy = |response: reqwest::Response| {
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let before = policy(app.get("/workspaces").await);
    assert_eq!(policy(app.get("/workspaces").await), before);

    // A deploy writes a new index.html whose inline loader names new files. Some
    // filesystems keep modification times to the second: make the change visible.
    let index = dist.path().join("index.html");
    std::fs::write(&index, page("app-0000000000000002.js")).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let after = policy(app.get("/workspaces").await);
    assert_ne!(after, before, "the policy follows the new index.html");
    let expected =
        partner_server::static_files::content_security_policy(&page("app-0000000000000002.js"));
    assert_eq!(after, expected);
}
