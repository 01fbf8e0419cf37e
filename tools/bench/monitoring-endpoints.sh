#!/usr/bin/env bash
# What /metrics and /system/health cost (issue 14: answer in <= 50 ms, <= 0.2 % CPU at the seed load).
#   mvn -B -ntp -DskipTests install && tools/bench/monitoring-endpoints.sh [plcs] [pollIntervalMs] [requests]
# Starts the WMS sandbox and the distribution on a fresh home with <plcs> simulated PLCs (default 1 PLC
# every 60 ms, the PRD's 1,000 messages/minute), waits $WARMUP s (default 60), measures the gateway JVM's
# CPU for $BASELINE s (default 30) without requests, then sends <requests> (default 300) sequential
# authenticated GETs to each endpoint (after 50 unmeasured ones) and prints the median and p90 answer
# time, and the CPU each request adds (the JVM's CPU time over the requests less the baseline's rate),
# as a share of the machine at one scrape every 15 s. With SCREENSHOT=<png> it also runs the console's
# Gateway page in headless Chromium after the measurement and saves its picture there.
set -euo pipefail
plcs="${1:-1}"
poll="${2:-60}"
requests="${3:-300}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dist="$root/runtime/target/gateway"
sandbox="$root/tools/wms-sandbox/target/wms-sandbox.jar"
if [ ! -x "$dist/bin/gateway" ] || [ ! -f "$sandbox" ]; then
  echo "Build first: mvn -B -ntp -DskipTests install" >&2
  exit 1
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
admin=$(free_port)
http=$(free_port)
home="$(mktemp -d /tmp/gateway-monitoring-XXXXXX)"
mkdir -p "$home/conf"
java -jar "$sandbox" pki --out "$home/certs" --tenant demo-tenant --gateway gw-01 >/dev/null
cp "$dist"/conf/*.cfg "$home/conf/"
sed -i "s#^endpoints *=.*#endpoints = https://localhost:$port#" "$home/conf/gateway.wms.cfg"
echo "org.osgi.service.http.port = $http" > "$home/conf/org.apache.felix.http.cfg"
for i in $(seq 1 "$plcs"); do
  cat > "$home/conf/gateway.plc-sim$i.cfg" <<CFG
plcId = sim-$i
connection = simulated://sim$i
pollIntervalMs = $poll
tags = speed=RANDOM/speed:REAL, running=RANDOM/running:BOOL, count=RANDOM/count:DINT
CFG
done

java -jar "$sandbox" serve --pki "$home/certs" --port "$port" --admin-port "$admin" --heartbeat-seconds 10 \
  > "$home/sandbox.log" 2>&1 &
sandbox_pid=$!
GATEWAY_HOME="$home" "$dist/bin/gateway" > "$home/gateway.out" 2>&1 &
gateway_pid=$!
trap 'kill "$gateway_pid" "$sandbox_pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$home"' EXIT

for _ in $(seq 1 180); do
  [ -s "$home/data/console-initial-password" ] && break
  sleep 1
done
if [ ! -s "$home/data/console-initial-password" ]; then
  echo "the gateway did not start its console within 180 s:" >&2
  tail -20 "$home/gateway.out" >&2
  exit 1
fi
sleep "${WARMUP:-60}"
password="$(sed -n 2p "$home/data/console-initial-password")"
python3 - "$gateway_pid" "$http" "$password" "$requests" "${BASELINE:-30}" "$(getconf CLK_TCK)" "$(nproc)" "$plcs" "$poll" <<'PY'
import base64, http.client, statistics, sys, time
pid, port, password, requests, baseline, hz, cores, plcs, poll = sys.argv[1:]
port, requests, baseline, hz, cores = int(port), int(requests), float(baseline), int(hz), int(cores)
auth = "Basic " + base64.b64encode(("admin:" + password).encode()).decode()

def cpu():
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / hz  # utime + stime

c0, t0 = cpu(), time.monotonic()
time.sleep(baseline)
idle_rate = (cpu() - c0) / (time.monotonic() - t0)  # CPU seconds per second without requests
print(f"{plcs} PLC(s) every {poll} ms; gateway idle between requests: {100 * idle_rate / cores:.2f} % of the machine ({cores} cores)")

for path in ("/metrics", "/system/health"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    def get():
        conn.request("GET", path, headers={"Authorization": auth})
        r = conn.getresponse()
        body = r.read()
        return r.status, len(body)
    for _ in range(50):
        get()
    times = []
    c0, t0 = cpu(), time.monotonic()
    for _ in range(requests):
        s = time.monotonic()
        status, size = get()
        times.append((time.monotonic() - s) * 1000)
    wall = time.monotonic() - t0
    added = max(0.0, (cpu() - c0) - idle_rate * wall) / requests  # CPU seconds per request
    times.sort()
    print(f"{path}: HTTP {status}, {size} bytes; answer median {statistics.median(times):.1f} ms, "
          f"p90 {times[int(0.9 * len(times))]:.1f} ms; CPU {1000 * added:.2f} ms per request = "
          f"{100 * added / 15 / cores:.4f} % of the machine at one request every 15 s")
    conn.close()
PY

if [ -n "${SCREENSHOT:-}" ] && command -v chromium >/dev/null; then
  sleep "${CHART_SECONDS:-0}"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$home/chromium" --window-size=1280,1400 --virtual-time-budget=3000 \
    --screenshot="$SCREENSHOT" "http://admin:$password@127.0.0.1:$http/system/console/gateway" 2>/dev/null
  echo "screenshot: $SCREENSHOT"
fi
