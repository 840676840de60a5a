#!/usr/bin/env bash
# `make bench-http`: the portal's pages against a bare Django page, measured in the same run.
# It creates a scratch PostgreSQL database (migrate, catalogue, the official texts, the
# questionnaire, loadtest/seed.py, the bare app's one-row table), starts a private redis-server,
# gunicorn for the portal (2 workers, production settings over plain HTTP on loopback, the cache
# and the broker on that redis) and gunicorn for bench/bare (2 workers, same database) on free
# loopback ports, signs in a member and a regulator (bench/http_session.py), warms each page
# up (two requests at once: one per worker), then drives it with wrk for BENCH_SECONDS
# (BENCH_CONNECTIONS connections, 2 threads) and prints one line per page:
#   bench-http: /regulations/ 412.3 req/s, p50 36.1 ms, p95 52.8 ms, 18.2% of bare, errors 0
# The bare page is measured first and last; its line and the ratios use the mean of the two.
# Errors are responses outside 2xx (a 409 of the autosave included) plus socket errors and
# time-outs. It stops everything it started and drops the database. Progress goes to stderr;
# the servers' output and wrk's own reports to a folder kept when the run fails.
# BENCH_SECONDS (10) per page, BENCH_CONNECTIONS (16), BENCH_TIMEOUT (10s: a slower response
# is an error), REGULATIONS_DIR (../shared/regulations; missing: the pages that read the
# texts are skipped), BENCH_PAGES (an extended regular expression: only the pages whose label
# matches are measured, besides the bare page), LOADTEST_PG (default the local server).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-.venv/bin/python}
BIN=$(dirname "$PY")
PG=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
TIMEOUT=${BENCH_TIMEOUT:-10s}
PAGES=${BENCH_PAGES:-.}
THREADS=2
REGULATIONS=${REGULATIONS_DIR:-../shared/regulations}
DB="hegui_bench_$$"
WORK=$(mktemp -d -t hegui-bench-http-XXXXXX)
LOG="$WORK/servers.log"
PIDS=()

say() { printf 'bench-http: %s\n' "$*" >&2; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  psql -q "$PG/postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$status" -eq 0 ]; then rm -rf "$WORK"; else say "failed; logs kept in $WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v wrk >/dev/null || { say "wrk is not installed (Debian package wrk)"; exit 1; }
command -v redis-server >/dev/null || { say "redis-server is not installed"; exit 1; }

WEB_PORT=$(free_port)
BARE_PORT=$(free_port)
REDIS_PORT=$(free_port)
WEB="http://127.0.0.1:$WEB_PORT"
BARE="http://127.0.0.1:$BARE_PORT"
export HEGUI_ENV=production DEBUG=false
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SITE_URL="$WEB" TWO_FACTOR_REQUIRED=false
export DATABASE_URL="$PG/$DB" PRIVATE_MEDIA_ROOT="$WORK/private" LOG_LEVEL=WARNING
unset REDIS_URL CACHE_URL TRUSTED_PROXIES DJANGO_SETTINGS_MODULE

TEXTS=yes
if [ ! -d "$REGULATIONS" ]; then
  TEXTS=no
  say "no official texts in $REGULATIONS (REGULATIONS_DIR): the regulation text, article"
  say "history and search pages will be skipped"
fi

say "preparing the database $DB (migrate, catalogue, texts, questionnaire, seed, bare table)"
psql -q "$PG/postgres" -c "CREATE DATABASE $DB" >/dev/null
{
  "$PY" manage.py migrate --noinput
  "$PY" manage.py load_catalogue
  if [ "$TEXTS" = yes ]; then "$PY" manage.py import_regulation "$REGULATIONS"; fi
  "$PY" manage.py load_questionnaire
  "$PY" manage.py collectstatic --noinput
  "$PY" loadtest/seed.py "$WORK/accounts.json"  # no broker yet: submissions scored in-process
  "$PY" -m django migrate --noinput --settings=bench.bare.settings
} >>"$LOG" 2>&1

