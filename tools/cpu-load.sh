#!/usr/bin/env bash
# CPU used by the gateway process while it delivers telemetry to the WMS sandbox (RNF-002: at most 30 %).
#   mvn -B -ntp -DskipTests install && tools/cpu-load.sh [plcs] [pollIntervalMs] [seconds]
# Starts the sandbox and the distribution on a fresh home with <plcs> simulated PLCs (3 tags each)
# polled every <pollIntervalMs> (default 10 PLCs at 100 ms = 100 telemetry messages/s, 6x the
# requirement's 1,000 messages/minute), waits $WARMUP seconds (default 60: at low rates the JIT needs
# that long to compile the message path), then measures for <seconds> (default 60): the gateway JVM's user+system CPU time from /proc over the wall time, as a share of the whole machine
# (all cores, like the heartbeat's processCpuPercent) and of one core; and the messages the sandbox
# stored meanwhile. Everything runs on this machine, so the sandbox's own CPU is not counted.
#   DRIVER=modbus    poll a real Modbus TCP server (j2mod, from tools/bench's PlcBenchServers, its own
#                    process, not counted) through the plc-modbus feature instead of simulated PLCs
#   PROFILE=<file>   with ASYNC_PROFILER=<libasyncProfiler.so> (Maven Central tools.profiler:async-profiler,
#                    linux-x64 jar, unzipped): CPU profile of the measured window only, collapsed stacks by thread
#   GATEWAY_OPTS     passed to bin/gateway (JVM options)
#   FLOOR=1          with DRIVER=modbus: in the same run, the floor (tools/bench CpuFloorHarness, its own JVM with
#                    the gateway's JIT and collector): the same Modbus read, JSON, MVStore commit+fsync and TLS
#                    WebSocket frame per message with no gateway around them, against the same servers; prints
#                    its CPU and the ratio gateway / floor
#   DIST=<folder>    another distribution (e.g. an older build, to compare side by side), PORT_BASE=<n>
#                    (default 18440) so that two measurements run at the same time
# Idle: tools/cpu-load.sh 0.   1,000 msg/min from one Modbus PLC: DRIVER=modbus tools/cpu-load.sh 1 60
set -euo pipefail
plcs="${1:-10}"
poll="${2:-100}"
seconds="${3:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="${DIST:-$root/runtime/target/gateway}"
sandbox="$root/tools/wms-sandbox/target/wms-sandbox.jar"
if [ ! -x "$dist/bin/gateway" ] || [ ! -f "$sandbox" ]; then
  echo "Build first: mvn -B -ntp -DskipTests install" >&2
  exit 1
