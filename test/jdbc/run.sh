#!/usr/bin/env bash
# The BI client test: compile test/jdbc/BiSync.java and run it against the
# private cluster over TCP (127.0.0.1, the JDBC driver cannot use the unix
# socket).  Plain output, ending with "jdbc: PASS" or "jdbc: FAIL"; the exit
# status says the same (0 pass, 1 fail, 2 could not run).
#
#   test/jdbc/run.sh [DATABASE]
#
# DATABASE (default $PGDATABASE, else mops_jdbc) must exist and have
# CREATE EXTENSION mops; tools/test.sh's jdbc suite makes a fresh one.
# Env:
#   MOPS_PGPORT              the cluster's port (default 54315, tools/cluster.sh)
#   MOPS_JDBC_JAR            the driver (default Debian's /usr/share/java/postgresql.jar)
#   MOPS_JDBC_QUERY_TIMEOUT  seconds per SELECT (default 300)
# Needs default-jdk-headless and libpostgresql-jdbc-java (tools/deps.sh).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
build=$here/build
PORT=${MOPS_PGPORT:-54315}
DB=${1:-${PGDATABASE:-mops_jdbc}}
JAR=${MOPS_JDBC_JAR:-/usr/share/java/postgresql.jar}

result() {
	echo "jdbc: $1"
	exit "$2"
}

for tool in javac java; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "jdbc: $tool not found: install default-jdk-headless (tools/deps.sh)" >&2
		result FAIL 2
	fi
done
if [[ ! -r $JAR ]]; then
	echo "jdbc: JDBC driver $JAR not found: install libpostgresql-jdbc-java (tools/deps.sh)" >&2
	result FAIL 2
fi

mkdir -p "$build"
if ! javac -Xlint:all -Werror -d "$build" -cp "$JAR" "$here/BiSync.java"; then
	echo "jdbc: could not compile $here/BiSync.java" >&2
	result FAIL 2
fi

# The database name goes into the URL unencoded: plain names only.
if ! [[ $DB =~ ^[A-Za-z0-9_]+$ ]]; then
	echo "jdbc: database name '$DB' must be letters, digits and _" >&2
	result FAIL 2
fi
url="jdbc:postgresql://127.0.0.1:$PORT/$DB?user=postgres"
echo "jdbc: BiSync against $url"
status=0
java -cp "$build:$JAR" BiSync "$url" || status=$?
case $status in
0) result PASS 0 ;;
2)
	echo "jdbc: could not connect: is the cluster up and listening on 127.0.0.1:$PORT?" \
		"(a cluster started by an older tools/cluster.sh listens on its unix socket only:" \
		"tools/cluster.sh stop && tools/cluster.sh start)" >&2
	result FAIL 2
	;;
*) result FAIL 1 ;;
esac
