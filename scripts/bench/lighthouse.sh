#!/usr/bin/env bash
# Lighthouse (issue 8, "Accessibility"): Lighthouse 12.2.3 from npm, driving Debian's
# Chromium, audits the Partnerships page signed in as paul (Acme's Partner Manager) on a
# demo server that serves the release build of dist/. Prints the performance, accessibility
# and best-practices scores (goal 100/100/100). Run by hand, not by CI; it never fails on
# the figures, only on a broken set-up.
#
#   scripts/bench/lighthouse.sh
#   NO_BUILD=1 scripts/bench/lighthouse.sh          # reuse dist/ and target/release
#   REPORT=/tmp/lh.html scripts/bench/lighthouse.sh  # also keep the HTML report
#   PRESET=desktop scripts/bench/lighthouse.sh       # desktop instead of Lighthouse's default
#                                                    # (a mid-range phone: 4x slower CPU, slow 4G)
# Performance depends on the machine's load: run it on an otherwise idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
LIGHTHOUSE_VERSION="12.2.3"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if ! lighthouse --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
  say "Installing lighthouse@$LIGHTHOUSE_VERSION into .tools"
  npm install --silent --no-audit --no-fund --prefix .tools "lighthouse@$LIGHTHOUSE_VERSION" >/dev/null
fi
if [ -z "${NO_BUILD:-}" ]; then
  say "Building the web app (trunk build --release) and the server"
  trunk build --release >/tmp/lighthouse-trunk.log 2>&1 || { tail -40 /tmp/lighthouse-trunk.log >&2; exit 1; }
  cargo build --quiet --release -p partner-server
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
say "Starting partner-server --demo on $BASE"
target/release/partner-server --demo --static-dir dist --addr "127.0.0.1:$PORT" \
  --database "$WORK/lighthouse.db" --public-url "$BASE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 200); do
  curl -fsS "$BASE/api/health" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
  sleep 0.1
done

say "Signing in as paul@acme.test"
curl -fsS -c "$WORK/cookies" -o /dev/null \
  -H 'Content-Type: application/json' -H 'X-Requested-With: partner-workspaces' \
  -d '{"email":"paul@acme.test","password":"partner-demo"}' "$BASE/api/session"
COOKIE="$(awk '!/^#/ || /^#HttpOnly_/ { if (NF >= 7) printf "%s%s=%s", (n++ ? "; " : ""), $6, $7 }' "$WORK/cookies")"
[ -n "$COOKIE" ] || { echo "no session cookie after signing in" >&2; exit 1; }
HEADERS="$(python3 -c 'import json, sys; print(json.dumps({"Cookie": sys.argv[1]}))' "$COOKIE")"

PRESET_ARGS=()
[ -n "${PRESET:-}" ] && PRESET_ARGS=(--preset="$PRESET")

say "Lighthouse${PRESET:+ ($PRESET)} on /settings/team/partnerships/external-partners"
lighthouse "$BASE/settings/team/partnerships/external-partners" \
  --quiet "${PRESET_ARGS[@]}" \
  --only-categories=performance,accessibility,best-practices \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
  --extra-headers="$HEADERS" \
  --output=json --output-path="$WORK/report.json"
if [ -n "${REPORT:-}" ]; then
  lighthouse "$BASE/settings/team/partnerships/external-partners" --quiet "${PRESET_ARGS[@]}" \
    --only-categories=performance,accessibility,best-practices \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    --extra-headers="$HEADERS" --output=html --output-path="$REPORT"
fi

node -e '
  const r = require(process.argv[1]);
  if (r.finalDisplayedUrl && !r.finalDisplayedUrl.includes("/partnerships/")) {
    console.error("Lighthouse ended on " + r.finalDisplayedUrl + ": the session cookie was not used");
  }
  for (const id of ["performance", "accessibility", "best-practices"]) {
    const c = r.categories[id];
    console.log(`${c.title.padEnd(16)} ${Math.round(c.score * 100)}`);
  }
  for (const id of ["performance", "accessibility", "best-practices"]) {
    for (const ref of r.categories[id].auditRefs) {
      const a = r.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) {
        console.log(`  ${id}: ${a.id} (${a.score}) ${a.displayValue || a.title}`);
      }
    }
  }
' "$WORK/report.json"
