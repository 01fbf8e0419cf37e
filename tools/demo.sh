#!/usr/bin/env bash
# The demo: the local WMS sandbox and the gateway with a simulated PLC, on this machine only.
#   mvn -B -ntp -DskipTests install && tools/demo.sh
# Creates (once) a demo home with a development PKI, starts the sandbox on https://localhost:8443
# (admin: http://127.0.0.1:8444/admin/state) and the gateway in the foreground. The sandbox prints
# what it receives: registration, status, heartbeats, telemetry. Ctrl-C stops both.
#   GATEWAY_HOME  demo home (default: runtime/target/demo-home)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dist="$root/runtime/target/gateway"
sandbox="$root/tools/wms-sandbox/target/wms-sandbox.jar"
home="${GATEWAY_HOME:-$root/runtime/target/demo-home}"
if [ ! -x "$dist/bin/gateway" ] || [ ! -f "$sandbox" ]; then
  echo "Build first: mvn -B -ntp -DskipTests install" >&2
  exit 1
fi

mkdir -p "$home/conf"
if [ ! -f "$home/certs/gateway.crt" ]; then
  echo "== development PKI for demo-tenant/gw-01 in $home/certs"
  java -jar "$sandbox" pki --out "$home/certs" --tenant demo-tenant --gateway gw-01
fi
# Shipped defaults where the home has none, then the demo's own settings.
cp -n "$dist"/conf/*.cfg "$home/conf/" 2>/dev/null || true
cat > "$home/conf/gateway.plc-demo.cfg" <<'CFG'
# The demo's simulated PLC (feature plc-simulated): RANDOM tags change at every read,
# STATE tags keep what a command wrote.
plcId = demo-plc
connection = simulated://demo
pollIntervalMs = 1000
tags = conveyor1.speed=RANDOM/conveyor1_speed:REAL, conveyor1.running=RANDOM/conveyor1_running:BOOL, conveyor1.target=STATE/conveyor1_target:DINT
# Commands may write only tags marked writable, within min/max (docs/plc.md).
writable.conveyor1.target = true
min.conveyor1.target = 0
max.conveyor1.target = 1000
CFG

echo "== WMS sandbox on https://localhost:8443"
java -jar "$sandbox" serve --pki "$home/certs" --port 8443 --admin-port 8444 --heartbeat-seconds 5 &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true' EXIT

echo "== gateway (home $home); web console http://127.0.0.1:8080/system/console (user admin, password in $home/data/console-initial-password once generated)"
GATEWAY_HOME="$home" "$dist/bin/gateway"
