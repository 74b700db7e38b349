#!/usr/bin/env bash
# What `make demo` does: install dependencies, build, install, start the
# private cluster, run demo/demo.sql in a fresh database mops_demo, and stop
# the cluster again (also on failure).
#
# Env:
#   KEEP=1        leave the cluster running afterwards (`make demo KEEP=1`)
#   MOPS_PGPORT   the cluster's port (default 54315, see tools/cluster.sh)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
PG_BIN=/usr/lib/postgresql/15/bin
DB=mops_demo

tools/deps.sh

echo "demo: building"
# Build output goes to a log; it is shown only if the build fails.
build_log=$(mktemp /tmp/mops-build.XXXXXX)
as_root=()
((EUID == 0)) || as_root=(sudo)
if ! make -j2 PG_CONFIG="$PG_CONFIG" >"$build_log" 2>&1 ||
	! "${as_root[@]}" make install PG_CONFIG="$PG_CONFIG" >>"$build_log" 2>&1; then
	cat "$build_log" >&2
	rm -f "$build_log"
	echo "demo: build or install failed" >&2
	exit 1
fi
rm -f "$build_log"

keep=0
if [[ -n ${KEEP:-} && ${KEEP:-} != 0 ]]; then keep=1; fi
stop_cluster() {
	if ((!keep)); then
		tools/cluster.sh stop >/dev/null || echo "demo: could not stop the cluster" >&2
	fi
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tools/cluster.sh start
eval "$(tools/cluster.sh env)"

psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
PGOPTIONS='-c client_min_messages=warning' "${psql[@]}" -d postgres \
	-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
	-c "CREATE DATABASE $DB"
"${psql[@]}" -d "$DB" -c 'CREATE EXTENSION mops'

echo
# Not -q here: the demo shows its queries' results.
"$PG_BIN/psql" -X -v ON_ERROR_STOP=1 -f demo/demo.sql "$DB"

if ((keep)); then
	echo
	echo "demo: the cluster is still running (KEEP=1). Connect with:"
	echo "  psql -h $PGHOST -p $PGPORT -U postgres $DB"
	echo "Stop it with:"
	if [[ -n ${MOPS_PGPORT:-} ]]; then
		echo "  make stop MOPS_PGPORT=$MOPS_PGPORT"
	else
		echo "  make stop"
	fi
else
	echo
	echo "demo: done; stopping the cluster (run 'make demo KEEP=1' to keep it)"
fi
