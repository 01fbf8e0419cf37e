#!/usr/bin/env bash
# Builds the S7 test server: node-snap7 compiles snap7 natively (node-gyp: needs node, npm, g++, make).
# Idempotent; tests skip the S7 cases with a clear message when node or this build is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f node_modules/node-snap7/build/Release/node_snap7.node ]; then
  exit 0
fi
npm_config_build_from_source=true npm install --no-audit --no-fund
