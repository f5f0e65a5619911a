#!/usr/bin/env bash
# Load test: drives five typical URLs with wrk and prints requests/s, p50/p99 latency
# and errors per URL, with the server's worker count.
#
#   bash bench/load.sh                              # local: own server, own database
#   WORKERS=2 bash bench/load.sh                    # gunicorn workers of the local server
#   TARGET=https://netvaerk.example bash bench/load.sh   # a running deployment
#   CONNECTIONS=100 DURATION=30s bash bench/load.sh
#
# Local mode serves the site with production settings (gunicorn + WhiteNoise + Redis)
# on loopback, on a database of its own (LOAD_DATABASE_URL, default a SQLite file in
# /tmp) that it seeds with the demo content. It never touches DATABASE_URL's
# database unless LOAD_DATABASE_URL points there, and then seeds only with SEED=1.
# It stops only the server it started, by its PID.
#
# Against TARGET it seeds nothing and starts nothing. The search API is limited per
# client (SEARCH_API_RATE_PER_MINUTE): expect 429s there unless the target lifts it.
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-20s}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

SERVER=""
stop_server() {
  if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then
    kill -TERM "$SERVER"            # gunicorn's master stops its own workers
    wait "$SERVER" 2>/dev/null || true
  fi
}
trap stop_server EXIT

if [ -n "${TARGET:-}" ]; then
  BASE=${TARGET%/}
  WORKERS="(target's own)"
else
  PORT=${PORT:-8099}
  WORKERS=${WORKERS:-4}
  BASE="http://127.0.0.1:${PORT}"
  OWN_DB="sqlite:////tmp/netvaerk-load.sqlite3"
  export DATABASE_URL=${LOAD_DATABASE_URL:-$OWN_DB}
  if [ "$DATABASE_URL" = "$OWN_DB" ] || [ "${SEED:-0}" = 1 ]; then
    .venv/bin/python manage.py migrate --noinput -v0
    .venv/bin/python manage.py seed_demo >/dev/null 2>&1
  fi
  export DJANGO_SETTINGS_MODULE=config.settings.production
  export SECRET_KEY=${SECRET_KEY:-load-test-only-not-secret}
  export ALLOWED_HOSTS=127.0.0.1,localhost
  export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}
  export TASKS_BACKEND=immediate SECURE_SSL_REDIRECT=false SECURE_COOKIES=false
  # One load generator on one IP: lift the search API's per-client limit for the run.
  export SEARCH_API_RATE_PER_MINUTE=100000000
  .venv/bin/python manage.py collectstatic --noinput -v0
  .venv/bin/gunicorn config.wsgi:application --bind "127.0.0.1:${PORT}" \
    --workers "$WORKERS" --threads 1 --timeout 30 > /tmp/netvaerk-load-server.log 2>&1 &
  SERVER=$!
fi
for _ in $(seq 1 60); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 1; done
curl -sf "$BASE/healthz" >/dev/null || { echo "$BASE/healthz does not answer" >&2; exit 1; }

# An article and a public project, found the way a visitor finds them.
first_link() {  # the first link to a page one level below $1 on the page $1
  curl -sf "$BASE$1" | grep -oE "href=\"$1[a-z0-9-]+/\"" | grep -v '/feed/' | head -1 | cut -d'"' -f2
}
ARTICLE=${ARTICLE:-$(first_link /erfaringer/ || true)}
PROJECT=${PROJECT:-$(first_link /projekter/ || true)}
URLS=("/")
[ -n "$ARTICLE" ] && URLS+=("$ARTICLE")
URLS+=("/erfaringer/?omraade=sygedagpenge&region=region-midtjylland")
[ -n "$PROJECT" ] && URLS+=("$PROJECT")
URLS+=("/api/search/?q=sygedagpenge&municipality=0751")

echo "target $BASE, gunicorn workers: $WORKERS, $CONNECTIONS connections, $DURATION per URL"
printf "%-60s %10s %9s %9s %7s\n" "url" "req/s" "p50" "p99" "errors"
for url in "${URLS[@]}"; do
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s "$BASE$url")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx/ {n+=$NF} /Socket errors/ {gsub(",","");n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
  printf "%-60s %10s %9s %9s %7s\n" "${url:0:60}" "$rps" "$p50" "$p99" "$errors"
done
