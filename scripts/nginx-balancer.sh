#!/usr/bin/env bash
# Prints an nginx config that balances 127.0.0.1:LISTEN_PORT round-robin over partner-servers
# on 127.0.0.1:UPSTREAM_PORT..., with no sticky sessions: sessions live in the database, so
# any server answers any request, and successive requests of one page land on different ones.
#   scripts/nginx-balancer.sh LISTEN_PORT UPSTREAM_PORT... > DIR/nginx.conf
#   nginx -e stderr -p DIR -c DIR/nginx.conf      # foreground; logs and temp files in DIR
# Used by dev-cluster.sh and the end-to-end tests' cluster mode (tests/e2e/harness.rs).
# Every path in the config is relative, so nginx resolves it under its prefix (-p DIR) and
# never touches /etc/nginx, /var/log/nginx or /var/lib/nginx.
set -euo pipefail

listen="${1:?usage: $0 LISTEN_PORT UPSTREAM_PORT...}"; shift
[ $# -gt 0 ] || { echo "usage: $0 LISTEN_PORT UPSTREAM_PORT..." >&2; exit 2; }

# nginx started as root hands requests to workers running as `user` (default nobody), which
# could not enter a private temp dir to buffer a large answer: they run as whoever started
# it. Unprivileged, nginx cannot switch users and warns about the directive, so it is left out.
[ "$(id -u)" -eq 0 ] && echo "user $(id -un) $(id -gn);"

cat <<CONF
daemon off;
worker_processes 1;
pid nginx.pid;
error_log stderr warn;

events {
  # Each live update stream holds two connections (the browser's and the upstream one).
  worker_connections 4096;
}

http {
  # Which server answered each request (upstream_addr), to see the round-robin at work.
  log_format balanced '\$remote_addr "\$request" \$status -> \$upstream_addr \$upstream_status';
  access_log access.log balanced;

  client_body_temp_path client_body_temp;
  proxy_temp_path proxy_temp;
  fastcgi_temp_path fastcgi_temp;
  uwsgi_temp_path uwsgi_temp;
  scgi_temp_path scgi_temp;

  # Round-robin (nginx's default), no ip_hash or cookie: not sticky. A server that refuses
  # connections (stopped, killed) is skipped and the request goes to the next one. No
  # upstream keepalive: a POST sent on a kept connection that a killed server had just
  # dropped would fail instead of going to the other server.
  upstream partner_servers {
CONF
for port in "$@"; do
  echo "    server 127.0.0.1:$port;"
done
cat <<CONF
  }

  server {
    listen 127.0.0.1:$listen;
    # The servers refuse large bodies with their own JSON error; nginx must not answer
    # first with an HTML 413 (its default limit is 1 MiB).
    client_max_body_size 0;

    location / {
      proxy_pass http://partner_servers;
      proxy_set_header Host \$http_host;
      # The servers trust this header from 127.0.0.1 (--trusted-proxy) for sign-in throttling.
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      # A refused connection is retried on the next server; a request a server already
      # received is not sent twice (nginx never resends POST, PATCH... once sent).
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }

    # Live updates: one long response per tab, passed on as it is written (the servers say
    # X-Accel-Buffering: no too). Idle streams carry a keep-alive every 15 s, well inside the
    # read timeout; a stream whose server stops ends, and the browser reconnects (to another).
    location = /api/events {
      proxy_pass http://partner_servers;
      proxy_set_header Host \$http_host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_buffering off;
      proxy_read_timeout 60s;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
    }
  }
}
CONF
