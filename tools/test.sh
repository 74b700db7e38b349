#!/usr/bin/env bash
# Everything `make test` (and CI, via .ci/run) does: install dependencies,
# build, install, start the private cluster, run every suite, stop the cluster.
#
# Suites, in this order (a failing suite does not stop the later ones):
#   fuzz          make fuzz-ci: each libFuzzer harness for a bounded time
#   differential  test/differential/*.js: mops against ClickHouse (chdb)
#   bench         make bench-ci: the bounded benchmarks (measure, never assert)
#   valgrind      make valgrind-ci: some pg_regress tests on a server under
#                 valgrind memcheck; fails on any report in mops.so
#   regress       make installcheck: pg_regress, sql/*.sql against expected/
#   jdbc          the BI client test, test/jdbc/run.sh: a Java program syncs
#                 schema mops through the JDBC driver, as a BI tool does, in a
#                 fresh database mops_jdbc with load_demo_data(1) (over TCP
#                 127.0.0.1)
#   pgtap         pg_prove test/*.sql in a fresh database mops_tap
# pgTAP runs last so that pg_prove's summary ("Files=…, Tests=…" and
# "Result: PASS") closes the output; CI reads the closing lines.
#
# Env:
#   MOPS_SKIP_FUZZ=1        skip the fuzz suite (quick developer runs)
#   MOPS_SUITES="regress"   run only these suites (default: all of the above)
#   MOPS_PGPORT             the cluster's port (default 54315, tools/cluster.sh)
# pg_regress subsets work through make: `make test REGRESS="setup label"`.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
PG_BIN=/usr/lib/postgresql/15/bin

suites=${MOPS_SUITES:-fuzz differential bench valgrind regress jdbc pgtap}
if [[ ${MOPS_SKIP_FUZZ:-} == 1 ]]; then
	suites=${suites//fuzz/}
fi
for s in $suites; do
	case $s in
	fuzz | differential | bench | valgrind | regress | jdbc | pgtap) ;;
	*)
		echo "test: unknown suite '$s' in MOPS_SUITES (known: fuzz differential bench valgrind regress jdbc pgtap)" >&2
		exit 2
		;;
	esac
done
wants() { [[ " $suites " == *" $1 "* ]]; }

section() { printf '\n==== %s ====\n' "$*"; }

section "dependencies"
tools/deps.sh

section "build"
make -j2 PG_CONFIG="$PG_CONFIG"

section "install"
if ((EUID == 0)); then
	make install PG_CONFIG="$PG_CONFIG" >/dev/null
else
	sudo make install PG_CONFIG="$PG_CONFIG" >/dev/null
fi
echo "installed into $("$PG_CONFIG" --sharedir)/extension and $("$PG_CONFIG" --pkglibdir)"

section "cluster"
# Stop the cluster on the way out (success, failure or interrupt), but only if
# this run started it: a cluster kept by `make demo KEEP=1` stays up.
# Quietly, so that pg_prove's summary stays the last output.
started=0
stop_cluster() {
	if ((started)); then
		tools/cluster.sh stop >/dev/null || echo "test: could not stop the cluster" >&2
	fi
}
trap stop_cluster EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if ! tools/cluster.sh status >/dev/null; then
	started=1
fi
tools/cluster.sh start
eval "$(tools/cluster.sh env)"

failed=()
psql_q=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)

if wants fuzz; then
	section "fuzz (make fuzz-ci)"
	make fuzz-ci PG_CONFIG="$PG_CONFIG" || failed+=(fuzz)
fi

if wants differential || wants bench; then
	section "Node.js packages (test/node: chdb, pg)"
	# The versions package-lock.json names, from the registry.  Not `npm ci`:
	# npm 10+ refuses it when the lock lacks chdb's optional packages for
	# other platforms, which a registry mirror need not carry; `npm install
	# --no-save` installs the locked versions and leaves the lock alone.
	if [[ ! -d test/node/node_modules/chdb || ! -d test/node/node_modules/pg ]]; then
		(cd test/node && npm install --no-save --no-audit --no-fund --loglevel=error) || failed+=(node_packages)
	else
		echo "already installed"
	fi
fi

if wants differential; then
	section "differential (mops against ClickHouse)"
	for script in test/differential/*.js; do
		PGDATABASE=postgres node "$script" || failed+=("differential:$(basename "$script")")
	done
fi

if wants bench; then
	section "bench (make bench-ci: bounded, measures only)"
	make bench-ci PG_CONFIG="$PG_CONFIG" || failed+=(bench)
fi

if wants valgrind; then
	section "valgrind (make valgrind-ci)"
	make valgrind-ci PG_CONFIG="$PG_CONFIG" || failed+=(valgrind)
fi

if wants regress; then
	section "pg_regress (make installcheck)"
	rm -f regression.diffs
	if ! make installcheck PG_CONFIG="$PG_CONFIG"; then
		failed+=(pg_regress)
		if [[ -f regression.diffs ]]; then
			echo "---- regression.diffs ----"
			cat regression.diffs
			echo "---- end of regression.diffs ----"
		fi
	fi
fi

if wants jdbc; then
	section "BI client test (test/jdbc: JDBC sync of schema mops)"
	# Fresh database each run: the extension and its demo data (so that
	# every view has rows to read).
	if ! PGOPTIONS='-c client_min_messages=warning' "${psql_q[@]}" -d postgres \
		-c 'DROP DATABASE IF EXISTS mops_jdbc WITH (FORCE)' \
		-c 'CREATE DATABASE mops_jdbc' ||
		! "${psql_q[@]}" -d mops_jdbc -c 'CREATE EXTENSION mops' \
			-c 'SELECT count(*) FROM mops.load_demo_data(1)' -o /dev/null; then
		echo "test: could not set up database mops_jdbc" >&2
		failed+=(jdbc)
	elif ! MOPS_PGPORT=$PGPORT test/jdbc/run.sh mops_jdbc; then
		failed+=(jdbc)
	fi
fi

if wants pgtap; then
	section "pgTAP (pg_prove)"
	if ((${#failed[@]} > 0)); then
		echo "(earlier suites FAILED: ${failed[*]})"
	fi
	shopt -s nullglob
	tap_files=(test/*.sql)
	shopt -u nullglob
	if ((${#tap_files[@]} == 0)); then
		echo "test: no pgTAP files test/*.sql" >&2
		failed+=(pgtap)
	# Fresh database each run; the tests rely on pgtap and mops being there.
	elif ! PGOPTIONS='-c client_min_messages=warning' "${psql_q[@]}" -d postgres \
		-c 'DROP DATABASE IF EXISTS mops_tap WITH (FORCE)' \
		-c 'CREATE DATABASE mops_tap' ||
		! "${psql_q[@]}" -d mops_tap \
			-c 'CREATE EXTENSION pgtap' \
			-c 'CREATE EXTENSION mops'; then
		echo "test: could not set up database mops_tap" >&2
		failed+=(pgtap)
	elif ! pg_prove --psql-bin "$PG_BIN/psql" -d mops_tap --failures --comments "${tap_files[@]}"; then
		failed+=(pgtap)
	fi
fi

# Nothing more is printed on success: pg_prove's summary is the last output.
if ((${#failed[@]} > 0)); then
	echo "test: FAILED: ${failed[*]}" >&2
	exit 1
fi
