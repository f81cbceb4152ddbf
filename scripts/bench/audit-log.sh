#!/usr/bin/env bash
# Audit log benchmark (issue 15): the release server on the demo data plus ENTRIES
# (default 1,000,000) audit entries of Acme spread over a year (every action, Acme's
# people, Acme's workspaces, the partner teams), signed in as paul (Partner Manager):
#   1. the first page (newest 50), p50 and p99 of ROUNDS requests, on one connection;
#   2. the first page with a filter (one action; one workspace) and a page 200 pages deep
#      (keyset: the same cost at any depth);
#   3. the CSV export of every entry: seconds, rows/s, MB, and the server's peak RSS while
#      it streams (sampled every 50 ms) against its RSS before.
# Prints figures and never fails on them (only on a broken set-up).
#
#   scripts/bench/audit-log.sh
#   ENTRIES=200000 ROUNDS=50 scripts/bench/audit-log.sh
#   BACKEND=postgres scripts/bench/audit-log.sh
#   SERVER=path/to/partner-server scripts/bench/audit-log.sh   # skip the build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BENCH="$ROOT/scripts/bench"
cd "$ROOT"
ENTRIES="${ENTRIES:-1000000}"
ROUNDS="${ROUNDS:-200}"

source "$BENCH/lib.sh"
need_commands curl sqlite3 psql
if [ -z "${SERVER:-}" ]; then
  say "Building the release server"
  cargo build --quiet --release -p partner-server
  SERVER="$ROOT/target/release/partner-server"
fi

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  bench_backend_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
bench_backend_start "$WORK"
DATABASE="$(bench_database "$WORK" audit)"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"

say "Loading the demo data"
start_server "$SERVER" "$PORT" "$WORK/server.log" --database "$DATABASE" --demo
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""

say "Writing $ENTRIES audit entries"
started=$SECONDS
# Entry n: 0..ENTRIES-1, newest last, one every 31.5 s over a year before now; its
# action, actor, workspace, subject and other team cycle through what Acme has.
if [ "$BACKEND" = postgres ]; then
  psql "$DATABASE" -q <<SQL
INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail, partner_team_id)
SELECT to_char((now() - interval '365 days' + n * interval '31.5 seconds') AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS.US"000Z"'),
       (SELECT id FROM users WHERE team_id = t.id ORDER BY id OFFSET n % 5 LIMIT 1), t.id,
       (ARRAY['partner.invited','partner.role_changed','partner.removed','workspace.multi_partner_on',
              'access_request.approved','member.role_changed','team.renamed','review.decided'])[1 + n % 8],
       (SELECT id FROM workspaces WHERE team_id = t.id ORDER BY id OFFSET n % 4 LIMIT 1),
       (SELECT user_id FROM partner_grants WHERE publisher_team_id = t.id ORDER BY user_id OFFSET n % 3 LIMIT 1),
       '{"before":"Viewer","after":"Editor"}',
       (SELECT partner_team_id FROM partner_grants WHERE publisher_team_id = t.id ORDER BY partner_team_id OFFSET n % 3 LIMIT 1)
FROM generate_series(0, $ENTRIES - 1) AS n, teams t WHERE t.domain = 'acme.test';
ANALYZE audit_log;
SQL
else
  sqlite3 "$DATABASE" >/dev/null <<SQL
PRAGMA journal_mode = WAL;
CREATE TEMP TABLE people AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users
  WHERE team_id = (SELECT id FROM teams WHERE domain = 'acme.test');
CREATE TEMP TABLE spaces AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM workspaces
  WHERE team_id = (SELECT id FROM teams WHERE domain = 'acme.test');
CREATE TEMP TABLE partners AS SELECT row_number() OVER (ORDER BY user_id) - 1 AS k, user_id, partner_team_id
  FROM partner_grants WHERE publisher_team_id = (SELECT id FROM teams WHERE domain = 'acme.test');
CREATE TEMP TABLE actions (k INTEGER, action TEXT);
INSERT INTO actions VALUES (0,'partner.invited'),(1,'partner.role_changed'),(2,'partner.removed'),
  (3,'workspace.multi_partner_on'),(4,'access_request.approved'),(5,'member.role_changed'),
  (6,'team.renamed'),(7,'review.decided');
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < $ENTRIES - 1)
INSERT INTO audit_log (at, actor_id, team_id, action, workspace_id, subject_id, detail, partner_team_id)
SELECT strftime('%Y-%m-%dT%H:%M:%f000000Z', 'now', '-365 days', '+' || (n * 31.5) || ' seconds'),
       (SELECT id FROM people WHERE k = n % (SELECT COUNT(*) FROM people)),
       (SELECT id FROM teams WHERE domain = 'acme.test'),
       (SELECT action FROM actions WHERE k = n % 8),
       (SELECT id FROM spaces WHERE k = n % (SELECT COUNT(*) FROM spaces)),
       (SELECT user_id FROM partners WHERE k = n % (SELECT COUNT(*) FROM partners)),
       '{"before":"Viewer","after":"Editor"}',
       (SELECT partner_team_id FROM partners WHERE k = n % (SELECT COUNT(*) FROM partners))
