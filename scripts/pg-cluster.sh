#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR PORT   # prints the postgres:// URL of its `postgres` database
#   scripts/pg-cluster.sh stop DIR
# The cluster trusts local connections and listens on 127.0.0.1 only. As root it runs as
# the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
cmd="${1:?start|stop}"; dir="${2:?cluster directory}"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    port="${3:?port}"
    user="$(id -un)"; [ "$(id -u)" -eq 0 ] && user=postgres
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
      as_owner "$BIN/initdb" -D "$dir" -A trust -U "$user" >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; exit 1; }
    fi
    # Tests open many short-lived databases and pools: room for them. Commits don't wait for
    # the disk (as SQLite's WAL with synchronous=NORMAL, the app's setting). Tests also turn
    # fsync off (a throwaway cluster's data need not survive a power cut); benchmarks keep
    # it on with PG_FSYNC=on, so checkpoints cost what they would.
    durability="-c synchronous_commit=off"
    [ "${PG_FSYNC:-off}" = on ] || durability="$durability -c fsync=off -c full_page_writes=off"
    as_owner "$BIN/pg_ctl" -D "$dir" -w -l "$dir/server.log" \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -k $dir -c max_connections=400 $durability" \
      start >/dev/null
    echo "postgres://$user@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -f "$dir/postmaster.pid" ] && as_owner "$BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null || true
    ;;
  *) echo "usage: $0 start DIR PORT | stop DIR" >&2; exit 2 ;;
esac
