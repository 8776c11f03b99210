#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the tests, installing it from
# Debian's packages when the machine has none. Prints the admin URL on stdout.
# Usage: .ci/postgres.sh start DIR PORT | .ci/postgres.sh stop DIR
set -euo pipefail

action=${1:?start or stop}
dir=${2:?data directory}
port=${3:-55432}

pg_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  echo "$found"
}

case "$action" in
  start)
    bin=$(pg_bin)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
      echo "installing PostgreSQL from Debian's packages" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq postgresql >&2
      bin=$(pg_bin)
    fi
    # The server refuses to run as root; Debian's package creates the postgres user.
    run_as=()
    if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    bin=$(pg_bin)
    run_as=()
    if [ "$(id -u)" = 0 ]; then run_as=(runuser -u postgres --); fi
    [ -d "$dir/data" ] && "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
