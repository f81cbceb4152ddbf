#!/usr/bin/env bash
# Runs the app: partner-server with the demo data on :3000 and `trunk serve` on :8080
# (proxying /api to the server). Ctrl-C stops both.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

SERVER_ADDR="127.0.0.1:3000"
APP_URL="http://127.0.0.1:8080"

say "Building partner-server"
cargo build --quiet -p partner-server

pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

target/debug/partner-server --demo --addr "$SERVER_ADDR" --public-url "$APP_URL" &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fsS "http://$SERVER_ADDR/api/health" >/dev/null 2>&1 && break
  kill -0 "${pids[0]}" 2>/dev/null || { echo "partner-server did not start" >&2; exit 1; }
  sleep 0.1
done

say "Building the web app (first build takes a few minutes)"
trunk serve &
pids+=($!)
until curl -fsS "$APP_URL/" >/dev/null 2>&1; do
  kill -0 "${pids[1]}" 2>/dev/null || { echo "trunk serve stopped" >&2; exit 1; }
  sleep 1
done

printf '\n  Partner Workspaces is running at %s\n\n' "$APP_URL"
cat "$ROOT/scripts/demo-sign-ins.txt"
printf '\n  Ctrl-C stops the server and trunk.\n\n'
wait
