#!/usr/bin/env bash
# Issue 16.2: the real distribution against the WMS sandbox over TLS 1.3 WebSocket, side by side with its
# ceilings measured in the same run (a bare TLS WebSocket client to the same sandbox, a bare MVStore map).
#   mvn -B -ntp -DskipTests install && tools/bench/end-to-end.sh [backlog=3600000] [latencySeconds=60]
# The bench home's buffer gets maxBytes for the backlog (1 KiB a message, at least the shipped 512 MiB).
# Prints a markdown table (progress on stderr). With UPDATE_DOCS=1 the table, the command and the date
# replace the section between the end-to-end markers of docs/performance.md. Run it on a quiet machine: other
# users of the CPU move the figures. FILL_PLCS sets the simulated
# PLCs (every 10 ms) that fill the backlog (default 100). PROFILE_AGENT=<libasyncProfiler.so> PROFILE_OUT=<file>
# [PROFILE_EVENT=cpu|alloc] profile the gateway during the drain (collapsed stacks). LATENCY_RATES=20,200,1000,5000
# measures the delivery latency at each of those steady rates (msg/s) in turn, latencySeconds each (default: 20 only).
set -euo pipefail
backlog="${1:-3600000}"
seconds="${2:-60}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/tools/bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "Build first: mvn -B -ntp -DskipTests install" >&2
  exit 1
fi
cd "$root"
table="$(java -Xmx2g ${PROFILE_AGENT:+-Dprofile.agent="$PROFILE_AGENT" -Dprofile.out="$PROFILE_OUT" -Dprofile.event="${PROFILE_EVENT:-cpu}"} -Dfill.plcs="${FILL_PLCS:-100}" -Dlatency.rates="${LATENCY_RATES:-20}" -cp "$jar" site.gateway.bench.EndToEndHarness "$backlog" "$seconds")"
echo "$table"
if [ "${UPDATE_DOCS:-0}" = 1 ]; then
  python3 - "$root/docs/performance.md" "$backlog" "$seconds" "$table" <<'PY'
import datetime, re, sys
path, backlog, seconds, table = sys.argv[1:]
begin, end = "<!-- end-to-end:begin -->", "<!-- end-to-end:end -->"
text = open(path).read()
when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
body = f"{begin}\n`tools/bench/end-to-end.sh {backlog} {seconds}`, {when}:\n\n{table}\n{end}"
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: body, text, flags=re.S)
open(path, "w").write(text)
PY
fi