say "starting redis-server, the portal and the bare app under gunicorn (2 workers each)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  >>"$LOG" 2>&1 &
PIDS+=($!)
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0" CACHE_URL="redis://127.0.0.1:$REDIS_PORT/1"
"$BIN/gunicorn" portal.wsgi:application --bind "127.0.0.1:$WEB_PORT" --workers 2 \
  --timeout 30 >>"$LOG" 2>&1 &
PIDS+=($!)
"$BIN/gunicorn" bench.bare.wsgi:application --bind "127.0.0.1:$BARE_PORT" --workers 2 \
  --timeout 30 --env DJANGO_SETTINGS_MODULE=bench.bare.settings >>"$LOG" 2>&1 &
PIDS+=($!)
for url in "$WEB/healthz" "$BARE/"; do
  for _ in $(seq 60); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && break
    sleep 0.5
  done
  curl -fsS -o /dev/null "$url" || { say "$url did not come up"; exit 1; }
done

say "signing in a member and a regulator"
"$PY" bench/http_session.py "$WEB" "$WORK/accounts.json" "$WORK/session.sh" >>"$LOG" 2>&1
# shellcheck source=/dev/null
. "$WORK/session.sh"
AS_MEMBER=(-H "Cookie: $BENCH_MEMBER_COOKIE")
AS_REGULATOR=(-H "Cookie: $BENCH_REGULATOR_COOKIE")
read -r -a QUESTIONS <<<"$BENCH_QUESTIONS"
say "the autosave POSTs go to ${#QUESTIONS[@]} questions of the draft $BENCH_DRAFT"
if [ "${#QUESTIONS[@]}" -lt "$CONNECTIONS" ]; then
  say "only ${#QUESTIONS[@]} questions for $CONNECTIONS connections: some autosaves will conflict"
fi

LABELS=() RPS=() P50=() P95=() ERRORS=()

