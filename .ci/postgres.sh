# Sourced by .ci/run: a throwaway PostgreSQL cluster for the storage tests, on a free port of
# 127.0.0.1 with trust auth, in a temporary directory, stopped at exit. Exports DATABASE_URL.
# Installs Debian's postgresql when no server binaries are found.

pg_bindir() {
  local dir
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! PG_BIN="$(pg_bindir)"; then
  echo "ci: installing Debian's postgresql for the storage tests"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  PG_BIN="$(pg_bindir)"
fi

PG_TMP="$(mktemp -d /tmp/ci-postgres.XXXXXX)"
# initdb and postgres refuse to run as root: run them as an unprivileged user.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown -R postgres "$PG_TMP"
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
stop_postgres() {
  local data
  for data in "$PG_TMP"/*/data; do
    [ -d "$data" ] && as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$PG_TMP"
}
trap stop_postgres EXIT

# `start_cluster NAME`: a cluster in $PG_TMP/NAME on a free port, with a database hold_relay_test;
# prints its URL.
start_cluster() {
  local dir="$PG_TMP/$1" port
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  mkdir -p "$dir"
  as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
  echo "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" >"$dir/options"
  as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres hold_relay_test
  echo "postgres://postgres@127.0.0.1:$port/hold_relay_test"
}

# The storage tests' cluster, shared by the unit and end-to-end files running side by side.
DATABASE_URL="$(start_cluster shared)"
export DATABASE_URL
# A second cluster for the one end-to-end test that stops its database mid-run and starts it again
# (`$PG_CONTROL stop|start`): stopping the shared one would fail whatever else uses it at that moment.
PG_CONTROL_URL="$(start_cluster stoppable)"
PG_CONTROL="$PG_TMP/stoppable/control.sh"
cat >"$PG_CONTROL" <<CONTROL
#!/usr/bin/env bash
set -eu
dir="$PG_TMP/stoppable"
ctl=("$PG_BIN/pg_ctl" -D "\$dir/data" -w -t 60)
[ "\$(id -u)" = 0 ] && ctl=(runuser -u postgres -- "\${ctl[@]}")
case "\$1" in
  stop) "\${ctl[@]}" -m fast stop >/dev/null ;;
  start) "\${ctl[@]}" -l "\$dir/server.log" -o "\$(cat "\$dir/options")" start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CONTROL
chmod +x "$PG_CONTROL"
export PG_CONTROL PG_CONTROL_URL
echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the storage tests on ${DATABASE_URL#*@}, and one to stop mid-run on ${PG_CONTROL_URL#*@}"