FROM seq;
ANALYZE;
SQL
fi
echo "  written in $((SECONDS - started)) s" >&2

start_server "$SERVER" "$PORT" "$WORK/server.log" --database "$DATABASE" --demo
PAUL="$(sign_in "$BASE" paul@acme.test)"
FILTERS="$(curl -fsS -H "Cookie: pw_session=$PAUL" "$BASE/api/team/audit-log/filters")"
WORKSPACE="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["workspaces"][0]["id"])' "$FILTERS")"

# Timings and the export's memory in Python (urllib on one connection).
python3 - "$BASE" "$PAUL" "$ROUNDS" "$SERVER_PID" "$WORKSPACE" "$BACKEND" "$ENTRIES" <<'PY'
import http.client, json, statistics, sys, threading, time, urllib.parse
base, token, rounds, pid, workspace, backend, entries = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], int(sys.argv[7])
host = urllib.parse.urlparse(base).netloc
conn = http.client.HTTPConnection(host)
headers = {"Cookie": f"pw_session={token}"}

def get(path):
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    assert response.status == 200, (path, response.status, body[:200])
    return body

def timed(path):
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        get(path)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]

def rss_kb():
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

# A page 200 pages deep: follow the cursors.
cursor = None
for _ in range(200):
    page = json.loads(get("/api/team/audit-log" + (f"?before={urllib.parse.quote(cursor)}" if cursor else "")))
    cursor = page["next"]
deep = f"/api/team/audit-log?before={urllib.parse.quote(cursor)}"

rows = [
    ("first page (newest 50)", "/api/team/audit-log"),
    ("first page, one action", "/api/team/audit-log?action=team.renamed"),
    ("first page, one workspace", f"/api/team/audit-log?workspace={workspace}"),
    ("first page, one day a month ago", "/api/team/audit-log?from={d}&to={d}".format(
        d=time.strftime("%Y-%m-%d", time.gmtime(time.time() - 30 * 86400)))),
    ("page 201 (10,000 entries deep)", deep),
]
print(f"\nAudit log benchmark ({backend}): Acme's log of {entries:,} entries and the demo's, paul, one connection, {rounds} requests each\n")
print("| request | p50 ms | p99 ms |")
print("|---|---:|---:|")
for name, path in rows:
    p50, p99 = timed(path)
    print(f"| {name} | {p50:.2f} | {p99:.2f} |")

before = rss_kb()
peak = [before]
done = threading.Event()
def sample():
    while not done.is_set():
        peak[0] = max(peak[0], rss_kb())
        time.sleep(0.05)
sampler = threading.Thread(target=sample)
sampler.start()
start = time.perf_counter()
csv_conn = http.client.HTTPConnection(host)
csv_conn.request("GET", "/api/team/audit-log.csv", headers=headers)
response = csv_conn.getresponse()
size = lines = 0
while True:
    chunk = response.read(1 << 16)
    if not chunk:
        break
    size += len(chunk)
    lines += chunk.count(b"\n")
elapsed = time.perf_counter() - start
done.set()
sampler.join()
print(f"\nCSV export of every entry: {lines - 1:,} rows, {size / 1e6:.1f} MB in {elapsed:.1f} s = {(lines - 1) / elapsed:,.0f} rows/s")
print(f"server RSS: {before / 1024:.1f} MB before, {peak[0] / 1024:.1f} MB at most while streaming (+{(peak[0] - before) / 1024:.1f} MB)")
PY
