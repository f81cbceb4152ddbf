#!/usr/bin/env bash
# Shared by the benchmark scripts (sourced): installs what they need like setup.sh does,
# finds free ports, starts and signs in to release servers.

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Installs Debian packages that are missing (each name is a command and its package).
need_commands() {
  local missing=()
  for command in "$@"; do command -v "$command" >/dev/null || missing+=("$command"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "Installing ${missing[*]} (apt)"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server BINARY PORT LOG ARGS... : starts a server in the background, sets SERVER_PID
# and waits until it answers.
start_server() {
  local binary="$1" port="$2" log="$3"; shift 3
  "$binary" --addr "127.0.0.1:$port" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS "http://127.0.0.1:$port/api/health" >/dev/null 2>&1; do
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; echo "the server did not start" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "the server did not answer within 60 s" >&2; exit 1; }
    sleep 0.1
  done
}

# sign_in BASE EMAIL : prints the session token of a demo account (password partner-demo).
sign_in() {
  local jar; jar="$(mktemp)"
  curl -fsS -c "$jar" -o /dev/null -H 'content-type: application/json' \
    -H 'x-requested-with: partner-workspaces' \
    -d "{\"email\":\"$2\",\"password\":\"partner-demo\"}" "$1/api/session"
  awk '$6 == "pw_session" { print $7 }' "$jar"
  rm -f "$jar"
}

# BACKEND=sqlite (default) or postgres: where the benchmarks' databases live. With postgres,
# bench_backend_start WORK starts a throwaway PostgreSQL cluster in WORK (fsync on) and
# bench_backend_stop stops it; bench_database WORK NAME prints a new database's --database.
BACKEND="${BACKEND:-sqlite}"
BENCH_PG_URL=""
BENCH_PG_DIR=""
bench_backend_start() {
  [ "$BACKEND" = postgres ] || return 0
  chmod 755 "$1"
  BENCH_PG_DIR="$1/pg"
  BENCH_PG_URL="$(PG_FSYNC=on "$(dirname "${BASH_SOURCE[0]}")/../pg-cluster.sh" start "$BENCH_PG_DIR" "$(free_port)")"
}
bench_backend_stop() {
  [ -n "$BENCH_PG_DIR" ] && "$(dirname "${BASH_SOURCE[0]}")/../pg-cluster.sh" stop "$BENCH_PG_DIR"
  return 0
}
bench_database() {
  if [ "$BACKEND" = postgres ]; then
    psql "$BENCH_PG_URL" -qc "CREATE DATABASE $2" >/dev/null
    echo "${BENCH_PG_URL%/*}/$2"
  else
    echo "$1/$2.db"
  fi
}
# bench_rows DATABASE TABLE... : "table n, table n" for a database of bench_database.
bench_rows() {
  local database="$1"; shift
  local out=()
  for table in "$@"; do
    if [ "$BACKEND" = postgres ]; then
      n="$(psql "$database" -tAc "SELECT COUNT(*) FROM $table")"
    else
      n="$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(f"SELECT COUNT(*) FROM {sys.argv[2]}").fetchone()[0])' "$database" "$table")"
    fi
    out+=("$table $(printf "%'d" "$n")")
  done
  local IFS=','; echo "${out[*]}" | sed 's/,/, /g'
}

# start_balancer DIR LISTEN_PORT UPSTREAM_PORT... : nginx on 127.0.0.1:LISTEN_PORT balancing
# round robin (not sticky) over servers on 127.0.0.1, with the config the cluster and its
# tests use (scripts/nginx-balancer.sh) and every path of its own in DIR; sets BALANCER_PID.
start_balancer() {
  local dir="$1" listen="$2"; shift 2
  mkdir -p "$dir"
  "$(dirname "${BASH_SOURCE[0]}")/../nginx-balancer.sh" "$listen" "$@" >"$dir/nginx.conf"
  nginx -e stderr -p "$dir" -c "$dir/nginx.conf" >"$dir/nginx.log" 2>&1 &
  BALANCER_PID=$!
  local deadline=$((SECONDS + 10))
  until curl -fsS "http://127.0.0.1:$listen/api/health" >/dev/null 2>&1; do
    kill -0 "$BALANCER_PID" 2>/dev/null || { cat "$dir/nginx.log" >&2; echo "nginx did not start" >&2; exit 1; }
    [ "$SECONDS" -lt "$deadline" ] || { echo "nginx did not answer within 10 s" >&2; exit 1; }
    sleep 0.1
  done
}

# The benchmark cluster's CPU time so far in clock ticks: the postmaster, its reaped
# children and its live backends (0 without PostgreSQL).
db_cpu_ticks() {
  [ -n "$BENCH_PG_DIR" ] || { echo 0; return; }
  local postmaster total
  postmaster="$(head -1 "$BENCH_PG_DIR/postmaster.pid")"
  total="$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$postmaster/stat")"
  for child in $(pgrep -P "$postmaster"); do
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# Connections the servers hold to the benchmark's database (0 without PostgreSQL).
db_backends() {
  [ -n "$BENCH_PG_URL" ] || { echo 0; return; }
  psql "$BENCH_PG_URL" -tAc "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '$1'"
}
