#!/usr/bin/env bash
# Runs the app as it scales out: a throwaway PostgreSQL cluster with one demo database, two
# partner-servers on it serving the release build (dist/), and nginx in front on :8080
# (DEV_CLUSTER_PORT) balancing round-robin with no sticky sessions, so one page's requests
# land on both servers. Ctrl-C stops everything and deletes the cluster.
# scripts/dev.sh is the quicker loop for changing the web app (trunk serve rebuilds).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/setup.sh"
cd "$ROOT"

PORT="${DEV_CLUSTER_PORT:-8080}"
APP_URL="http://127.0.0.1:$PORT"
NGINX="${NGINX:-/usr/sbin/nginx}"
if ! python3 -c "import socket; socket.socket().bind(('127.0.0.1', $PORT))" 2>/dev/null; then
  echo "port $PORT is in use: set DEV_CLUSTER_PORT to a free one" >&2
  exit 1
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

say "Building partner-server"
cargo build --quiet -p partner-server
if [ ! -f dist/index.html ]; then
  say "Building the web app (trunk build --release, several minutes the first time)"
  trunk build --release
fi

# Everything of this run lives here: the cluster, nginx's config, logs and temp files. The
# cluster's parent must be traversable by the postgres user when run as root.
DIR="$(mktemp -d)"; chmod 755 "$DIR"
pids=()
cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-cluster.sh stop "$DIR/pg"
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

say "Starting PostgreSQL"
PG_URL="$(scripts/pg-cluster.sh start "$DIR/pg" "$(free_port)")"
psql -q "$PG_URL" -c "CREATE DATABASE partner_workspaces"
DATABASE_URL="${PG_URL%/*}/partner_workspaces"

say "Starting two partner-servers"
ports=()
for n in 1 2; do
  port="$(free_port)"; ports+=("$port")
  # Both with --demo: whichever comes first loads it, once. Each line of output says which
  # server wrote it.
  target/debug/partner-server --demo --addr "127.0.0.1:$port" --database "$DATABASE_URL" \
    --static-dir dist --public-url "$APP_URL" --trusted-proxy 127.0.0.1/32 --sign-in-servers 2 \
    > >(sed -u "s/^/[server $n :$port] /") 2>&1 &
  pids+=($!)
done
for i in 0 1; do
  until curl -fsS "http://127.0.0.1:${ports[$i]}/api/health" >/dev/null 2>&1; do
    kill -0 "${pids[$i]}" 2>/dev/null || { echo "partner-server $((i + 1)) did not start" >&2; exit 1; }
    sleep 0.1
  done
done

say "Starting nginx on $APP_URL"
mkdir "$DIR/nginx"
scripts/nginx-balancer.sh "$PORT" "${ports[@]}" > "$DIR/nginx/nginx.conf"
"$NGINX" -e stderr -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" &
pids+=($!)
until curl -fsS "$APP_URL/api/health" >/dev/null 2>&1; do
  kill -0 "${pids[2]}" 2>/dev/null || { echo "nginx did not start (is port $PORT free?)" >&2; exit 1; }
  sleep 0.1
done

printf '\n  Partner Workspaces is running at %s\n' "$APP_URL"
printf '  (nginx -> partner-servers on :%s and :%s, PostgreSQL %s)\n\n' \
  "${ports[0]}" "${ports[1]}" "$DATABASE_URL"
cat "$ROOT/scripts/demo-sign-ins.txt"
printf '\n  Which server answered each request: tail -f %s\n' "$DIR/nginx/access.log"
printf '  Ctrl-C stops the servers, nginx and PostgreSQL.\n\n'
wait
