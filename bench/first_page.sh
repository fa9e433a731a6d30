#!/usr/bin/env bash
# Prints: seconds from `scripts/run` to the first page on a fresh clone (install
# included, then again with the install done), and the RSS of one gunicorn
# worker after 100 requests. Usage: bench/first_page.sh [--cold-cache]
#   --cold-cache  empty uv and pip caches, as on a new machine (downloads).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
port="${PORT:-8799}"
trap 'pkill -f "bind 127.0.0.1:$port" 2>/dev/null || true; rm -rf "$work"' EXIT
if [ "${1:-}" = "--cold-cache" ]; then
  export UV_CACHE_DIR="$work/uv-cache" PIP_NO_CACHE_DIR=1
fi
git clone -q "$repo" "$work/clone"

first_page() {
  local start=$(date +%s.%N)
  # The whole group is redirected so the server holds no pipe of ours open.
  (cd "$work/clone" && PORT=$port WEB_WORKERS=1 exec bash scripts/run) </dev/null >"$work/run.log" 2>&1 &
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$port/"; then
      echo "$(date +%s.%N) - $start" | bc
      return 0
    fi
    sleep 0.1
  done
  echo "no page after 300 s; log:" >&2; cat "$work/run.log" >&2; return 1
}

printf 'first page, fresh clone (install included): %.1f s\n' "$(first_page)"
pkill -f "bind 127.0.0.1:$port"; sleep 2
printf 'first page, second start (install done):   %.1f s\n' "$(first_page)"
for _ in $(seq 1 25); do
  for path in / /about/ /region/ /accounts/login/; do
    curl -sf -o /dev/null "http://127.0.0.1:$port$path"
  done
done
worker=$(pgrep -f "bind 127.0.0.1:$port" | tail -n1)
printf 'RSS of the web worker after 100 requests:    %d MB\n' "$(( $(ps -o rss= -p "$worker") / 1024 ))"
