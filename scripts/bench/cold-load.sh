#!/usr/bin/env bash
# Cold-load benchmark (issue 8, "Benchmarks" 2): the release web app and a hand-written
# baseline page (scripts/bench/baseline/), both served by the release partner-server over
# loopback from a temporary copy of dist/ with demo data, loaded cold >= 10 times each in
# headless Chromium by cold_load.mjs (playwright-core, installed into .tools if missing).
# Prints every load's milestones, medians/worst and the app/baseline ratio; never fails on them.
# A third variant, the same build without index.html's early requests (issue 18) on a second
# server, alternates with them, so what early data is worth is measured pair by pair.
#
#   scripts/bench/cold-load.sh                # build web app + server, 15 loads each
#   LOADS=30 scripts/bench/cold-load.sh
#   NO_BUILD=1 scripts/bench/cold-load.sh     # measure the dist/ and server that are there
#   TRACE=/tmp/cold.json scripts/bench/cold-load.sh   # + one traced app load, saved there and
#                                             # summed up: main-thread time per phase and kind
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/scripts/bench"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ ! -d .tools/node_modules/playwright-core ]; then
  say "Installing playwright-core into .tools"
  npm install --prefix .tools --no-audit --no-fund playwright-core@1 >/dev/null
fi
if [ -z "${NO_BUILD:-}" ]; then
  say "Building the web app (trunk build --release) and the server"
  trunk build --release >/tmp/cold-load-trunk.log 2>&1 || { tail -40 /tmp/cold-load-trunk.log >&2; exit 1; }
  cargo build --quiet --release -p partner-server
fi

WORK="$(mktemp -d)"
SERVER_PID="" SERVER2_PID=""
cleanup() {
  for pid in $SERVER_PID $SERVER2_PID; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT

# The app as built plus the baseline page: one static dir, one server, one origin.
cp -r dist "$WORK/static"
cp "$BENCH/baseline/baseline.html" "$BENCH/baseline/baseline.js" "$WORK/static/"
# The same app without the early requests: index.html without its inline early-data script.
cp -r dist "$WORK/static-no-early"
rm -f "$WORK/static-no-early/index.html.br" "$WORK/static-no-early/index.html.gz"
python3 - "$WORK/static-no-early/index.html" <<'PY'
import re, sys
path = sys.argv[1]
html = open(path).read()
stripped, n = re.subn(r"<script>(?:(?!</script>).)*__partnerEarly(?:(?!</script>).)*</script>", "", html, flags=re.S)
assert n == 1, "index.html has no early-data script"
open(path, "w").write(stripped)
PY

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_up() { # PORT PID LOG
  for _ in $(seq 1 200); do
    curl -fsS "http://127.0.0.1:$1/api/health" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; exit 1; }
    sleep 0.1
  done
}
PORT="$(free_port)"
say "Starting partner-server --demo on 127.0.0.1:$PORT"
target/release/partner-server --demo --static-dir "$WORK/static" --addr "127.0.0.1:$PORT" \
  --database "$WORK/bench.db" --scheduled-migrations false >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
wait_up "$PORT" "$SERVER_PID" "$WORK/server.log"
# The no-early variant: a second server on the same database (sessions are shared; cookies
# don't tell ports apart).
PORT2="$(free_port)"
target/release/partner-server --static-dir "$WORK/static-no-early" --addr "127.0.0.1:$PORT2" \
  --database "$WORK/bench.db" --scheduled-migrations false >"$WORK/server2.log" 2>&1 &
SERVER2_PID=$!
wait_up "$PORT2" "$SERVER2_PID" "$WORK/server2.log"

say "Cold loads (app and baseline alternate)"
BASE_URL="http://127.0.0.1:$PORT" NO_EARLY_URL="http://127.0.0.1:$PORT2" \
  node "$BENCH/cold_load.mjs"
