#!/usr/bin/env bash
# Runs Debian's PostgreSQL in the foreground on one data folder and one loopback port, for the AppHost and the
# test fixtures alike. PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user.
#   usage: postgres.sh DATA_DIR PORT [-c NAME=VALUE ...]
#          (POSTGRES_PASSWORD in the environment sets the superuser's password when the folder is initialised; further
#          arguments go to the server, e.g. the bench's -c shared_preload_libraries=pg_stat_statements)
set -euo pipefail
data_dir=$1
port=$2
shift 2

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
  echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql); scripts/setup.sh installs it" >&2
  exit 127
fi

owner=$(id -un)
as_owner() { "$@"; }
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  as_owner() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
fi

mkdir -p "$data_dir"
chown "$owner" "$data_dir"
chmod 700 "$data_dir"
if ! as_owner test -w "$data_dir"; then
  echo "postgres.sh: the user '$owner' cannot reach $data_dir: a parent folder is not open to it" >&2
  exit 1
fi

if [ ! -s "$data_dir/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set to initialise a data folder}" > "$pwfile"
  chown "$owner" "$pwfile"
  as_owner "$bin/initdb" --pgdata="$data_dir" --username=postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=peer --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

# A server left running by an earlier run that was killed holds the folder: stop it first.
if as_owner "$bin/pg_ctl" status --pgdata="$data_dir" >/dev/null 2>&1; then
  echo "postgres.sh: stopping a server left running on $data_dir"
  as_owner "$bin/pg_ctl" stop --pgdata="$data_dir" --mode=fast --wait >/dev/null || true
fi

exec_as_owner() { if [ "$(id -u)" = 0 ]; then exec setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else exec "$@"; fi; }
exec_as_owner "$bin/postgres" -D "$data_dir" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories="$data_dir" \
  -c max_connections=300 -c shared_buffers=256MB -c fsync=on \
  -c log_min_messages=warning -c log_line_prefix='%m [%p] ' "$@"