# measure LABEL URL [curl/wrk options: -H ...] [-- autosave arguments]: warm up, then wrk.
measure() {
  local label=$1 url=$2 options=() script=bench/wrk.lua method=GET n=${#LABELS[@]}
  shift 2
  wanted "$label" || return 0
  while [ $# -gt 0 ] && [ "$1" != -- ]; do options+=("$1"); shift; done
  if [ $# -gt 0 ]; then shift; script=bench/autosave.lua method=POST; fi
  if [ "$method" = GET ]; then  # two at once, so that both workers have served the page
    local codes
    codes=$( (curl -s -o /dev/null -w '%{http_code}\n' "${options[@]}" "$url" &
      curl -s -o /dev/null -w '%{http_code}\n' "${options[@]}" "$url"; wait) | sort -u | xargs)
    [ "$codes" = 200 ] || say "warning: $label answered $codes when warmed up"
  fi
  say "measuring $label for ${DURATION}s"
  wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${DURATION}s" \
    --timeout "$TIMEOUT" --latency --script "$script" "${options[@]}" "$url" -- "$@" \
    >"$WORK/wrk-$n.txt" 2>&1 || { cat "$WORK/wrk-$n.txt" >&2; exit 1; }
  local line
  line=$(grep '^bench-wrk:' "$WORK/wrk-$n.txt") || { cat "$WORK/wrk-$n.txt" >&2; exit 1; }
  say "  $(sed -E 's/.* requests=([0-9]+) .* bytes=([0-9]+).*/\1 responses of \2 bytes on average/' <<<"$line")"
  if grep -q ' requests=0 ' <<<"$line"; then
    say "no response to $label within ${DURATION}s:"; cat "$WORK/wrk-$n.txt" >&2
  fi
  LABELS+=("$label")
  RPS+=("$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")")
  P50+=("$(sed -E 's/.* p50=([0-9.]+).*/\1/' <<<"$line")")
  P95+=("$(sed -E 's/.* p95=([0-9.]+).*/\1/' <<<"$line")")
  ERRORS+=("$(sed -E 's/.* non2xx=([0-9]+) socket=([0-9]+).*/\1 \2/' <<<"$line" | awk '{print $1 + $2}')")
}

wanted() { [[ $1 == bare* ]] || grep -Eq -- "$PAGES" <<<"$1"; }
skipped() { if wanted "$1"; then LABELS+=("$1") RPS+=(-) P50+=(-) P95+=(-) ERRORS+=(-); fi; }

DRAFT=$BENCH_DRAFT
SEARCH="/regulations/search/?q=%E4%B8%AA%E4%BA%BA%E4%BF%A1%E6%81%AF"  # q=个人信息
measure "bare (first)" "$BARE/"
measure "/healthz" "$WEB/healthz"
measure "/regulations/" "$WEB/regulations/"
for page in /regulations/CSL/ /regulations/CSL/articles/23/ "$SEARCH"; do
  label=$page
  [ "$page" = "$SEARCH" ] && label="/regulations/search/?q=个人信息"
  if [ "$TEXTS" = yes ]; then measure "$label" "$WEB$page"; else skipped "$label"; fi
done
measure "/assessments/" "$WEB/assessments/" "${AS_MEMBER[@]}"
measure "/assessments/$DRAFT/" "$WEB/assessments/$DRAFT/" "${AS_MEMBER[@]}"
measure "/assessments/$DRAFT/section/$BENCH_SECTION/" \
  "$WEB/assessments/$DRAFT/section/$BENCH_SECTION/" "${AS_MEMBER[@]}"
measure "/assessments/submissions/$BENCH_SUBMISSION/" \
  "$WEB/assessments/submissions/$BENCH_SUBMISSION/" "${AS_MEMBER[@]}"
measure "POST /assessments/$DRAFT/answer/<code>/" "$WEB/assessments/$DRAFT/answer/" \
  "${AS_MEMBER[@]}" -H "X-CSRFToken: $BENCH_MEMBER_CSRF" \
  -- "$THREADS" "/assessments/$DRAFT/answer/" "${QUESTIONS[@]}"
measure "/assessments/submissions/$BENCH_SUBMISSION/report.pdf" \
  "$WEB/assessments/submissions/$BENCH_SUBMISSION/report.pdf" "${AS_MEMBER[@]}"
measure "/review/" "$WEB/review/" "${AS_REGULATOR[@]}"
measure "/review/$BENCH_REVIEW/" "$WEB/review/$BENCH_REVIEW/" "${AS_REGULATOR[@]}"
measure "bare (last)" "$BARE/"

last=$((${#LABELS[@]} - 1))
say "bare page: ${RPS[0]} req/s first, ${RPS[$last]} req/s last"
for i in "${!LABELS[@]}"; do
  printf '%s\t%s\t%s\t%s\t%s\n' "${LABELS[$i]}" "${RPS[$i]}" "${P50[$i]}" "${P95[$i]}" "${ERRORS[$i]}"
done | awk -F'\t' -v last="$last" -v texts="$REGULATIONS" '
  { label[NR-1] = $1; rps[NR-1] = $2; p50[NR-1] = $3; p95[NR-1] = $4; errors[NR-1] = $5 }
  END {
    bare = (rps[0] + rps[last]) / 2
    printf "bench-http: %-44s %7.1f req/s, p50 %7.1f ms, p95 %7.1f ms, %5.1f%% of bare, errors %d\n",
      "bare Django (mean of first and last)", bare, (p50[0] + p50[last]) / 2,
      (p95[0] + p95[last]) / 2, 100, errors[0] + errors[last]
    for (i = 1; i < last; i++) {
      if (rps[i] == "-") {
        printf "bench-http: %-44s skipped: no official texts in %s\n", label[i], texts
      } else if (rps[i] == 0) {
        printf "bench-http: %-44s no response within the run, errors %d\n", label[i], errors[i]
      } else {
        printf "bench-http: %-44s %7.1f req/s, p50 %7.1f ms, p95 %7.1f ms, %5.1f%% of bare, errors %d\n",
          label[i], rps[i], p50[i], p95[i], 100 * rps[i] / bare, errors[i]
      }
    }
  }'
