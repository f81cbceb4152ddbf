#!/bin/sh
# Trunk post-build hook: ships the stylers CSS (collected by build.rs) as /main.css and, in
# release builds, writes brotli and gzip copies of every text asset for partner-server to
# serve precompressed.
set -eu
cp target/main.css "$TRUNK_STAGING_DIR/main.css"
if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  for file in "$TRUNK_STAGING_DIR"/*.wasm "$TRUNK_STAGING_DIR"/*.js "$TRUNK_STAGING_DIR"/*.css \
              "$TRUNK_STAGING_DIR"/*.html "$TRUNK_STAGING_DIR"/*.svg; do
    [ -f "$file" ] || continue
    brotli --force --keep --best "$file"
    gzip --force --keep --best "$file"
  done
fi
