#!/usr/bin/env bash
# Run pg_regress tests against a PostgreSQL server running under valgrind
# (memcheck) and fail if valgrind reports an error in a stack that passes
# through mops.so.  PostgreSQL's own known reports (WAL write padding, the
# regex cache's overlapping memcpy, ld.so while loading JIT) do not involve
# mops and are ignored; every report is kept in the log directory.
#
#   tools/valgrind.sh [test ...]     default: every sql/*.sql (setup first)
#
# The server gets its own cluster on port MOPS_VG_PORT (default 54316) under
# /tmp/mops-vg-$PORT, runs as the postgres OS user when started as root, and
# is stopped on exit.  Needs the extension installed (make install).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=${MOPS_VG_PORT:-54316}
BIN=/usr/lib/postgresql/15/bin
BASE=/tmp/mops-vg-$PORT
LOGS=$BASE/valgrind
PG_REGRESS=$(/usr/lib/postgresql/15/bin/pg_config --pkglibdir)/pgxs/src/test/regress/pg_regress

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed; run tools/deps.sh" >&2
	exit 1
fi
as_owner=()
if ((EUID == 0)); then as_owner=(runuser -u postgres --); fi

tests=("$@")
if ((${#tests[@]} == 0)); then
	mapfile -t tests < <(ls sql/*.sql | sed 's|sql/||; s|\.sql$||' | grep -vx setup)
fi

rm -rf "$BASE" && mkdir -p "$LOGS"
if ((EUID == 0)); then chown -R postgres "$BASE"; fi
"${as_owner[@]}" "$BIN/initdb" -D "$BASE/data" --auth=trust -U postgres \
	--encoding=UTF8 --locale=C.UTF-8 >"$BASE/initdb.log"

stop() {
	"${as_owner[@]}" "$BIN/pg_ctl" -D "$BASE/data" -m fast stop >/dev/null 2>&1 || true
}
trap stop EXIT

# the postmaster and every backend under memcheck, one log per process
(cd / && "${as_owner[@]}" valgrind --quiet --trace-children=yes --error-limit=no \
	--num-callers=40 --log-file="$LOGS/vg.%p.log" \
	"$BIN/postgres" -D "$BASE/data" -p "$PORT" -k "$BASE" -c listen_addresses='' \
	-c fsync=off -c jit=off -c timezone=UTC -c max_parallel_workers_per_gather=2 \
	>"$BASE/server.log" 2>&1 &)
for _ in $(seq 120); do
	"$BIN/pg_isready" -q -h "$BASE" -p "$PORT" && break
	sleep 1
done

echo "valgrind: running ${#tests[@]} pg_regress tests under memcheck (logs: $LOGS)"
status=0
# Tests write files with \copy to results/ (relative to this directory, as
# in make installcheck, which creates it); on a clean clone this suite runs
# first.
mkdir -p results
PGHOST=$BASE PGPORT=$PORT PGUSER=postgres "$PG_REGRESS" --inputdir=. \
	--outputdir="$BASE/out" --bindir="$BIN" --dbname=contrib_regression \
	setup "${tests[@]}" || status=1
stop
# the differences, in the log CI keeps (the output directory is gone with the machine)
if [[ $status != 0 && -s $BASE/out/regression.diffs ]]; then
	echo "valgrind: pg_regress differences:"
	head -200 "$BASE/out/regression.diffs"
fi

# A report counts if any frame of its stack is in mops.so.
reports=$(awk '
	/^==[0-9]+== [A-Z]/ && !/ERROR SUMMARY|HEAP SUMMARY|LEAK SUMMARY/ { if (block ~ /mops\.so/) print block; block = $0 "\n"; next }
	/^==[0-9]+==    (at|by) / { block = block $0 "\n"; next }
	{ if (block ~ /mops\.so/) print block; block = "" }
	END { if (block ~ /mops\.so/) print block }' "$LOGS"/vg.*.log)
if [[ -n $reports ]]; then
	echo "valgrind: errors in mops:"
	echo "$reports"
	status=1
fi
all=$(cat "$LOGS"/vg.*.log | grep -cE '^==[0-9]+== (Invalid|Conditional|Use of uninit|Syscall param|Source and destination|Mismatched)' || true)
echo "valgrind: ${#tests[@]} tests, $all reports in all, $( [[ -n $reports ]] && echo "some" || echo "none") in mops"
exit $status
