#!/usr/bin/env bash
# Issue 16.4: a longer soak than CI's 5 minutes. Runs itests' SoakIT (the real distribution at the seed load, the
# WMS sandbox dropping the connection every DROP_SECONDS, default 60, a Modbus PLC going away for at least 20 s
# every PLC_FLAP_SECONDS, default 90) for <minutes> (default 60) and writes its
# chart to docs/images/soak.png; the samples are in itests/target/failsafe-reports/SoakIT-samples.csv and the
# summary line in itests/target/failsafe-reports/site.gateway.itests.SoakIT-output.txt.
#   mvn -B -ntp -DskipTests install && tools/bench/soak.sh [minutes]
set -euo pipefail
minutes="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
echo "load average at the start: $(cat /proc/loadavg)"
mvn -B -ntp -pl itests verify -Dit.test=SoakIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$minutes" -Dsoak.dropSeconds="${DROP_SECONDS:-60}" \
  -Dsoak.plcFlapSeconds="${PLC_FLAP_SECONDS:-90}" -Dsoak.chart="$root/docs/images/soak.png"
echo "load average at the end: $(cat /proc/loadavg)"
grep -A1 '^SoakIT:' itests/target/failsafe-reports/site.gateway.itests.SoakIT-output.txt || true
