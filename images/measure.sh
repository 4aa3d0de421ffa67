#!/bin/bash
# Measures the images: size, and the time from `docker start` to /health/ready answering 200 for a
# nameserver and for a broker (master, registering with that nameserver), on a fresh named volume.
# Talks only to 127.0.0.1 (published metrics ports) and to the containers it starts; removes them.
# Usage: images/measure.sh [runs]   (default 3)   Env: ROCKETCLUSTER_TAG (default latest)
set -euo pipefail
RUNS=${1:-3}; TAG=${ROCKETCLUSTER_TAG:-latest}; P=rcmeasure$$
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ms() { date +%s%3N; }
cleanup() { docker rm -f -v "$P-ns" "$P-broker" >/dev/null 2>&1 || true; docker volume rm -f "$P-ns" "$P-broker" >/dev/null 2>&1 || true
            docker network rm "$P" >/dev/null 2>&1 || true; }
trap cleanup EXIT
ready_after() { # container, host port -> ms from docker start until /health/ready is 200
  local t0 t pid cpu; t0=$(ms); docker start "$1" >/dev/null
  for _ in $(seq 1 3000); do
    if curl -sf -o /dev/null "http://127.0.0.1:$2/health/ready"; then
      t=$(ms); pid=$(docker inspect -f '{{.State.Pid}}' "$1")
      # CPU time the JVM used until ready (utime+stime, clock ticks): a figure the machine's load does not change
      cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%d", ($14+$15)*1000/hz}' "/proc/$pid/stat")
      echo "$((t - t0)) ms (JVM CPU ${cpu} ms)"; return 0
    fi
    sleep 0.02
  done; echo "timeout"; return 1
}
for img in rocketcluster-namesrv rocketcluster-broker rocketcluster-client; do
  printf '%-24s %s MB\n' "$img:$TAG" "$(docker image inspect -f '{{.Size}}' "$img:$TAG" | awk '{printf "%.1f", $1/1000/1000}')"
done
docker info -f 'storage driver: {{.Driver}}, {{.NCPU}} CPUs'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for run in $(seq 1 "$RUNS"); do
  cleanup; docker network create "$P" >/dev/null
  nsport=$(free_port); bport=$(free_port)
  docker create --name "$P-ns" --network "$P" --network-alias namesrv -v "$P-ns:/var/lib/rocketcluster" \
    -p "127.0.0.1:$nsport:10876" "rocketcluster-namesrv:$TAG" >/dev/null
  ns=$(ready_after "$P-ns" "$nsport")
  docker create --name "$P-broker" --network "$P" -v "$P-broker:/var/lib/rocketcluster" --memory 1g \
    -e NAMESRV_ADDR=namesrv:9876 -e RC_BROKER_NAME=broker-a -e RC_BROKER_IP1="$P-broker" -e RC_BROKER_IP2="$P-broker" \
    -p "127.0.0.1:$bport:10915" "rocketcluster-broker:$TAG" >/dev/null
  b=$(ready_after "$P-broker" "$bport")
  echo "run $run: nameserver start->ready ${ns}; broker start->ready ${b} (store recovered, registered)"
done
