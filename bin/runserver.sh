#!/usr/bin/env bash
# Shared by mqnamesrv and mqbroker: starts one RocketCluster server in the foreground (exec), so the
# PID recorded in $ROCKETCLUSTER_RUN_DIR is the JVM's own and mqshutdown stops exactly that process.
#   runserver.sh <module> <main class> <pid-file prefix> <default heap % of RAM> [args...]
# Environment: JAVA_HOME, JAVA_OPTS (wins over our heap choice), ROCKETCLUSTER_HOME_DIR (default
# ~/rocketcluster: logs/, run/), ROCKETCLUSTER_LOG_TARGET=file|console.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="$1"; main="$2"; prefix="$3"; heap_pct="$4"; shift 4

JAR="$ROOT/$module/target/$module.jar"
if [ ! -f "$JAR" ] || [ ! -d "$ROOT/$module/target/lib" ]; then
  echo "$JAR not found: build first with: mvn -B -DskipTests package" >&2
  exit 1
fi
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

HOME_DIR="${ROCKETCLUSTER_HOME_DIR:-$HOME/rocketcluster}"
RUN_DIR="${ROCKETCLUSTER_RUN_DIR:-$HOME_DIR/run}"
LOGS_DIR="${ROCKETCLUSTER_LOGS_DIR:-$HOME_DIR/logs}"
mkdir -p "$RUN_DIR" "$LOGS_DIR"

# Heap: a share of the host's or container's memory (the JVM reads cgroup limits), never a fixed
# size that fails on small machines. JAVA_OPTS with -Xmx/-XX:MaxRAM* overrides it.
HEAP_OPTS="-XX:MaxRAMPercentage=$heap_pct -XX:InitialRAMPercentage=$(awk "BEGIN{print $heap_pct/4}")"
case " ${JAVA_OPTS:-} " in *" -Xmx"*|*"MaxRAMPercentage"*|*" -XX:MaxRAM="*) HEAP_OPTS="" ;; esac

# one log file per server: named after the -c file (broker-a-master.conf -> broker-a-master.log)
LOG_NAME="$prefix"
prev=""
for arg in "$@"; do
  if [ "$prev" = "-c" ] || [ "$prev" = "--configFile" ]; then LOG_NAME="$(basename "$arg" .conf)"; fi
  prev="$arg"
done

echo $$ > "$RUN_DIR/$prefix-$$.pid"
# shellcheck disable=SC2086
exec "$JAVA" -server -XX:+UseG1GC $HEAP_OPTS -XX:+ExitOnOutOfMemoryError \
  -Drocketcluster.home.dir="$HOME_DIR" -Drocketcluster.logs.dir="$LOGS_DIR" \
  -Drocketcluster.log.target="${ROCKETCLUSTER_LOG_TARGET:-file}" -Drocketcluster.log.name="$LOG_NAME" \
  ${JAVA_OPTS:-} -cp "$JAR:$ROOT/$module/target/lib/*" "$main" "$@"
