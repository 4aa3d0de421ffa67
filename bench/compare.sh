#!/usr/bin/env bash
# One sitting of the RocketCluster vs Apache RocketMQ 4.9.7 comparison (bench/README.md, "Results"):
# runs bin/mqbench against each system in turn, on freshly started servers with fresh stores:
#
#   single: Apache, RocketCluster, Apache, RocketCluster   (one ASYNC_MASTER)
#   async:  Apache, RocketCluster                          (ASYNC_MASTER + SLAVE)
#   sync:   Apache, RocketCluster                          (SYNC_MASTER + SLAVE)
#
#   bench/compare.sh [plan...]    plan items are <system>:<mode>, e.g. A:single R:sync
#                                 (default: the eight runs above, in that order)
#
# Before each run it waits (checking every 10 s, up to 20 min) until no Maven build is running on
# the machine, and it notes Maven builds seen during a run. In async/sync it waits until the slave's
# HA connection shows in the master's log, then sends `bin/mqclient send` probes until one is SEND_OK;
# after the run it records both commitlog sizes (du) and the HA log lines as evidence of replication.
# Every run's mqbench output, the servers' logs and a summary go to $RESULTS (default
# /tmp/rc-bench-results). Nothing is written to the repository.
#
# Environment: RC_ROOT (RocketCluster build to run, also used for bin/mqbench and bin/mqclient;
# default this repository), RESULTS, BENCH_ARGS (default "-t 32 -s 1024 -d 30 -w 15"),
# APACHE_RMQ_DIR (default /tmp/apache-rmq-bench-sitting), RC_BENCH_DIR (default
# /tmp/rocketcluster-bench-sitting).
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export RC_ROOT="${RC_ROOT:-$(cd "$HERE/.." && pwd)}"
RESULTS="${RESULTS:-/tmp/rc-bench-results}"
BENCH_ARGS="${BENCH_ARGS:--t 32 -s 1024 -d 30 -w 15}"
export APACHE_RMQ_DIR="${APACHE_RMQ_DIR:-/tmp/apache-rmq-bench-sitting}"
export RC_BENCH_DIR="${RC_BENCH_DIR:-/tmp/rocketcluster-bench-sitting}"
CLIENT_OPTS="-Drocketmq.client.logRoot=$RESULTS/client-logs"
MVN_PATTERN="org.codehaus.plexus.classworlds.launcher.Launcher"
PLAN=("$@")
[ ${#PLAN[@]} -gt 0 ] || PLAN=(A:single R:single A:single R:single A:async R:async A:sync R:sync)

mkdir -p "$RESULTS"
SUMMARY="$RESULTS/summary.md"
log() { echo "[$(date '+%F %T')] $*" | tee -a "$RESULTS/compare.log"; }

wait_for_quiet() {
  local i
  for i in $(seq 1 120); do
    if ! pgrep -f "$MVN_PATTERN" >/dev/null; then
      [ "$i" -gt 1 ] && log "waited $(( (i - 1) * 10 )) s for Maven builds to finish"
      return 0
    fi
    sleep 10
  done
  log "WARNING: a Maven build was still running after 20 min; measuring anyway"
  return 1
}

# watch_maven <file>: every 5 s, appends a line when a Maven build is running (until killed)
watch_maven() {
  while true; do
    if pgrep -f "$MVN_PATTERN" >/dev/null; then echo "$(date '+%T') maven running" >> "$1"; fi
    sleep 5
  done
}

probe_until_ok() {
  local i out
  for i in $(seq 1 30); do
    out="$(JAVA_OPTS="$CLIENT_OPTS" "$RC_ROOT/bin/mqclient" send -n 127.0.0.1:9876 -t ProbeTopic -m probe 2>&1 | tail -n 1)"
    echo "probe $i: $out" >> "$1"
    if echo "$out" | grep -q "sendStatus=SEND_OK"; then return 0; fi
    sleep 2
  done
  return 1
}

# wait_ha <master log> <pattern>: until the master logs the slave's HA connection (≤ 60 s)
wait_ha() {
  local i
  for i in $(seq 1 120); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  return 1
}

run_one() {
  local sys="$1" mode="$2" n="$3" dir label quiet=yes
  dir="$RESULTS/$(printf '%02d' "$n")-$sys-$mode"
  mkdir -p "$dir"
  wait_for_quiet || quiet=no
  uptime > "$dir/uptime-before"
  log "run $n: $sys $mode (load: $(cut -d, -f3- "$dir/uptime-before" | xargs))"

  local start_cmd stop_cmd clean_cmd mlog slog mstore sstore hapat
  if [ "$sys" = A ]; then
    label="Apache RocketMQ 4.9.7 ($mode)"
    start_cmd=("$HERE/apache/run-apache.sh" start "$mode"); stop_cmd=("$HERE/apache/run-apache.sh" stop)
    clean_cmd=("$HERE/apache/run-apache.sh" clean)
    mlog="$APACHE_RMQ_DIR/logs/broker.log"; slog="$APACHE_RMQ_DIR/logs/slave.log"
    mstore="$APACHE_RMQ_DIR/store/commitlog"; sstore="$APACHE_RMQ_DIR/store-slave/commitlog"
    hapat="HAService receive new connection"
  else
    label="RocketCluster ($mode)"
    start_cmd=("$HERE/run-rocketcluster.sh" start "$mode"); stop_cmd=("$HERE/run-rocketcluster.sh" stop)
    clean_cmd=("$HERE/run-rocketcluster.sh" clean)
    mlog="$RC_BENCH_DIR/logs/broker-a-master.log"; slog="$RC_BENCH_DIR/logs/broker-a-slave.log"
    mstore="$RC_BENCH_DIR/store/broker-a-0/commitlog"; sstore="$RC_BENCH_DIR/store/broker-a-1/commitlog"
    hapat="HaServer - slave .* connected"
  fi
  "${clean_cmd[@]}" >> "$dir/servers.out" 2>&1
  if ! "${start_cmd[@]}" >> "$dir/servers.out" 2>&1; then
    log "run $n: start failed; see $dir/servers.out"; "${stop_cmd[@]}" >> "$dir/servers.out" 2>&1; return 1
  fi
  if [ "$mode" != single ]; then
    if wait_ha "$mlog" "$hapat"; then log "run $n: slave HA connection: $(grep -m1 "$hapat" "$mlog")"
    else log "run $n: WARNING no HA connection in $mlog after 60 s"; fi
    if probe_until_ok "$dir/probes.txt"; then log "run $n: probe SEND_OK after $(wc -l < "$dir/probes.txt") probe(s)"
    else log "run $n: WARNING no SEND_OK probe in 30 tries; see $dir/probes.txt"; fi
  fi

  watch_maven "$dir/maven-during-run" & local watcher=$!
  # shellcheck disable=SC2086
  JAVA_OPTS="$CLIENT_OPTS" "$RC_ROOT/bin/mqbench" -n 127.0.0.1:9876 $BENCH_ARGS --label "$label" \
    > "$dir/mqbench.out" 2>&1
  local rc=$?
  kill "$watcher" 2>/dev/null; wait "$watcher" 2>/dev/null
  log "run $n: mqbench exit $rc; $(grep -E '^send TPS|^send latency|^sends ok' "$dir/mqbench.out" | tr -s ' ' | paste -sd';')"
  [ -s "$dir/maven-during-run" ] && log "run $n: NOTE Maven build(s) seen during the run: $(wc -l < "$dir/maven-during-run") samples of 5 s"
  [ "$quiet" = no ] && log "run $n: NOTE started while a Maven build was running"

  if [ "$mode" != single ]; then
    sync  # so du sees the mapped pages written
    log "run $n: commitlog du -sk master $(du -sk "$mstore" | cut -f1) KiB, slave $(du -sk "$sstore" | cut -f1) KiB"
    grep -E "$hapat|HAClient|HaClient|HAConnection|HaServer" "$mlog" "$slog" > "$dir/ha-lines.txt" 2>/dev/null
  fi
  grep -ihE " (ERROR|WARN) |exception" "$mlog" "${slog}" 2>/dev/null | head -n 50 > "$dir/server-warnings.txt"
  "${stop_cmd[@]}" >> "$dir/servers.out" 2>&1
  if [ "$sys" = A ]; then cp -r "$APACHE_RMQ_DIR/logs" "$dir/server-logs"; else cp -r "$RC_BENCH_DIR/logs" "$dir/server-logs"; fi
  "${clean_cmd[@]}" >> "$dir/servers.out" 2>&1
  grep -E '^\| (Apache|RocketCluster)' "$dir/mqbench.out" | sed "s/^/| $n /" >> "$SUMMARY"
}

log "sitting starts: plan ${PLAN[*]}; RC_ROOT=$RC_ROOT; mqbench $BENCH_ARGS"
n=0
for item in "${PLAN[@]}"; do
  n=$((n + 1))
  run_one "${item%%:*}" "${item#*:}" "$n"
done
log "sitting done; rows in $SUMMARY"
