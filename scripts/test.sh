#!/usr/bin/env bash
# Runs every test: formatting, lints, host tests (server, API contract, pure web logic),
# component tests in headless Chromium, the release build, and the end-to-end tests.
# Exits non-zero on the first failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"
export CHROMEDRIVER=/usr/bin/chromedriver

step() { say "$1"; shift; "$@"; }

step "cargo fmt --check" cargo fmt --all --check
step "clippy (host)" cargo clippy --workspace --all-targets --all-features --quiet -- -D warnings
step "clippy (wasm)" cargo clippy -p partner-workspaces --target wasm32-unknown-unknown --all-targets --quiet -- -D warnings
step "host tests" cargo test --workspace
step "OpenAPI document validates" sh -c \
  'cargo run --quiet -p partner-server -- openapi > target/openapi.json && python3 -m openapi_spec_validator target/openapi.json'
step "component tests (wasm-bindgen-test, headless Chromium)" \
  cargo test -p partner-workspaces --target wasm32-unknown-unknown
step "trunk build --release" trunk build --release
step "partner-server build for the end-to-end tests" cargo build -p partner-server
step "end-to-end tests (real server, Trunk build, Chromium)" \
  cargo test -p partner-workspaces --features e2e --test e2e
say "All tests passed"
