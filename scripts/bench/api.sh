#!/usr/bin/env bash
# API benchmark (issue 8, "Benchmarks" 4): the release server on a database generated with
# 10,000 partner teams x 10 partners, loaded over loopback by wrk at 64 connections:
#   1. GET /api/health                        (the trivial baseline)
#   2. GET /api/partnerships?q=..&page=..     (signed in as paul, Acme's Partner Manager;
#                                              paths vary, see partnerships.lua)
#   3. the paths of 2 on one connection       (what one request costs, without queueing)
#   4. the paths of 2 with --list-cache-mb 0  (every page computed by the database; 1-3
#                                              run with answered pages kept, LIST_CACHE_MB)
# Prints requests/s and the ratio of 2 to 1, p50/p99 latency, errors, the server's CPU time
# per request and its memory. It prints figures and never fails on them (only on a broken
# set-up).
#
#   scripts/bench/api.sh                 # 10 s per load, 64 connections
#   DURATION=30 CONNECTIONS=64 TEAMS=10000 scripts/bench/api.sh
#   PROFILE=server scripts/bench/api.sh  # the server built with opt-level 3 (see README)
#   SERVER=path/to/partner-server scripts/bench/api.sh   # skip the build, measure that binary
#   BACKEND=postgres scripts/bench/api.sh               # on a throwaway PostgreSQL
#   BACKEND=postgres SERVERS=2 scripts/bench/api.sh     # two servers behind nginx (round robin)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/scripts/bench"
cd "$ROOT"

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
# Build profile: "release" (the workspace's, tuned for the wasm bundle) or a custom one
# passed through --config, e.g. PROFILE=server (see README "Performance").
PROFILE="${PROFILE:-release}"
TEAMS="${TEAMS:-10000}"
PARTNERS="${PARTNERS:-10}"
SERVERS="${SERVERS:-1}"

source "$BENCH/lib.sh"
need_commands wrk curl
[ "$SERVERS" -gt 1 ] && need_commands nginx
[ "$SERVERS" -gt 1 ] && [ "$BACKEND" != postgres ] && { echo "SERVERS > 1 needs BACKEND=postgres" >&2; exit 2; }

if [ -z "${SERVER:-}" ]; then
  if [ "$PROFILE" = release ]; then
    say "Building the release server"
    cargo build --quiet --release -p partner-server
  else
    # A server profile without touching Cargo.toml: release with opt-level 3 (the
    # workspace's release profile optimises for size, for the wasm bundle) and unwinding
    # panics. Built into target/$PROFILE, beside (not over) target/release.
    say "Building the server with profile $PROFILE (opt-level 3)"
    cargo build --quiet -p partner-server --profile "$PROFILE" \
      --config "profile.$PROFILE.inherits=\"release\"" --config "profile.$PROFILE.opt-level=3" \
      --config "profile.$PROFILE.lto=\"thin\"" --config "profile.$PROFILE.codegen-units=16" \
      --config "profile.$PROFILE.panic=\"unwind\""
  fi
  SERVER="$ROOT/target/$PROFILE/partner-server"
fi

