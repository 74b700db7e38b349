#!/usr/bin/env bash
# A private PostgreSQL 15 cluster for mops' tests and demo, apart from any
# system cluster (Debian's 15/main on 5432 is never touched).
#
#   tools/cluster.sh start    initialise if needed, start, wait until ready
#   tools/cluster.sh stop     fast shutdown (no-op if not running)
#   tools/cluster.sh status   exit 0 if running, 3 if not
#   tools/cluster.sh env      print export lines: eval "$(tools/cluster.sh env)"
#   tools/cluster.sh psql [ARGS...]   psql into the cluster (database postgres)
#
# Port: MOPS_PGPORT (default 54315).  Everything lives in /tmp/mops-pg-$PORT:
#   data/         the data directory (superuser "postgres", trust auth)
#   server.log    the server log of the last start
#   initdb.log    initdb's output
#   .s.PGSQL.$PORT  the unix socket
# The server also listens on TCP 127.0.0.1:$PORT, for clients that cannot use a
# unix socket (the JDBC driver of the BI client test, test/jdbc).
#
# PostgreSQL refuses to run as root, so when this runs as root the server
# tools run as the OS user postgres (created by Debian's postgresql-common);
# otherwise they run as the invoking user, who then owns the cluster.
set -euo pipefail

PORT=${MOPS_PGPORT:-54315}
if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1024 || PORT > 65535)); then
	echo "cluster: MOPS_PGPORT must be a port number in 1024..65535, got '$PORT'" >&2
	exit 2
fi

BIN=/usr/lib/postgresql/15/bin
BASE=/tmp/mops-pg-$PORT
DATA=$BASE/data
LOG=$BASE/server.log
# Our settings live in $DATA/mops.conf, included from postgresql.conf.  It is
# written as the very last step of initialisation, so a data directory without
# it (initdb interrupted, say) counts as broken and is made anew.  It is
# written again before every start, so a data directory initialised by an
# older version of this script gets the current settings.
CONF=$DATA/mops.conf

if ((EUID == 0)); then
	OWNER=postgres
	if ! id -u postgres >/dev/null 2>&1; then
		echo "cluster: OS user 'postgres' does not exist; run tools/deps.sh first" >&2
		exit 1
	fi
	# cd /: the caller's directory (e.g. a repo under /root) may be unreadable
	# for postgres, and initdb/pg_ctl complain about that.
	as_owner() { (cd / && runuser -u postgres -- "$@"); }
else
	OWNER=$(id -un)
	as_owner() { "$@"; }
fi

die() {
	echo "cluster: $*" >&2
	exit 1
}

show_log() {
	if [[ -s $LOG ]]; then
		echo "cluster: last lines of $LOG:" >&2
		tail -n 30 "$LOG" >&2
	fi
}

is_running() {
	[[ -d $DATA ]] && as_owner "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1 || return 1
	# A postmaster that died (kill -9, OOM) stays a zombie until PID 1 reaps
	# it, which in some containers takes a while; pg_ctl and the server's own
	# lock-file check take a zombie for a live server.  It is dead: drop its
	# lock files so that a start works.
	local pid state
	pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
	state=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
	if [[ $state == Z ]]; then
		echo "cluster: server process $pid is dead (zombie); removing its lock files" >&2
		rm -f "$DATA/postmaster.pid" "$BASE/.s.PGSQL.$PORT" "$BASE/.s.PGSQL.$PORT.lock"
		return 1
	fi
	return 0
}

is_initialised() {
	[[ -f $DATA/PG_VERSION && -f $CONF ]] && [[ $(cat "$DATA/PG_VERSION") == 15 ]]
}

# Create $BASE owned by $OWNER (or take over a stale one when root).
prepare_base() {
	[[ -L $BASE ]] && die "$BASE is a symlink; refusing to use it"
	if [[ ! -d $BASE ]]; then
		mkdir -m 0755 "$BASE"
		if ((EUID == 0)); then chown postgres:postgres "$BASE"; fi
	fi
	local have
	have=$(stat -c %U "$BASE")
	if [[ $have != "$OWNER" ]]; then
		((EUID == 0)) || die "$BASE belongs to '$have', not '$OWNER': remove it or choose another MOPS_PGPORT"
		local pid
		pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
		if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
			die "a server owned by '$have' is running from $DATA (pid $pid); stop it first"
		fi
		chown -R postgres:postgres "$BASE"
	fi
}

