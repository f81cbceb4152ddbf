//! Serving a Trunk `dist/`: files as they are (precompressed variants when present), and
//! index.html for every other path so deep links work on reload.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

/// The service behind every path that is not `/api/*`.
pub fn service(dir: &Path) -> ServeDir<ServeFile> {
    let index = ServeFile::new(dir.join("index.html"));
    ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(true)
        .fallback(index)
}