WORK="$(mktemp -d)"
SERVER_PIDS=()
BALANCER_PID=""
stop_servers() {
  for pid in "${SERVER_PIDS[@]}" $BALANCER_PID; do
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  done
  SERVER_PIDS=(); BALANCER_PID=""
}
cleanup() {
  stop_servers
  bench_backend_stop
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
bench_backend_start "$WORK"
DATABASE="$(bench_database "$WORK" bench)"

say "Generating $TEAMS partner teams x $PARTNERS partners ($BACKEND)"
"$SERVER" generate --database "$DATABASE" --teams "$TEAMS" --partners-per-team "$PARTNERS" >&2

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
# Starts $SERVERS servers on the generated database (behind nginx on $PORT when more than
# one), each keeping $1 MB of answered list pages.
start_servers() {
  local ports=()
  for n in $(seq "$SERVERS"); do
    local port="$PORT"
    [ "$SERVERS" -gt 1 ] && port="$(free_port)"
    start_server "$SERVER" "$port" "$WORK/server-$n.log" --database "$DATABASE" \
      --scheduled-migrations false --list-cache-mb "$1" --sign-in-servers "$SERVERS" \
      --trusted-proxy 127.0.0.1/32
    SERVER_PIDS+=("$SERVER_PID")
    ports+=("$port")
  done
  [ "$SERVERS" -gt 1 ] && start_balancer "$WORK/nginx" "$PORT" "${ports[@]}"
  return 0
}
start_servers 0

curl -fsS -c "$WORK/cookies" -o /dev/null -H 'content-type: application/json' \
  -H 'x-requested-with: partner-workspaces' \
  -d '{"email":"paul@acme.test","password":"partner-demo"}' "$BASE/api/session"
SESSION="$(awk '$6 == "pw_session" { print $7 }' "$WORK/cookies")"
[ -n "$SESSION" ] || { echo "signing in as paul failed" >&2; exit 1; }
total="$(curl -fsS -H "Cookie: pw_session=$SESSION" "$BASE/api/partnerships?per_page=1" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])')"
say "paul sees $total partner teams"

# The servers' CPU time so far, in clock ticks (user + system), all servers together.
cpu_ticks() {
  local total=0
  for pid in "${SERVER_PIDS[@]}"; do total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat"))); done
  echo "$total"
}

# Prints "requests_per_s p50_ms p99_ms errors cpu_us_per_request" for one load.
load() {
  local name="$1" url="$2" script="$3" connections="$4"; shift 4
  say "Loading $name: $connections connections for ${DURATION} s"
  local out before after db_before db_after
  before="$(cpu_ticks)"; db_before="$(db_cpu_ticks)"
  out="$(wrk -t"$THREADS" -c"$connections" -d"${DURATION}s" --timeout 10s -s "$script" "$@" "$url")"
  after="$(cpu_ticks)"; db_after="$(db_cpu_ticks)"
  printf '%s\n' "$out" | grep -v '^RESULT' >&2
  printf '%s\n' "$out" | awk -v ticks="$((after - before))" -v db="$((db_after - db_before))" \
    -v hz="$(getconf CLK_TCK)" '/^RESULT/ {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      n = v["requests"] > 0 ? v["requests"] : 1
      printf "%.0f %.2f %.2f %d %.0f %.0f\n", v["requests"] / (v["duration_us"] / 1e6),
        v["p50_us"] / 1000, v["p99_us"] / 1000, v["errors"] + v["non2xx"], ticks / hz * 1e6 / n,
        db / hz * 1e6 / n }'
}

# One warm-up pass so every load meets a warm page cache, warm connections and prepared
# statements.
warm_up() {
  wrk -t1 -c8 -d3s -H "Cookie: pw_session=$SESSION" -s "$BENCH/partnerships.lua" "$BASE" >/dev/null
}

# First every page computed by the database: the server keeps no answered page.
warm_up
read -r u_rps u_p50 u_p99 u_err u_cpu u_db <<<"$(load "GET /api/partnerships, nothing kept" "$BASE" \
  "$BENCH/partnerships.lua" "$CONNECTIONS" -H "Cookie: pw_session=$SESSION")"
stop_servers

# Then as served: pages answered before are served again while the list's version says
# they are exact (every request still reads the version; see partnerships_cache.rs). The
# warm-up has answered each of the 40 paths once.
start_servers "${LIST_CACHE_MB:-16}"
warm_up
read -r h_rps h_p50 h_p99 h_err h_cpu h_db <<<"$(load "GET /api/health" "$BASE/api/health" \
  "$BENCH/summary.lua" "$CONNECTIONS")"
read -r p_rps p_p50 p_p99 p_err p_cpu p_db <<<"$(load "GET /api/partnerships" "$BASE" \
  "$BENCH/partnerships.lua" "$CONNECTIONS" -H "Cookie: pw_session=$SESSION")"
