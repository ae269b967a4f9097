#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the agency server tests (issue 10), in a folder it owns.
#   tests/pg_server.sh start DIR   initdb into DIR/data and start it on the Unix socket DIR/sock
#   tests/pg_server.sh stop DIR    stop it at once and remove DIR
# No TCP port is opened (listen_addresses is empty): nothing else on the network reaches it.
# Every login, over the socket too, is scram-sha-256. The cluster's superuser is solace_dba with
# the password in DIR/password; DIR/url is the URL of its database `solace`.
# initdb refuses root, so as root the cluster runs as the `postgres` user (runuser).
# Where PostgreSQL is not installed, start writes the reason to DIR/unavailable and exits 0, so
# the server tests skip; in CI (CI=true) it fails instead.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
case "$dir" in /*) ;; *) dir="$PWD/$dir" ;; esac

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

unavailable() {
  mkdir -p "$dir"
  printf '%s\n' "$1" >"$dir/unavailable"
  if [ "${CI:-}" = true ]; then
    echo "The PostgreSQL server for the agency tests cannot start in CI: $1" >&2
    exit 1
  fi
  echo "SKIPPED: no PostgreSQL, so the agency server tests will skip: $1" >&2
  exit 0
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ] && [ -n "$bin" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" stop -m immediate -w >/dev/null 2>&1 || true
  fi
  # Only a folder this script made (never what a wrong argument names).
  if [ -f "$dir/password" ] || [ -f "$dir/unavailable" ]; then rm -rf "$dir"; fi
}

start() {
  stop # whatever an interrupted run left behind
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    unavailable "PostgreSQL is not installed here (install the Debian package postgresql: ./dev setup)"
  fi
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    unavailable "there is no postgres user to run the cluster as (initdb refuses root)"
  fi
  if [ ${#dir} -gt 80 ]; then
    echo "the folder $dir is too long a path for a Unix socket; build in a shorter one" >&2
    exit 1
  fi
  mkdir -p "$dir/sock"
  head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$dir/password"
  chmod 700 "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$dir"; fi
  as_owner "$bin/initdb" -D "$dir/data" -U solace_dba --pwfile="$dir/password" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
unix_socket_directories = '$dir/sock'
unix_socket_permissions = 0777
password_encryption = 'scram-sha-256'
fsync = off
max_connections = 100
EOF
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null ||
    { cat "$dir/server.log" >&2; exit 1; }
  # Tests as other users (and the socket) reach into DIR.
  chmod 755 "$dir"
  chmod 644 "$dir/password"
  printf 'postgresql://solace_dba@/solace?host=%s/sock\n' "$dir" >"$dir/url"
  PGPASSWORD=$(cat "$dir/password") as_owner env PGPASSWORD="$(cat "$dir/password")" \
    "$bin/createdb" -h "$dir/sock" -U solace_dba solace
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') for the tests is on $dir/sock"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
