#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests: `start` prints shell lines to eval,
#   eval "$(.ci/postgres.sh start)"    # exports BOUNCEBACK_TEST_POSTGRES_URL and BOUNCEBACK_PG_DIR
#   .ci/postgres.sh stop               # stops it and removes its folder
#   .ci/postgres.sh down | up          # an outage: stop the server, start it again (same data)
# initdb refuses to run as root, so as root the server runs as an unprivileged
# user (created if missing). Trust auth on 127.0.0.1 only; fsync is off because
# nothing here outlives the run.
set -euo pipefail

PG_USER="${BOUNCEBACK_PG_USER:-bounceback-ci}"

find_bin() {
    if command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v initdb)")"
        return
    fi
    local found
    found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$found" ]; then
        echo "initdb not found; installing Debian's postgresql package" >&2
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
        found="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi
    echo "$found"
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$PG_USER" -- "$@"
    else
        "$@"
    fi
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
    local bin dir port
    bin="$(find_bin)"
    dir="$(mktemp -d -t bounceback-pg.XXXXXX)"
    if [ "$(id -u)" = 0 ]; then
        id -u "$PG_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$PG_USER"
        chown "$PG_USER" "$dir"
    fi
    port="$(free_port)"
    echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c max_connections=200" >"$dir/options"
    as_owner "$bin/initdb" --pgdata "$dir/data" --username postgres --auth trust \
        --no-sync --encoding UTF8 --locale C >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    echo "$bin" >"$dir/bin"
    up_in "$dir" || exit 1
    echo "export BOUNCEBACK_PG_DIR='$dir'"
    echo "export BOUNCEBACK_TEST_POSTGRES_URL='postgresql://postgres@127.0.0.1:$port/postgres'"
}

up_in() {
    local dir="$1"
    as_owner "$(cat "$dir/bin")/pg_ctl" --pgdata "$dir/data" --log "$dir/server.log" --wait \
        --timeout 60 -o "$(cat "$dir/options")" start >&2 || {
        cat "$dir/server.log" >&2
        return 1
    }
}

down_in() {
    local dir="$1"
    as_owner "$(cat "$dir/bin")/pg_ctl" --pgdata "$dir/data" --mode fast --wait stop >&2
}

need_dir() {
    if [ -z "${BOUNCEBACK_PG_DIR:-}" ] || [ ! -f "$BOUNCEBACK_PG_DIR/bin" ]; then
        echo "BOUNCEBACK_PG_DIR does not name a server started by $0" >&2
        exit 1
    fi
}

stop() {
    local dir="${BOUNCEBACK_PG_DIR:-}"
    if [ -z "$dir" ] || [ ! -d "$dir" ]; then
        return 0
    fi
    if [ -f "$dir/data/postmaster.pid" ]; then
        down_in "$dir" || true
    fi
    rm -rf "$dir"
}

case "${1:-}" in
start) start ;;
stop) stop ;;
down) need_dir && down_in "$BOUNCEBACK_PG_DIR" ;;
up) need_dir && up_in "$BOUNCEBACK_PG_DIR" ;;
*)
    echo "usage: $0 start|stop|down|up" >&2
    exit 2
    ;;
esac
