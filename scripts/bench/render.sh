#!/usr/bin/env bash
# Render benchmark (issue 8, "Benchmarks" 3): 1,000 partner rows drawn by the real
# PartnerTeamsTable vs a hand-written web-sys loop building the same DOM, in one headless
# Chromium run (tests/render/main.rs, wasm-bindgen-test, release profile, `bench` feature so
# the normal test run skips it). Prints each iteration, the medians and the ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
cargo test --release --target wasm32-unknown-unknown -p partner-workspaces --features bench \
  --test render -- --nocapture 2>&1 | grep -v '^\s*$' | grep -E 'render bench|PartnerTeamsTable|web-sys|median|ratio|test result|error|panicked|FAIL' || true
