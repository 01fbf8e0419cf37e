#!/usr/bin/env bash
# Measures the distribution's start time: from launching bin/gateway to the web console reporting
# every bundle of system/ and deploy/ active, over N runs (default 7) on a fresh GATEWAY_HOME each; prints each run and the
# median. Also checks that SIGTERM stops it within 10 s with exit code 0.
#   tools/startup-time.sh [runs]      (after: mvn -B -DskipTests install)
#   DIST=<folder> measures another distribution; GATEWAY_OPTS is passed on (e.g. -Dfelix.fileinstall.poll=2000)
set -euo pipefail
runs="${1:-7}"
dist="$(cd "${DIST:-$(dirname "$0")/../runtime/target/gateway}" && pwd)"
port="${PORT:-18080}" # another port where 18080 is taken (a shared machine)
expected=$(( 1 + $(ls "$dist"/system/*.jar | wc -l) + $(ls "$dist"/deploy/*.jar | wc -l) ))
times=()
cpus=()
for i in $(seq 1 "$runs"); do
  home="$(mktemp -d)"
  mkdir -p "$home/conf"
  cp "$dist"/conf/*.cfg "$home/conf/"
  printf 'org.osgi.service.http.port = %s\norg.apache.felix.http.host = 127.0.0.1\n' "$port" > "$home/conf/org.apache.felix.http.cfg"
  # the console has no default password (issue 13): an operator-chosen one is used as it is
  sed -i 's/^password = .*/password = startup-time-measure/' "$home/conf/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg"
  start=$(date +%s%N)
  GATEWAY_HOME="$home" GATEWAY_OPTS="${GATEWAY_OPTS:-} -Dorg.osgi.service.http.port=$port" "$dist/bin/gateway" >"$home/console.out" 2>&1 &
  pid=$!
  # every bundle installed, none left Installed/Resolved (lazy bundles such as JNA stay Starting)
  until json=$(curl -s -u admin:startup-time-measure "http://127.0.0.1:$port/system/console/bundles.json" 2>/dev/null) \
      && grep -q "Bundle information: $expected bundles in total" <<<"$json" \
      && ! grep -q '"state":"Installed"\|"state":"Resolved"' <<<"$json"; do
    kill -0 "$pid" 2>/dev/null || { echo "gateway died, see $home/console.out"; exit 1; }
    sleep 0.05
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  # CPU time the JVM used to get there (user + system, all threads): unlike the wall time, barely
  # affected by other work on a shared machine.
  cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  stop=$(date +%s%N)
  kill -TERM "$pid"
  rc=0; wait "$pid" || rc=$?
  stop_ms=$(( ($(date +%s%N) - stop) / 1000000 ))
  echo "run $i: all bundles active after ${ms} ms (${cpu_ms} ms of CPU); SIGTERM -> exit ${rc} after ${stop_ms} ms"
  times+=("$ms")
  cpus+=("$cpu_ms")
  rm -rf "$home"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median start: " a[int((NR+1)/2)] " ms over " NR " runs"}'
printf '%s\n' "${cpus[@]}" | sort -n | awk '{a[NR]=$1} END {print "median CPU to start: " a[int((NR+1)/2)] " ms over " NR " runs"}'