# The same paths one at a time: what a request costs without queueing behind 63 others.
read -r s_rps s_p50 s_p99 s_err s_cpu s_db <<<"$(THREADS=1 load "GET /api/partnerships, 1 connection" \
  "$BASE" "$BENCH/partnerships.lua" 1 -H "Cookie: pw_session=$SESSION")"
# Memory of the biggest server.
hwm_kb="$(for pid in "${SERVER_PIDS[@]}"; do awk '/^VmHWM/ { print $2 }' "/proc/$pid/status"; done | sort -n | tail -1)"
rss_kb="$(for pid in "${SERVER_PIDS[@]}"; do awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"; done | sort -n | tail -1)"

ratio="$(awk -v p="$p_rps" -v h="$h_rps" 'BEGIN { r = (h > 0) ? 100 * p / h : 0; printf "%.2f", r }')"
u_ratio="$(awk -v p="$u_rps" -v h="$h_rps" 'BEGIN { r = (h > 0) ? 100 * p / h : 0; printf "%.2f", r }')"
verdict() { awk -v v="$1" -v goal="$2" -v op="$3" 'BEGIN {
  ok = (op == "<=") ? (v <= goal) : (v >= goal); print ok ? "met" : "MISSED" }'; }

cat <<REPORT

API benchmark: $(basename "$(dirname "$SERVER")")/partner-server x $SERVERS on $BACKEND, $total partner teams ($TEAMS generated x $PARTNERS partners),
${DURATION} s per load, wrk with $THREADS threads, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)

| load                                | requests/s | p50 ms | p99 ms | errors | server CPU µs/request | database CPU µs/request |
|-------------------------------------|-----------:|-------:|-------:|-------:|----------------------:|------------------------:|
| GET /api/health, $CONNECTIONS connections        | $(printf '%10s' "$h_rps") | $(printf '%6s' "$h_p50") | $(printf '%6s' "$h_p99") | $(printf '%6s' "$h_err") | $(printf '%21s' "$h_cpu") | $(printf '%23s' "$h_db") |
| GET /api/partnerships, $CONNECTIONS connections  | $(printf '%10s' "$p_rps") | $(printf '%6s' "$p_p50") | $(printf '%6s' "$p_p99") | $(printf '%6s' "$p_err") | $(printf '%21s' "$p_cpu") | $(printf '%23s' "$p_db") |
| GET /api/partnerships, 1 connection | $(printf '%10s' "$s_rps") | $(printf '%6s' "$s_p50") | $(printf '%6s' "$s_p99") | $(printf '%6s' "$s_err") | $(printf '%21s' "$s_cpu") | $(printf '%23s' "$s_db") |
| same, $CONNECTIONS conn., nothing kept (0 MB) | $(printf '%10s' "$u_rps") | $(printf '%6s' "$u_p50") | $(printf '%6s' "$u_p99") | $(printf '%6s' "$u_err") | $(printf '%21s' "$u_cpu") | $(printf '%23s' "$u_db") |

partnerships / health requests/s: ${ratio}%   (goal >= 10%: $(verdict "$ratio" 10 '>='))
  with nothing kept:               ${u_ratio}%, p99 ${u_p99} ms
partnerships p99: ${p_p99} ms                  (goal <= 5 ms: $(verdict "$p_p99" 5 '<='))
errors: $((h_err + p_err + s_err + u_err))                                (goal 0: $(verdict "$((h_err + p_err + s_err + u_err))" 0 '<='))
server memory (the biggest server): peak $((hwm_kb / 1024)) MB, now $((rss_kb / 1024)) MB (VmHWM/VmRSS; goal <= 60 MB: $(verdict "$((hwm_kb / 1024))" 60 '<='))
server CPU is summed over the servers; database CPU is PostgreSQL's (SQLite runs inside
the server); nginx's own is in neither. PostgreSQL connections held: $(db_backends bench)
REPORT
