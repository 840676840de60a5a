#!/usr/bin/env bash
# `make loadtest`: a bounded load test on loopback. It creates a scratch PostgreSQL database and
# a private redis-server, seeds them, starts gunicorn (2 workers, production settings over plain
# HTTP) and a Celery worker, runs locust headless (50 users, 60 s), stops everything it started,
# drops the database and prints one line:
#   loadtest: 123.4 req/s, p50 45 ms, p95 210 ms, errors 0
# Progress goes to stderr; the servers' output to a log kept when the run fails.
# LOADTEST_PG: the PostgreSQL server to use (default postgres://postgres@127.0.0.1:5432).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PY")
PG=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
USERS=${LOADTEST_USERS:-50}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-5}
export LOADTEST_MEASURE_SECONDS=${LOADTEST_MEASURE_SECONDS:-60}  # journeys, after sign-in
TIME_LIMIT=${LOADTEST_TIME_LIMIT:-300s}  # a cap on the whole run, sign-in included
DB="hegui_loadtest_$$"
WORK=$(mktemp -d -t hegui-loadtest-XXXXXX)
LOG="$WORK/servers.log"
PIDS=()

say() { printf 'loadtest: %s\n' "$*" >&2; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" -eq 0 ]; then rm -rf "$WORK"; else say "failed; logs kept in $WORK" ; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

WEB_PORT=$(free_port)
REDIS_PORT=$(free_port)
export HEGUI_ENV=production DEBUG=false
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SITE_URL="http://127.0.0.1:$WEB_PORT" TWO_FACTOR_REQUIRED=false  # the load is on the pages, not on enrolment
export DATABASE_URL="$PG/$DB" PRIVATE_MEDIA_ROOT="$WORK/private" LOG_LEVEL=WARNING
unset REDIS_URL CACHE_URL TRUSTED_PROXIES

say "preparing the database $DB (migrate, catalogue, questionnaire, seed)"
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null
{
  "$PY" manage.py migrate --noinput
  "$PY" manage.py load_catalogue
  "$PY" manage.py load_questionnaire
  "$PY" manage.py collectstatic --noinput
  date +"seeding from %T"
  "$PY" loadtest/seed.py "$WORK/accounts.json"  # no broker: submissions are scored in-process
  date +"seeded at %T"
} >>"$LOG" 2>&1

say "starting redis-server, gunicorn and a Celery worker"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  >>"$LOG" 2>&1 &
PIDS+=($!)
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" CACHE_URL="redis://127.0.0.1:$REDIS_PORT/1"
"$BIN/gunicorn" portal.wsgi:application --bind "127.0.0.1:$WEB_PORT" --workers 2 \
  --timeout 30 >>"$LOG" 2>&1 &
PIDS+=($!)
"$BIN/celery" -A portal worker --concurrency 2 --loglevel WARNING >>"$LOG" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$WEB_PORT/healthz" || { say "gunicorn did not come up"; exit 1; }

say "running locust: $USERS users, spawn rate $SPAWN_RATE/s, ${LOADTEST_MEASURE_SECONDS}s"
LOADTEST_DATA="$WORK/accounts.json" LOADTEST_NOTE="$WORK/sign-in.txt" "$BIN/locust" -f loadtest/locustfile.py --headless \
  --host "http://127.0.0.1:$WEB_PORT" --users "$USERS" --spawn-rate "$SPAWN_RATE" \
  --run-time "$TIME_LIMIT" --stop-timeout 10 --csv "$WORK/locust" --only-summary \
  --exit-code-on-error 0 >>"$WORK/locust.log" 2>&1

if [ -f "$WORK/sign-in.txt" ]; then say "$(cat "$WORK/sign-in.txt")"; fi
"$PY" - "$WORK/locust_stats.csv" <<'PY'
import csv, sys

stats = csv.DictReader(open(sys.argv[1], encoding="utf-8"))
rows = {row["Name"]: row for row in stats if row["Request Count"] != "0"}  # sign-in: reset
for name, row in sorted(rows.items(), key=lambda item: -float(item[1]["95%"])):
    if name != "Aggregated":
        print(f"loadtest:   {name:<22} n={row['Request Count']:>6} p50 {row['50%']:>5} ms "
              f"p95 {row['95%']:>5} ms errors {row['Failure Count']}", file=sys.stderr)
failures = sys.argv[1].replace("_stats.csv", "_failures.csv")
for row in csv.DictReader(open(failures, encoding="utf-8")):
    print(f"loadtest:   failed {row['Occurrences']}x {row['Method']} {row['Name']}: "
          f"{row['Error']}", file=sys.stderr)
total = rows["Aggregated"]
print(
    f"loadtest: {float(total['Requests/s']):.1f} req/s, p50 {total['50%']} ms, "
    f"p95 {total['95%']} ms, errors {total['Failure Count']}"
)
PY
