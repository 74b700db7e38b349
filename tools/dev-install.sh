#!/usr/bin/env bash
# Build and install the extension from a private copy of the work tree, one
# caller at a time (flock), so that several people or agents working in the
# same checkout never interleave half-built objects.  Developer convenience;
# CI and `make test` build in place.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
build=/tmp/mops-dev-build
exec 9>/tmp/mops-dev-install.lock
flock 9
rm -rf "$build" && mkdir -p "$build"
# copy sources only (no objects), then build there
tar -C "$here" --exclude='*.o' --exclude='*.so' --exclude='*.bc' --exclude=.git \
	--exclude=results --exclude=test/fuzz/build --exclude=test/fuzz/work -cf - . |
	tar -C "$build" -xf -
make -C "$build" -s -j2 PG_CONFIG="$PG_CONFIG" >/dev/null
make -C "$build" -s install PG_CONFIG="$PG_CONFIG" >/dev/null
echo "dev-install: installed from $build"
