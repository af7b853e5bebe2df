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
PG_PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
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
  as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
trap stop_postgres EXIT

as_pg "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust --no-sync -E UTF8 >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c fsync=off" start >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres hold_relay_test
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/hold_relay_test"
# Lets the end-to-end tests stop and start this cluster mid-run: `$PG_CONTROL stop|start`.
PG_CONTROL="$PG_TMP/control.sh"
cat >"$PG_CONTROL" <<CONTROL
#!/usr/bin/env bash
set -eu
ctl=("$PG_BIN/pg_ctl" -D "$PG_TMP/data" -w -t 60)
[ "\$(id -u)" = 0 ] && ctl=(runuser -u postgres -- "\${ctl[@]}")
case "\$1" in
  stop) "\${ctl[@]}" -m fast stop >/dev/null ;;
  start) "\${ctl[@]}" -l "$PG_TMP/server.log" -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_TMP -c fsync=off" start >/dev/null ;;
  *) echo "usage: \$0 stop|start" >&2; exit 2 ;;
esac
CONTROL
chmod +x "$PG_CONTROL"
export PG_CONTROL
echo "ci: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT for the storage tests"
