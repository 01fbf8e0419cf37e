#!/usr/bin/env bash
# Fuzzes the gateway's parsers with Jazzer (issue 16.5): every *FuzzTest of the bundles that have them,
# each in its own JVM for the time its @FuzzTest(maxDuration) allows (5 s; about 2 min in all with the JVM
# starts on a quiet 2-core machine). A crash fails the run and is written as crash-<sha1> into the test's
# seed folder under src/test/resources/: commit it with the fix, it is then replayed by every build.
#
#   tools/fuzz.sh                 # the bounded run CI does (after mvn install)
#   FUZZ_ROUNDS=120 tools/fuzz.sh # a longer campaign: the corpus each round grows in <bundle>/.cifuzz-corpus/
#                                 # (not committed) is where the next round starts, so 120 rounds ≈ 10 min a test
#   FUZZ_BUNDLES=commands tools/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${FUZZ_ROUNDS:-1}"
bundles="${FUZZ_BUNDLES:-transport commands crypto}"
offline="${FUZZ_OFFLINE:--o}"
for round in $(seq 1 "$rounds"); do
  for bundle in $bundles; do
    echo "fuzz: round $round/$rounds, bundles/$bundle"
    JAZZER_FUZZ=1 mvn -B -ntp $offline surefire:test@fuzz -Dfuzz.reuseForks=false -f "bundles/$bundle/pom.xml"
  done
done
echo "fuzz: no crash in $rounds round(s) of: $bundles"
