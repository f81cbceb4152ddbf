//! Serving a Trunk `dist/`: files as they are (precompressed `.br`/`.gz` variants when
//! present), index.html for every other path so deep links work on reload, and the
//! security and cache headers a production deployment needs.

use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use anyhow::Context;
use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tower::{ServiceExt, service_fn};
use tower_http::services::{ServeDir, ServeFile};

use crate::error::AppError;

/// Files whose name carries a content hash (Trunk's `name-0123456789abcdef.ext`) never
/// change, so browsers may keep them for a year.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Paths that name a file of the build (by its extension), not a page of the app: when such
/// a file is missing the answer is 404. index.html instead would reach a script or wasm
/// loader as HTML and, under a hashed name, be kept by the browser for a year.
fn is_asset(path: &str) -> bool {
    const EXTENSIONS: [&str; 12] = [
        "wasm", "js", "mjs", "css", "map", "br", "gz", "svg", "png", "ico", "json", "txt",
    ];
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('.')
        .is_some_and(|(_, extension)| EXTENSIONS.contains(&extension))
}

/// The Content-Security-Policy for the app: only its own scripts (plus the inline loader
/// Trunk writes into index.html, allowed by its hash) and what wasm needs.
pub fn content_security_policy(index_html: &str) -> String {
    let mut script_hashes = String::new();
    let mut rest = index_html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(open_end) = after_tag.find('>') else {
            break;
        };
        let body_and_rest = &after_tag[open_end + 1..];
        let Some(close) = body_and_rest.find("</script>") else {
            break;
        };
        let opening = &after_tag[..open_end];
        if !opening.contains("src=") {
            let digest = Sha256::digest(&body_and_rest.as_bytes()[..close]);
            script_hashes.push_str(&format!(" 'sha256-{}'", base64(&digest)));
        }
        rest = &body_and_rest[close..];
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{script_hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The Content-Security-Policy of the index.html in `dist/` now: recomputed when the file
/// changes, so a new build copied under a running server is allowed its own inline loader
/// (a policy kept from the old file would block it and leave a blank page).
struct IndexPolicy {
    path: PathBuf,
    seen: Mutex<(Option<SystemTime>, HeaderValue)>,
}

impl IndexPolicy {
    fn new(path: PathBuf) -> anyhow::Result<Self> {
        let (modified, policy) = Self::read(&path).with_context(|| {
            format!(
                "reading {} (run `trunk build --release` first)",
                path.display()
            )
        })?;
        Ok(Self {
            path,
            seen: Mutex::new((modified, policy)),
        })
    }

    fn read(path: &Path) -> anyhow::Result<(Option<SystemTime>, HeaderValue)> {
        let modified = std::fs::metadata(path)?.modified().ok();
        let index = std::fs::read_to_string(path)?;
        Ok((
            modified,
            HeaderValue::from_str(&content_security_policy(&index))?,
        ))
    }

    /// The policy for the file as it is; the last good one while it can't be read (a
    /// deploy half-way through copying).
    fn current(&self) -> HeaderValue {
        // A stat per request: microseconds, and only for the web app's own files.
        let modified = std::fs::metadata(&self.path)
            .and_then(|m| m.modified())
            .ok();
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        if modified.is_some()
            && modified != seen.0
            && let Ok(fresh) = Self::read(&self.path)
        {
            *seen = fresh;
        }
        seen.1.clone()
    }
}

/// The router behind every path that is not `/api/*`.
pub fn router(dir: &Path) -> anyhow::Result<Router> {
    let index_path = dir.join("index.html");
    let policy = Arc::new(IndexPolicy::new(index_path.clone())?);
    // Deep links get index.html, precompressed like every other file; a missing file of the
    // build (an old tab's chunk after a deploy) gets a 404, never index.html.
    let index_file = ServeFile::new(index_path)
        .precompressed_br()
        .precompressed_gzip();
    let fallback = service_fn(move |request: Request| {
        let index_file = index_file.clone();
        async move {
            if is_asset(request.uri().path()) {
                return Ok::<_, Infallible>(AppError::NotFound.into_response());
            }
            Ok(index_file.oneshot(request).await.into_response())
        }
    });
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(fallback);
    Ok(Router::new()
        .fallback_service(files)
        .layer(middleware::from_fn(move |request: Request, next: Next| {
            let csp = policy.current();
            async move { with_headers(request, next, csp).await }
        })))
}

async fn with_headers(request: Request, next: Next, csp: HeaderValue) -> Response {
    let immutable = is_hashed_asset(request.uri().path());
    let mut response = next.run(request).await;
    let cache = if immutable && response.status().is_success() {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    // The same URL answers brotli, gzip or plain bytes: caches must key on what was accepted.
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_the_build_are_told_from_pages_by_their_extension() {
        for asset in [
            "/partner-workspaces-8332594919f0290a.js",
            "/split_route_audit_log-0123456789abcdef.wasm",
            "/__wasm_split.js",
            "/snippets/x/inline0.js",
            "/main.css",
            "/favicon.svg",
        ] {
            assert!(is_asset(asset), "{asset}");
        }
        for page in [
            "/",
            "/workspaces",
            "/workspace/w_ab-12/settings",
            "/settings/team/partnerships/external-partners",
            "/join/abc.def",
            "/signin",
        ] {
            assert!(!is_asset(page), "{page}");
        }
    }

    #[test]
    fn trunk_file_names_with_hashes_are_immutable() {
        assert!(is_hashed_asset("/partner-workspaces-8332594919f0290a.js"));
        assert!(is_hashed_asset(
            "/partner-workspaces-204e364753247bd_bg.wasm"
        ));
        assert!(is_hashed_asset("/main-48715ebfbb97611e.css"));
        assert!(!is_hashed_asset("/main.css"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/workspace/0b7e2f1c9d"));
    }

    #[test]
    fn the_policy_allows_the_inline_loader_by_its_hash_only() {
        let html = "<script type=\"module\">init()</script><script src=\"/x.js\"></script>";
        let csp = content_security_policy(html);
        let expected = base64(&Sha256::digest(b"init()"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(
            !csp.contains("unsafe-inline'; img")
                || csp.contains("style-src 'self' 'unsafe-inline'")
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
