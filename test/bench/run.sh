#!/usr/bin/env bash
# test/bench/run.sh - the window_funnel and attribution benchmarks (see
# test/bench/README.md)
#
#   test/bench/run.sh            full run: window_funnel on 2 x 1,000,000 events,
#                                attribution on 1,000,000 touches, the KPI
#                                scorecard on load_demo_data(10); 5 timed runs
#   test/bench/run.sh --ci       bounded run: 2 x 100,000 events, 100,000
#                                touches, load_demo_data(1); 1 timed run
#
# Options (after --ci they override its values):
#   --only NAME       run one benchmark only: window_funnel, attribution or kpi
#   --runs N          timed runs per variant (median reported; default 5, --ci 1)
#   --warmup N        untimed warm-up rounds before them (default 1)
#   --events N        window_funnel: events per data set, a multiple of 1000
#                     (default 1000000, --ci 100000): A has N/10 users x 10
#                     events, B N/1000 x 1000
#   --touches N       attribution: touches, a multiple of 100 (default 1000000,
#                     --ci 100000) of N/5 customers; Markov on the paths of
#                     N/10 of them
#   --scale N         kpi: the scale of load_demo_data (default 10, --ci 1)
#   --parallel N      window_funnel: also a pass with N parallel workers per
#                     gather (the leader takes part too) and ClickHouse
#                     max_threads N+1
#   --no-clickhouse   skip the ClickHouse (chdb) side of window_funnel
#   --keep            keep the database mops_bench afterwards
#
# Uses the server of PGHOST/PGPORT/PGUSER (the extension must be installed
# there) and creates and drops the database mops_bench.  Benchmarks are not
# assertions: missed targets are reported, and the exit status is 0.  It is
# non-zero only on errors, or when a mops function and the plain-SQL
# formulation disagree (mops.window_funnel for some user, attribute for some
# channel), or markov_attribution does not hand out what it was fitted on.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
db=mops_bench

ci=0
only=
runs=
warmup=1
events=
touches=
scale=
workers=0
clickhouse=1
keep=0

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }
die() {
	echo "bench: $*" >&2
	exit 2
}
posint() {
	if ! [[ $2 =~ ^[0-9]+$ ]] || (($2 < $3)); then
		die "$1 needs a whole number >= $3, got '$2'"
	fi
}

while (($#)); do
	case $1 in
	--ci) ci=1 ;;
	--only)
		case ${2-} in
		window_funnel | attribution | kpi) only=$2 && shift ;;
		*) die "--only needs window_funnel, attribution or kpi, got '${2-}'" ;;
		esac
		;;
	--runs) posint "$1" "${2-}" 1 && runs=$2 && shift ;;
	--warmup) posint "$1" "${2-}" 0 && warmup=$2 && shift ;;
	--events) posint "$1" "${2-}" 1000 && events=$2 && shift ;;
	--touches) posint "$1" "${2-}" 100 && touches=$2 && shift ;;
	--scale) posint "$1" "${2-}" 1 && scale=$2 && shift ;;
	--parallel) posint "$1" "${2-}" 1 && workers=$2 && shift ;;
	--no-clickhouse) clickhouse=0 ;;
	--keep) keep=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option '$1' (see --help)" ;;
	esac
	shift
done
if ((ci)); then
	: "${runs:=1}" "${events:=100000}" "${touches:=100000}" "${scale:=1}"
else
	: "${runs:=5}" "${events:=1000000}" "${touches:=1000000}" "${scale:=10}"
fi
((events % 1000 == 0)) || die "--events must be a multiple of 1000, got $events"
((touches % 100 == 0)) || die "--touches must be a multiple of 100, got $touches"
funnel=1
attribution=1
kpi=1
case $only in
window_funnel) attribution=0 kpi=0 ;;
attribution) funnel=0 kpi=0 ;;
kpi) funnel=0 attribution=0 ;;
esac

command -v psql >/dev/null || die "psql not found"
psql_() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

