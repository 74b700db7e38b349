#!/usr/bin/env bash
# Install the Debian 12 packages mops needs to build, test and demo.
#
# Fast path: if every package is already installed, print one line and exit.
# Otherwise: apt-get update, then a quiet, non-interactive install of the
# missing ones.  apt's output goes to a log file; its tail is shown on failure.
#
# Env: MOPS_DEPS_LOG  where apt's output goes (default: a new /tmp/mops-deps.*.log)
set -euo pipefail

PACKAGES=(
	postgresql-15                           # server (initdb, pg_ctl, postgres)
	postgresql-server-dev-15                # pg_config, PGXS, server headers
	postgresql-15-pgtap                     # the pgtap extension
	libtap-parser-sourcehandler-pgtap-perl  # pg_prove
	libicu-dev                              # ICU (label normalisation)
	pkg-config                              # finds ICU's flags
	clang                                   # libFuzzer harnesses
	libclang-rt-14-dev                      # libFuzzer/sanitizer runtimes
	valgrind                                # memcheck run of pg_regress tests
	default-jdk-headless                    # javac/java for the BI client test (test/jdbc)
	libpostgresql-jdbc-java                 # pgjdbc, /usr/share/java/postgresql.jar (test/jdbc)
	make
	gcc
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$pkg")
done
# Node.js runs the differential test against ClickHouse (chdb) and the
# benchmark's ClickHouse side.  Any node >= 18 with npm will do (a machine may
# have NodeSource's, which bundles npm); only when none is there do we
# install Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	missing+=(nodejs npm)
fi

if ((${#missing[@]} == 0)); then
	echo "deps: all ${#PACKAGES[@]} Debian packages and Node.js already installed"
	exit 0
fi

# Root runs apt directly; anyone else goes through sudo.
if ((EUID == 0)); then
	as_root=()
elif command -v sudo >/dev/null 2>&1; then
	as_root=(sudo)
else
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: installing them needs root, and sudo is not available;" >&2
	echo "deps: run as root: apt-get install ${missing[*]}" >&2
	exit 1
fi

log=${MOPS_DEPS_LOG:-$(mktemp --suffix=.log /tmp/mops-deps.XXXXXX)}
: >"$log"

# Run one apt command with its output in the log; on failure show the tail.
apt_quiet() {
	if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive "$@" </dev/null >>"$log" 2>&1; then
		echo "deps: FAILED: $*" >&2
		echo "deps: last lines of $log:" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

echo "deps: installing ${missing[*]} (log: $log)"
# Wait for a concurrent apt/dpkg (e.g. unattended-upgrades) instead of failing.
lock_wait=(-o DPkg::Lock::Timeout=300)
apt_quiet apt-get "${lock_wait[@]}" update -q
# --no-install-recommends: none of the recommended packages is needed (they
# are sysstat, logrotate, e2fsprogs, pgtap-doc, newer Test::Harness modules
# than perl's own, python3; llvm-14-dev, which PGXS needs for JIT bitcode,
# is a hard dependency of postgresql-server-dev-15).
# --force-confdef/confold: never stop at a config-file question.
# Installing postgresql-15 creates Debian's default cluster 15/main on port
# 5432 (and may start it); we never use it (our own cluster is on its own port
# and socket directory, see tools/cluster.sh), so it is left alone.
apt_quiet apt-get "${lock_wait[@]}" install -y -q --no-install-recommends \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	"${missing[@]}"

# Check that apt really delivered everything (and the tools we call exist).
still_missing=()
for pkg in "${missing[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || still_missing+=("$pkg")
done
if ((${#still_missing[@]} > 0)); then
	echo "deps: still not installed after apt-get: ${still_missing[*]} (see $log)" >&2
	exit 1
fi
for tool in /usr/lib/postgresql/15/bin/pg_config /usr/lib/postgresql/15/bin/initdb pg_prove clang; do
	command -v "$tool" >/dev/null 2>&1 || { echo "deps: $tool not found after install" >&2; exit 1; }
done
echo "deps: installed ${#missing[@]} package(s)"
