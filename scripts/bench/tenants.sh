#!/usr/bin/env bash
# Tenant isolation of cost (issue 12, item 2): every list a small tenant asks for costs what
# its own data costs, not what other companies have. Two release servers run side by side:
#   none:   the demo data only;
#   others: the demo data and TENANTS other publishers (partner-server generate --tenants:
#           per publisher 5 people, 5 workspaces, 10 partner teams of 5 people, 100 partner
#           grants, 20 access requests; 10,000 publishers = 1M grants, the biggest table).
# The small tenant is Acme Payments (3 partner teams, 4 workspaces) as alice (Team Admin) and
# wanda (Workspace Admin), and Initech's ivan for External Workspaces. For each list endpoint
# wrk sends requests on one connection for DURATION s, alternating between the two servers
# ROUNDS times; the figure is the median of the rounds' p50s, and the ratio others/none.
# Answered list pages are not kept (--list-cache-mb 0): the database answers every request.
# Prints figures; never fails on them.
#
#   scripts/bench/tenants.sh
#   TENANTS=10000 DURATION=2 ROUNDS=3 scripts/bench/tenants.sh
#   SERVER=target/release/partner-server scripts/bench/tenants.sh   # skip the build
#   BACKEND=postgres scripts/bench/tenants.sh   # both databases on a throwaway PostgreSQL
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/scripts/bench"
cd "$ROOT"
source "$BENCH/lib.sh"
need_commands wrk curl

TENANTS="${TENANTS:-10000}"
DURATION="${DURATION:-2}"
ROUNDS="${ROUNDS:-3}"

if [ -z "${SERVER:-}" ]; then
  say "Building the release server"
  cargo build --quiet --release -p partner-server
  SERVER="$ROOT/target/release/partner-server"
fi

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  bench_backend_stop
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
bench_backend_start "$WORK"
declare -A DATABASE=([none]="$(bench_database "$WORK" none)" [others]="$(bench_database "$WORK" others)")

say "Generating the $BACKEND databases (demo only; demo + $TENANTS other publishers)"
"$SERVER" generate --database "${DATABASE[none]}" --teams 0 >&2
"$SERVER" generate --database "${DATABASE[others]}" --teams 0 --tenants "$TENANTS" >&2

declare -A BASE ALICE WANDA IVAN PAYMENTS GLOBEX
for db in none others; do
  port="$(free_port)"
  start_server "$SERVER" "$port" "$WORK/$db.log" --database "${DATABASE[$db]}" \
    --scheduled-migrations false --list-cache-mb 0
  PIDS+=("$SERVER_PID")
  BASE[$db]="http://127.0.0.1:$port"
  ALICE[$db]="$(sign_in "${BASE[$db]}" alice@acme.test)"
  WANDA[$db]="$(sign_in "${BASE[$db]}" wanda@acme.test)"
  IVAN[$db]="$(sign_in "${BASE[$db]}" ivan@initech.test)"
  PAYMENTS[$db]="$(curl -fsS -H "Cookie: pw_session=${ALICE[$db]}" "${BASE[$db]}/api/workspaces?q=Payments" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')"
  GLOBEX[$db]="$(curl -fsS -H "Cookie: pw_session=${ALICE[$db]}" "${BASE[$db]}/api/partnerships?q=globex" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["team"]["id"])')"
done
rows="$(bench_rows "${DATABASE[others]}" partner_grants users workspaces access_requests partnership_summaries teams)"

# p50 of one endpoint on one server, in microseconds.
p50_us() {
  wrk -t1 -c1 -d"${DURATION}s" --latency -H "Cookie: pw_session=$2" "$1" \
    | awk '$1 == "50%" {
        v = $2; unit = v; gsub(/[0-9.]/, "", unit); sub(/[a-z]+$/, "", v)
        f = (unit == "us") ? 1 : (unit == "ms") ? 1000 : (unit == "s") ? 1e6 : 0
        printf "%.0f\n", v * f }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# name | who | path (with {payments} and {globex} filled per server)
