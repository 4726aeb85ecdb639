#!/usr/bin/env bash
# The load test (a benchmark, not part of the suite): the 30,000-child demo area in PostgreSQL
# (database tellonce_load, built the first time), gunicorn with the shipped configuration,
# then `manage.py load_test` (50 signed-in users for 60 s by default; pass its options).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tellonce_load}
PORT=${LOAD_PORT:-8090}
export DATABASE_URL=$PG AXES_ENABLED=false LOG_LEVEL=WARNING
psql "${PG%/*}/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname='${PG##*/}'" | grep -q 1 \
  || psql "${PG%/*}/postgres" -c "CREATE DATABASE ${PG##*/}"
.venv/bin/python manage.py migrate --verbosity 0
.venv/bin/python manage.py generate_area --seed 2026 --children 30000 --if-empty
GUNICORN_BIND=127.0.0.1:$PORT LOG_FORMAT=text .venv/bin/gunicorn tellonce.wsgi --access-logfile /dev/null &
SERVER=$!
trap 'kill $SERVER' EXIT
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 1; done
.venv/bin/python manage.py load_test --url "http://127.0.0.1:$PORT" "$@"
