#!/usr/bin/env bash
# Load test on loopback: serves the site with production settings (gunicorn +
# WhiteNoise) and drives five typical URLs with wrk. Bounded in time; prints
# requests/s, p50/p99 latency and errors per URL.
#   bash bench/load.sh            # 50 connections, 20 s per URL
#   CONNECTIONS=100 DURATION=30s bash bench/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${PORT:-8099}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-20s}
BASE="http://127.0.0.1:${PORT}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

make -s seed >/dev/null
# One load generator on one IP: lift the search API's per-client limit for the run.
SEARCH_API_RATE_PER_MINUTE=100000000 PORT=$PORT make -s serve > /tmp/netvaerk-serve.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; pkill -f "gunicorn config.wsgi:application --bind 127.0.0.1:${PORT}" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 1; done

ARTICLE=$(.venv/bin/python manage.py shell -c "from experiences.models import ExperiencePage as E; print(E.objects.live().first().url)" 2>/dev/null | tail -1)
PROJECT=$(.venv/bin/python manage.py shell -c "from projects.models import ProjectPage as P; print(P.objects.live().filter(visibility='public').first().url)" 2>/dev/null | tail -1)
URLS=(
  "/"
  "$ARTICLE"
  "/erfaringer/?omraade=sygedagpenge&region=region-midtjylland"
  "$PROJECT"
  "/api/search/?q=sygedagpenge&municipality=0751"
)
printf "%-60s %10s %9s %9s %7s\n" "url" "req/s" "p50" "p99" "errors"
for url in "${URLS[@]}"; do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s "$BASE$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx/ {n+=$NF} /Socket errors/ {gsub(",","");n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
  printf "%-60s %10s %9s %9s %7s\n" "${url:0:60}" "$rps" "$p50" "$p99" "$errors"
done