fi
base="${PORT_BASE:-18440}" # another base runs a second measurement beside this one
port=$((base + 3))
admin=$((base + 4))
home="$(mktemp -d /tmp/gateway-cpu-XXXXXX)"
mkdir -p "$home/conf"
java -jar "$sandbox" pki --out "$home/certs" --tenant demo-tenant --gateway gw-01 >/dev/null
cp "$dist"/conf/*.cfg "$home/conf/"
sed -i "s#^endpoints *=.*#endpoints = https://localhost:$port#" "$home/conf/gateway.wms.cfg"
echo "org.osgi.service.http.port = $((base + 5))" > "$home/conf/org.apache.felix.http.cfg"
plc_server_pid=
if [ "${DRIVER:-simulated}" = modbus ] && [ "$plcs" -gt 0 ]; then
  bench="$root/tools/bench/target/benchmarks.jar"
  [ -f "$bench" ] || { echo "Build first: mvn -B -ntp -DskipTests install (tools/bench)" >&2; exit 1; }
  mkfifo "$home/plc-server.in"
  java -cp "$bench" site.gateway.plc.PlcBenchServers modbus 3 < "$home/plc-server.in" > "$home/plc-server.out" 2>&1 &
  plc_server_pid=$!
  exec 3>"$home/plc-server.in" # the server runs until this closes
  until grep -q '^CONNECTION ' "$home/plc-server.out"; do
    kill -0 "$plc_server_pid" 2>/dev/null || { cat "$home/plc-server.out" >&2; exit 1; }
    sleep 0.2
  done
  modbus="$(sed -n 's/^CONNECTION //p' "$home/plc-server.out")"
fi
for i in $(seq 1 "$plcs"); do
  if [ -n "$plc_server_pid" ]; then
    connection="$modbus"
    tags="speed=holding-register:1:INT, running=holding-register:2:INT, count=holding-register:3:INT"
  else
    connection="simulated://sim$i"
    tags="speed=RANDOM/speed:REAL, running=RANDOM/running:BOOL, count=RANDOM/count:DINT"
  fi
  cat > "$home/conf/gateway.plc-sim$i.cfg" <<CFG
plcId = sim-$i
connection = $connection
pollIntervalMs = $poll
tags = $tags
CFG
done

java -jar "$sandbox" serve --pki "$home/certs" --port "$port" --admin-port "$admin" --heartbeat-seconds 10 \
  > "$home/sandbox.log" 2>&1 &
sandbox_pid=$!
GATEWAY_HOME="$home" "$dist/bin/gateway" > "$home/gateway.out" 2>&1 &
gateway_pid=$!
trap 'exec 3>&- 2>/dev/null || true; kill "$gateway_pid" "$sandbox_pid" $plc_server_pid ${floor_pid:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$home"' EXIT

stored() {
  curl -s "http://127.0.0.1:$admin/admin/state" | python3 -c \
    'import json,sys; print(sum(g["stored"] for g in json.load(sys.stdin)["gateways"] if g["gatewayId"] != "floor-01"))' 2>/dev/null || echo 0
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$gateway_pid/stat"; }

threads() { jcmd "$gateway_pid" Thread.print > "$1" 2>/dev/null || true; }

# The warm-up counts from the gateway's registration with the WMS (on a loaded machine the start alone can
# take longer than the warm-up).
gateways() {
  curl -s "http://127.0.0.1:$admin/admin/state" | python3 -c \
    'import json,sys; print(len(json.load(sys.stdin)["gateways"]))' 2>/dev/null || echo 0
}
until [ "$(gateways)" -gt 0 ]; do
  kill -0 "$gateway_pid" 2>/dev/null || { echo "gateway died, see $home/gateway.out" >&2; exit 1; }
  sleep 1
done
floor_pid=
if [ "${FLOOR:-0}" = 1 ] && [ -n "$plc_server_pid" ]; then
  java -XX:+UseSerialGC -Xmn8m -Xms24m -Xmx128m -XX:TieredStopAtLevel=1 -cp "$root/tools/bench/target/benchmarks.jar" \
    site.gateway.bench.CpuFloorHarness "$home/certs" "https://localhost:$port" "${modbus#modbus-tcp://}" "$poll" \
    "${WARMUP:-60}" "$seconds" > "$home/floor.out" 2>&1 &
  floor_pid=$!
fi
sleep "${WARMUP:-60}"
threads "$home/threads0.txt"
if [ -n "${PROFILE:-}" ]; then
  jcmd "$gateway_pid" JVMTI.agent_load "$ASYNC_PROFILER" '"start,event=cpu,interval=1ms,threads"' >/dev/null
fi
ticks0=$(cpu_ticks); stored0=$(stored); t0=$(date +%s.%N)
sleep "$seconds"
ticks1=$(cpu_ticks); stored1=$(stored); t1=$(date +%s.%N)
if [ -n "${PROFILE:-}" ]; then
  jcmd "$gateway_pid" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,collapsed,file=$PROFILE\"" >/dev/null
  echo "CPU profile of the window (collapsed stacks): $PROFILE"
fi
threads "$home/threads1.txt"

# Where the CPU went during the window, by thread (JIT and GC threads included).
python3 - "$home/threads0.txt" "$home/threads1.txt" <<'PY'
import re, sys, collections
def cpu(path):
    text = open(path).read()
    return {m.group(1) + "#" + (m.group(2) or ""): float(m.group(3))
            for m in re.finditer(r'^"([^"]+)"\s+(?:#(\d+) )?.*?cpu=([0-9.]+)ms', text, re.M)}
before, after = cpu(sys.argv[1]), cpu(sys.argv[2])
used = collections.Counter()
for key, ms in after.items():
    name = re.sub(r"[-#@]?\d+$", "", key.split("#")[0])
    used[name] += ms - before.get(key, 0.0)
total = sum(used.values()) or 1
print("CPU during the window by thread: " + ", ".join(f"{n} {v / total:.0%}" for n, v in used.most_common(8)))
PY

python3 - "$ticks0" "$ticks1" "$t0" "$t1" "$stored0" "$stored1" "$(getconf CLK_TCK)" "$(nproc)" "$plcs" "$poll" <<'PY'
import sys
ticks0, ticks1, t0, t1, s0, s1, hz, cores, plcs, poll = sys.argv[1:]
wall = float(t1) - float(t0)
cpu = (int(ticks1) - int(ticks0)) / int(hz)
rate = (int(s1) - int(s0)) / wall
print(f"{plcs} PLCs every {poll} ms, {wall:.0f} s measured: {rate:.1f} telemetry msg/s stored by the WMS "
      f"({rate * 60:,.0f}/min); gateway CPU {100 * cpu / wall / int(cores):.2f} % of the machine "
      f"({int(cores)} cores), {100 * cpu / wall:.2f} % of one core")
PY

if [ -n "$floor_pid" ]; then
  wait "$floor_pid" || { cat "$home/floor.out" >&2; exit 1; }
  grep '^floor' "$home/floor.out"
  python3 - "$ticks0" "$ticks1" "$t0" "$t1" "$(getconf CLK_TCK)" "$(sed -n 's/.*CPU \([0-9.]*\) % of one core.*/\1/p' "$home/floor.out")" <<'PY'
import sys
ticks0, ticks1, t0, t1, hz, floor = sys.argv[1:]
gateway = 100 * (int(ticks1) - int(ticks0)) / int(hz) / (float(t1) - float(t0))
print(f"gateway / floor: {gateway:.2f} / {float(floor):.2f} % of one core = {gateway / float(floor):.2f}x")
PY
fi
