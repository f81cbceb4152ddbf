#!/usr/bin/env bash
# Partnerships page at scale (issue 4): generates 10,000 partner teams x 10 partners, starts
# the server on that database (serving the Trunk build when dist/ exists), signs in as paul
# (Acme's Partner Manager) and times, with curl, what the page asks for when it opens and
# when someone searches: one 50-row page each, never every team. Prints figures (median of
# RUNS requests, the answer's size and its item count); it never fails on a figure.
#
#   scripts/bench-partnerships.sh
#   TEAMS=10000 PARTNERS=10 RUNS=20 scripts/bench-partnerships.sh
#   SERVER=target/debug/partner-server scripts/bench-partnerships.sh   # skip the release build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TEAMS="${TEAMS:-10000}"
PARTNERS="${PARTNERS:-10}"
RUNS="${RUNS:-15}"
PAGE="/settings/team/partnerships/external-partners"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

if [ -z "${SERVER:-}" ]; then
  say "Building the release server"
  cargo build --quiet --release -p partner-server
  SERVER="$ROOT/target/release/partner-server"
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
trap cleanup EXIT INT TERM

say "Generating $TEAMS partner teams x $PARTNERS partners"
start=$(date +%s%N)
"$SERVER" generate --database "$WORK/bench.db" --teams "$TEAMS" --partners-per-team "$PARTNERS" >&2
echo "generate: $(( ($(date +%s%N) - start) / 1000000 )) ms"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
STATIC=()
[ -f dist/index.html ] && STATIC=(--static-dir dist)
"$SERVER" --addr "127.0.0.1:$PORT" --database "$WORK/bench.db" "${STATIC[@]}" \
  >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
deadline=$((SECONDS + 30))
until curl -fsS "$BASE/api/health" >/dev/null 2>&1; do
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; echo "the server exited" >&2; exit 1; }
  [ "$SECONDS" -lt "$deadline" ] || { echo "the server did not answer in 30 s" >&2; exit 1; }
  sleep 0.1
done

say "Signing in as paul@acme.test"
JAR="$WORK/cookies"
curl -fsS -c "$JAR" -o /dev/null -H 'Content-Type: application/json' \
  -H 'X-Requested-With: partner-workspaces' \
  -d '{"email":"paul@acme.test","password":"partner-demo"}' "$BASE/api/session"

# measure PATH: the median time_total of RUNS requests (after one warm-up), in ms, and the
# answer's size and, for lists, "items/total".
measure() {
  local path="$1" times=() body="$WORK/body"
  curl -fsS -b "$JAR" -o "$body" "$BASE$path"
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -fsS -b "$JAR" -o "$body" -w '%{time_total}' "$BASE$path")")
  done
  local median
  median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)] * 1000}')"
  local size items
  size="$(wc -c <"$body")"
  items="$(python3 - "$body" <<'PY' 2>/dev/null || echo -
import json, sys
try:
    answer = json.load(open(sys.argv[1]))
except ValueError:
    answer = None
if isinstance(answer, dict) and "items" in answer:
    print("%d items of %d" % (len(answer["items"]), answer["total"]))
else:
    print("-")
PY
)"
  printf '%-72s %8.1f ms %9s bytes  %s\n' "$path" "$median" "$size" "$items"
}

say "Median of $RUNS requests each"
printf '%-72s %11s %15s  %s\n' "request" "time" "size" "items"
if [ "${#STATIC[@]}" -gt 0 ]; then
  measure "$PAGE"
fi
# What the page sends when it opens (all at once).
measure "/api/partnerships?page=1&per_page=50"
measure "/api/partnerships/sso-coverage"
measure "/api/access-requests?status=pending&per_page=200"
measure "/api/seats"
# A search, as typed and debounced, then sorted and filtered, and a deep page.
measure "/api/partnerships?q=glo&page=1&per_page=50"
measure "/api/partnerships?q=north&page=1&per_page=50"
measure "/api/partnerships?q=zzz-nothing&page=1&per_page=50"
measure "/api/partnerships?sort=-last_active&page=1&per_page=50"
measure "/api/partnerships?sso=not_enforced&sort=-partners&page=1&per_page=50"
measure "/api/partnerships?page=200&per_page=50"
# One team's detail (the drawer).
TEAM="$(curl -fsS -b "$JAR" "$BASE/api/partnerships?q=glo&per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["team"]["id"])')"
measure "/api/partnerships/$TEAM"