ENDPOINTS=(
  "Partnerships list|alice|/api/partnerships"
  "Partnerships search, 3+ characters|alice|/api/partnerships?q=glob"
  "Partnerships search, 2 characters|alice|/api/partnerships?q=gl"
  "Partnerships search, 1 character|alice|/api/partnerships?q=g"
  "Partnerships, SSO filter, by partners|alice|/api/partnerships?sso=not_enforced&sort=-partners"
  "Partner team detail|alice|/api/partnerships/{globex}"
  "SSO coverage|alice|/api/partnerships/sso-coverage"
  "Seats|alice|/api/seats"
  "Access requests, pending|alice|/api/access-requests?status=pending"
  "Access requests, approved|alice|/api/access-requests?status=approved"
  "Workspaces, all|alice|/api/workspaces?tab=all"
  "Workspaces, mine|wanda|/api/workspaces?tab=mine"
  "Workspaces, search|alice|/api/workspaces?tab=all&q=pay"
  "External Workspaces|ivan|/api/workspaces?tab=shared_partner"
  "External Workspaces, search|ivan|/api/workspaces?tab=shared_partner&q=api"
  "Workspace|alice|/api/workspaces/{payments}"
  "Workspace members|alice|/api/workspaces/{payments}/members"
  "Migration overview|alice|/api/migration"
  "Me|ivan|/api/me"
)

say "Warming up both servers"
for db in none others; do
  for entry in "${ENDPOINTS[@]}"; do
    IFS='|' read -r _ who path <<<"$entry"
    path="${path//\{payments\}/${PAYMENTS[$db]}}"; path="${path//\{globex\}/${GLOBEX[$db]}}"
    token_var="${who^^}[$db]"
    curl -fsS -o /dev/null -H "Cookie: pw_session=${!token_var}" "${BASE[$db]}$path" \
      || { echo "GET $path failed on $db" >&2; exit 1; }
  done
done

printf '\nTenants benchmark (%s): demo data alone vs beside %s other publishers (%s)\n' "$BACKEND" "$TENANTS" "$rows"
printf 'wrk, 1 connection, %s s x %s rounds per endpoint and server, alternating; %s cores, load average %s\n\n' \
  "$DURATION" "$ROUNDS" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| %-40s | %11s | %13s | %5s |\n' "list (small tenant)" "p50 none µs" "p50 others µs" "ratio"
printf '|%s|%s|%s|%s|\n' "------------------------------------------" "-------------:" "---------------:" "------:"
worst=0
for entry in "${ENDPOINTS[@]}"; do
  IFS='|' read -r name who path <<<"$entry"
  declare -A samples=([none]="" [others]="")
  for _ in $(seq "$ROUNDS"); do
    for db in none others; do
      p="${path//\{payments\}/${PAYMENTS[$db]}}"; p="${p//\{globex\}/${GLOBEX[$db]}}"
      token_var="${who^^}[$db]"
      samples[$db]+="$(p50_us "${BASE[$db]}$p" "${!token_var}") "
    done
  done
  none="$(tr ' ' '\n' <<<"${samples[none]}" | grep . | median)"
  others="$(tr ' ' '\n' <<<"${samples[others]}" | grep . | median)"
  ratio="$(awk -v a="$others" -v b="$none" 'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }')"
  worst="$(awk -v a="$ratio" -v b="$worst" 'BEGIN { print (a > b) ? a : b }')"
  printf '| %-40s | %11s | %13s | %5s |\n' "$name" "$none" "$others" "$ratio"
done
verdict="$(awk -v w="$worst" 'BEGIN { print (w <= 1.2) ? "met" : "MISSED" }')"
printf '\nworst ratio: %s (goal <= 1.2 for every list: %s)\n' "$worst" "$verdict"
