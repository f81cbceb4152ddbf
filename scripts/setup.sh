#!/usr/bin/env bash
# Installs what the app and its tests need on a fresh Debian 12 machine with rustup, cargo,
# node and npm. Idempotent: every step skips what is already there. Sourced by dev.sh and
# test.sh (it exports PATH); can also be run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TRUNK_VERSION="0.22.1"
BINARYEN_VERSION="132"
# The wasm-bindgen CLI must match the library exactly; Cargo.toml pins it with "=".
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_OFFLINE=true
export TRUNK_SKIP_VERSION_CHECK=true

# 1. The pinned nightly (stylers needs it) with the wasm target; RUSTUP_AUTO_INSTALL may be 0.
if ! rustup run "$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)" rustc --version >/dev/null 2>&1 \
   || ! rustup target list --installed | grep -q wasm32-unknown-unknown; then
  say "Installing the Rust toolchain of rust-toolchain.toml"
  rustup toolchain install
fi

# 2. Debian packages: Chromium and its driver for browser tests, brotli for size figures,
#    OpenSSL headers for the test crates, PostgreSQL and nginx.
need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
command -v brotli >/dev/null || need_apt+=(brotli)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
dpkg -s libssl-dev >/dev/null 2>&1 || need_apt+=(libssl-dev)
# PostgreSQL 15 (the scale-out backend; its tests start a throwaway cluster) and nginx (the
# balancer in front of several servers in the cluster tests).
[ -x /usr/lib/postgresql/15/bin/initdb ] || need_apt+=(postgresql-15)
command -v nginx >/dev/null || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "Installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# 3. Trunk (built from crates.io; it must never download tools itself).
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "Installing trunk $TRUNK_VERSION (takes several minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# 4. wasm-bindgen-cli at exactly the library's version, not --locked: its lockfile pins a
#    crate the registry here lacks. Built outside the repo with the machine's default
#    toolchain, whose `cargo install` does not apply that lockfile (the pinned nightly's does).
#    Also provides wasm-bindgen-test-runner.
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  (cd / && cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION")
fi

# 5. wasm-opt from npm's binaryen (Debian's binaryen 108 produces broken output).
if ! "$ROOT/.tools/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  say "Installing wasm-opt (binaryen@$BINARYEN_VERSION from npm)"
  mkdir -p "$ROOT/.tools"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "binaryen@$BINARYEN_VERSION" >/dev/null
fi

# 5b. axe-core (npm) for the accessibility audit of the e2e suite (tests/e2e/a11y.rs).
AXE_VERSION="4"
if [ ! -f "$ROOT/.tools/node_modules/axe-core/axe.min.js" ]; then
  say "Installing axe-core@$AXE_VERSION (npm)"
  mkdir -p "$ROOT/.tools"
  npm install --silent --no-audit --no-fund --prefix "$ROOT/.tools" "axe-core@$AXE_VERSION" >/dev/null
fi

# 6. The OpenAPI validator (PyPI) that checks the document the server generates.
if ! python3 -c "import openapi_spec_validator" 2>/dev/null; then
  say "Installing openapi-spec-validator (pip)"
  python3 -m pip install --quiet --user openapi-spec-validator 2>/dev/null \
    || python3 -m pip install --quiet openapi-spec-validator
fi

# 6b. schemathesis (PyPI): the adversarial run of test.sh against the server's OpenAPI
#     document. Major version 4: its command line differs from 3.x.
if ! python3 -c "import schemathesis, sys; sys.exit(not schemathesis.__version__.startswith('4.'))" 2>/dev/null; then
  say "Installing schemathesis 4 (pip)"
  python3 -m pip install --quiet --user "schemathesis>=4.32,<5" 2>/dev/null \
    || python3 -m pip install --quiet "schemathesis>=4.32,<5"
fi

# 7. Crates, so offline Trunk (which passes --offline to cargo) finds them.
cargo fetch --quiet