work=$(mktemp -d /tmp/mops-bench.XXXXXX)
cleanup() {
	local status=$?
	rm -rf "$work"
	if ((!keep)); then
		psql_ -d postgres -c "SET client_min_messages = warning" \
			-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null ||
			echo "bench: could not drop database $db" >&2
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$(date +%s)
psql_ -d postgres -c "SET client_min_messages = warning" \
	-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db" >/dev/null

server=$(psql_ -d "$db" -Atc "SHOW server_version")
# which mops: the installed library's and install script's checksums, when
# they are on this machine (superuser: the pg_config view)
lib=
if command -v md5sum >/dev/null; then
	libdir=$(psql_ -d "$db" -Atc "SELECT setting FROM pg_config WHERE name = 'PKGLIBDIR'" 2>/dev/null || true)
	script=$(psql_ -d "$db" -Atc "SELECT c.setting || '/extension/mops--' || e.default_version || '.sql'
		FROM pg_config AS c, pg_available_extensions AS e
		WHERE c.name = 'SHAREDIR' AND e.name = 'mops'" 2>/dev/null || true)
	if [[ -n $libdir && -r $libdir/mops.so ]]; then
		lib=", mops.so md5 $(md5sum "$libdir/mops.so" | cut -c1-12)"
	fi
	if [[ -n $script && -r $script ]]; then
		lib+=", ${script##*/} md5 $(md5sum "$script" | cut -c1-12)"
	fi
fi
tree=$(git -C "$here" describe --always --dirty 2>/dev/null || true)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)
mem=$(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)
names=()
sizes=()
if ((funnel)); then
	names+=(window_funnel)
	sizes+=("$events events per data set")
fi
if ((attribution)); then
	names+=(attribution)
	sizes+=("$touches touches")
fi
if ((kpi)); then
	names+=(kpi)
	sizes+=("load_demo_data($scale)")
fi
what=$(IFS=+ && echo "${names[*]}")
size=$(IFS=, && echo "${sizes[*]}")
echo "bench ${what//+/ + }: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs (${cpu:-unknown CPU}), $mem, PostgreSQL $server"
echo "  mops ${tree:-(not a git checkout)}$lib"
echo "  $(if ((ci)); then echo bounded; else echo full; fi) run: ${size//,/, }, $warmup warm-up + $runs timed runs per variant;" \
	"session settings: max_parallel_workers_per_gather=0 jit=off work_mem=256MB hash_mem_multiplier=2"

# ClickHouse (chdb) is optional: node and test/node/node_modules/chdb
chdb="$here/../node/node_modules/chdb"
if ((clickhouse && funnel)) && ! { command -v node >/dev/null && [[ -d $chdb ]]; }; then
	echo "  ClickHouse side skipped: needs node and chdb (cd test/node && npm install --no-save)"
	clickhouse=0
fi

if ((funnel)); then
	set +e
	psql_ -d "$db" -v users_a=$((events / 10)) -v per_a=10 -v span_a=10800 \
		-v users_b=$((events / 1000)) -v per_b=1000 -v span_b=2592000 \
		-v runs="$runs" -v warmup="$warmup" -v workers="$workers" \
		-f "$here/window_funnel.sql" 2>&1 | sed -e 's/^psql:[^ ]* NOTICE:  /  /' -e 's/^bench: /  /'
	status=${PIPESTATUS[0]}
	set -e
	((status == 0)) || {
		echo "bench: failed (psql exit status $status)" >&2
		exit "$status"
	}

	ch_version=
	if ((clickhouse)); then
		echo "  ClickHouse side: loading the same rows into chdb and timing"
		for ds in A B; do
			psql_ -d "$db" -c "COPY (SELECT user_id, e, extract(epoch FROM ts)::bigint
				FROM bench.events_${ds,,}) TO STDOUT" >"$work/events_$ds.tsv"
		done
		node "$here/clickhouse.js" "$work" "$runs" "$warmup" "$((workers > 0 ? workers + 1 : 1))"
		ch_version=$(cat "$work/ch_version")
		psql_ -d "$db" -c "\\copy bench.timing FROM '$work/ch_timing.tsv'"
		for ds in a b; do
			psql_ -d "$db" -c "CREATE TABLE bench.ch_level_$ds (user_id integer, x integer)" \
				-c "\\copy bench.ch_level_$ds FROM '$work/ch_levels_${ds^^}.tsv'"
		done
	fi

	echo "  measured in $(($(date +%s) - started)) s"
	psql_ -d "$db" -v ch_version="$ch_version" -f "$here/report.sql"
fi

if ((attribution)); then
	if ((funnel)); then
		echo
	fi
	started=$(date +%s)
	set +e
	psql_ -d "$db" -v customers=$((touches / 5)) -v paths=$((touches / 10)) \
		-v runs="$runs" -v warmup="$warmup" \
		-f "$here/attribution.sql" 2>&1 | sed -e 's/^psql:[^ ]* NOTICE:  /  /' -e 's/^bench: /  /'
	status=${PIPESTATUS[0]}
	set -e
	((status == 0)) || {
		echo "bench: attribution failed (psql exit status $status)" >&2
		exit "$status"
	}
	echo "  measured in $(($(date +%s) - started)) s"
	psql_ -d "$db" -f "$here/attribution_report.sql"
fi

if ((kpi)); then
	if ((funnel || attribution)); then
		echo
	fi
	started=$(date +%s)
	# A database of its own: load_demo_data fills the mops tables of the
	# database it runs in.
	psql_ -d postgres -c "SET client_min_messages = warning" \
		-c "DROP DATABASE IF EXISTS ${db}_kpi WITH (FORCE)" -c "CREATE DATABASE ${db}_kpi" >/dev/null
	set +e
	PGDATABASE=${db}_kpi psql_ -d "${db}_kpi" -v scale="$scale" -v runs="$runs" -v warmup="$warmup" \
		-f "$here/kpi.sql" 2>&1 | sed -e 's/^psql:[^ ]* NOTICE:  /  /' -e 's/^bench: /  /'
	status=${PIPESTATUS[0]}
	set -e
	if ((!keep)); then
		psql_ -d postgres -c "SET client_min_messages = warning" \
			-c "DROP DATABASE IF EXISTS ${db}_kpi WITH (FORCE)" >/dev/null || true
	fi
	((status == 0)) || {
		echo "bench: kpi failed (psql exit status $status)" >&2
		exit "$status"
	}
	echo "  measured in $(($(date +%s) - started)) s"
fi
