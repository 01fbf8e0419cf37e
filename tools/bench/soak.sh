#!/usr/bin/env bash
# Issue 16.4: a longer soak than CI's 5 minutes. Runs itests' SoakIT (the real distribution at the seed load, the
# WMS sandbox dropping the connection every DROP_SECONDS, default 60) for <minutes> (default 60) and writes its
# chart to docs/images/soak.png; the samples are in itests/target/failsafe-reports/SoakIT-samples.csv and the
# summary line in itests/target/failsafe-reports/site.gateway.itests.SoakIT-output.txt.
#   mvn -B -ntp -DskipTests install && tools/bench/soak.sh [minutes]
# On a shared machine, run it under the suite lock (flock /work/suite.lock tools/bench/soak.sh 30).
set -euo pipefail
minutes="${1:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
echo "load average at the start: $(cat /proc/loadavg)"
mvn -B -ntp -pl itests verify -Dit.test=SoakIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$minutes" -Dsoak.dropSeconds="${DROP_SECONDS:-60}" -Dsoak.chart="$root/docs/images/soak.png"
echo "load average at the end: $(cat /proc/loadavg)"
grep -A1 '^SoakIT:' itests/target/failsafe-reports/site.gateway.itests.SoakIT-output.txt || true