init() {
	prepare_base
	echo "cluster: initialising $DATA"
	rm -rf "$DATA"
	# C.UTF-8 is built into Debian 12's libc (no locales package needed).
	locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' ||
		die "locale C.UTF-8 is not available on this system"
	if ! as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1; then
		echo "cluster: initdb failed; last lines of $BASE/initdb.log:" >&2
		tail -n 30 "$BASE/initdb.log" >&2
		exit 1
	fi
	echo "include 'mops.conf'" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
	write_conf || true
}

# The settings for mops.conf, on stdout.
#
# TCP on 127.0.0.1 only, with the trust authentication of the unix socket:
# initdb --auth=trust writes pg_hba.conf lines "host all all 127.0.0.1/32
# trust" and "host all all ::1/128 trust".  That lets every local user on this
# machine in as the superuser: acceptable only because this is a private,
# throw-away test cluster holding nothing of value; never copy it to a real
# server.
conf_text() {
	cat <<-CONF
		# Written by tools/cluster.sh: a throw-away cluster for tests and demo.
		# Rewritten before every start: edits here are lost.
		listen_addresses = '127.0.0.1'       # loopback TCP (JDBC) + unix socket
		port = $PORT
		unix_socket_directories = '$BASE'
		# Speed over durability: the data is disposable.
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		# Tests force parallel plans: make sure workers are available.
		max_worker_processes = 8
		max_parallel_workers = 8
		max_parallel_workers_per_gather = 4
		timezone = 'UTC'
		log_timezone = 'UTC'
	CONF
}

# Write mops.conf if it differs from conf_text; exit status 0 if it was
# (re)written, 1 if it was already current.
write_conf() {
	local want
	want=$(conf_text)
	if [[ -f $CONF ]] && [[ $(cat "$CONF") == "$want" ]]; then
		return 1
	fi
	printf '%s\n' "$want" | as_owner tee "$CONF" >/dev/null || die "could not write $CONF"
	return 0
}

# Start the server; the log is truncated first so its tail is about this start.
# The server must not inherit the caller's open files beyond stdin/out/err:
# a caller running under `flock LOCKFILE …` would otherwise leave the lock
# held by the postmaster for as long as the cluster runs.
pg_start() {
	as_owner truncate -s 0 "$LOG"
	(
		for fd in /proc/self/fd/*; do
			fd=${fd##*/}
			if ((fd > 2)); then
				eval "exec $fd>&-" 2>/dev/null || true
			fi
		done
		as_owner "$BIN/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 -s
	)
}

cmd_start() {
	if is_running; then
		echo "cluster: already running (port $PORT, socket directory $BASE)"
		# Started before mops.conf changed (e.g. by an older version of this
		# script, without TCP): the new settings need a restart.
		if write_conf; then
			echo "cluster: mops.conf was out of date and has been rewritten;" \
				"restart to apply it: $0 stop && $0 start" >&2
		fi
		return 0
	fi
	local fresh=0
	if ! is_initialised; then
		init
		fresh=1
	else
		prepare_base
		if write_conf; then
			echo "cluster: updated $CONF to the current settings"
		fi
	fi
	if ! pg_start; then
		if ((fresh)); then
			show_log
			die "could not start the server"
		fi
		# An existing data directory that won't start is treated as broken:
		# it only ever holds throw-away test and demo databases.
		show_log
		echo "cluster: start failed; re-initialising the data directory and retrying" >&2
		init
		pg_start || { show_log; die "could not start the server"; }
	fi
	echo "cluster: running (port $PORT, socket directory $BASE, log $LOG)"
}

cmd_stop() {
	if ! is_running; then
		echo "cluster: not running"
		return 0
	fi
	as_owner "$BIN/pg_ctl" stop -D "$DATA" -m fast -w -t 60 -s
	echo "cluster: stopped"
}

cmd_status() {
	if is_running; then
		echo "cluster: running (port $PORT, socket directory $BASE, data $DATA)"
		return 0
	elif is_initialised; then
		echo "cluster: stopped (data $DATA)"
	else
		echo "cluster: not initialised"
	fi
	return 3
}

cmd_env() {
	printf 'export PGHOST=%q\n' "$BASE"
	printf 'export PGPORT=%q\n' "$PORT"
	printf 'export PGUSER=postgres\n'
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) cmd_env ;;
psql)
	shift
	exec "$BIN/psql" -h "$BASE" -p "$PORT" -U postgres "$@"
	;;
*)
	echo "usage: $0 start|stop|status|env|psql [psql args...]" >&2
	exit 2
	;;
esac
