#!/usr/bin/env bash
# Start a throwaway PostgreSQL server owned by the `postgres` user under a temp dir and print its URL.
#   eval "$(bash .ci/postgres.sh start /tmp/xuefa-pg 55432)"   -> exports XUEFA_TEST_POSTGRES_URL
#   bash .ci/postgres.sh stop /tmp/xuefa-pg
# Needs Debian's `postgresql` package (initdb/pg_ctl under /usr/lib/postgresql/<v>/bin).
set -euo pipefail
action=${1:?start|stop} dir=${2:-/tmp/xuefa-pg} port=${3:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/pg_ctl" ] || { echo "postgresql is not installed (apt-get install postgresql)" >&2; exit 1; }
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $action in
start)
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        mkdir -p "$dir"
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
        as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2 \
            || { cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "export XUEFA_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >&2 || true
    ;;
*) echo "usage: $0 start|stop DIR [PORT]" >&2; exit 2 ;;
esac
