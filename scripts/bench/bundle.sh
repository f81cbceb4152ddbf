#!/usr/bin/env bash
# Bundle benchmark (issue 8, "Benchmarks" 1): `trunk build --release`, then the first-load
# transfer of the web app -- the wasm, the JS glue and both stylesheets (Trunk's hashed
# main-*.css from style/ and the stylers /main.css) -- raw, gzip -9 and brotli --best (the
# exact .gz/.br files scripts/trunk-post-build.sh writes and partner-server serves), and the
# brotli total against the 150 KB budget. Prints figures; never fails on them.
#
#   scripts/bench/bundle.sh              # build, then measure dist/
#   NO_BUILD=1 scripts/bench/bundle.sh   # measure the dist/ that is there
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true
BUDGET_KB=150

if [ -z "${NO_BUILD:-}" ]; then
  printf '\033[1m==> trunk build --release\033[0m\n' >&2
  start=$(date +%s)
  trunk build --release >/tmp/bundle-trunk.log 2>&1 || { tail -40 /tmp/bundle-trunk.log >&2; exit 1; }
  echo "build: $(( $(date +%s) - start )) s" >&2
fi

size() { [ -f "$1" ] && stat -c %s "$1" || echo 0; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1024 }'; }

printf '%-48s %10s %10s %10s\n' "file" "raw KB" "gzip KB" "brotli KB"
total_raw=0 total_gz=0 total_br=0
for f in dist/*_bg.wasm dist/partner-workspaces-*.js dist/main-*.css dist/main.css; do
  [ -f "$f" ] || continue
  raw=$(size "$f")
  gz=$(size "$f.gz"); [ "$gz" -gt 0 ] || gz=$(gzip -9 -c "$f" | wc -c)
  br=$(size "$f.br"); [ "$br" -gt 0 ] || br=$(brotli --best -c "$f" | wc -c)
  printf '%-48s %10s %10s %10s\n' "$(basename "$f")" "$(kb "$raw")" "$(kb "$gz")" "$(kb "$br")"
  total_raw=$((total_raw + raw)) total_gz=$((total_gz + gz)) total_br=$((total_br + br))
done
printf '%-48s %10s %10s %10s\n' "total (first load)" "$(kb $total_raw)" "$(kb $total_gz)" "$(kb $total_br)"
awk -v b="$total_br" -v budget="$BUDGET_KB" 'BEGIN {
  printf "brotli total %.1f KB vs budget %d KB: %.2fx the budget (%s)\n", b / 1024, budget,
    b / 1024 / budget, (b / 1024 <= budget ? "within" : "OVER") }'
