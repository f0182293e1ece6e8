#!/usr/bin/env sh
# Starts this server for ../shared/bench (compare.sh, run.sh): limits raised so that one
# load client may hold 10,000 streams, create every room and send every PUT it can, and
# logs kept quiet on stdout's pipe. Each run gets a fresh data directory, unless
# BENCH_DATA_DIR names one to keep across rounds, as a real server keeps its data. Pass
# --in-memory to measure without SQLite. BENCH_EXECUTABLE names a compiled executable (npm
# run build) to run instead of `bun server.ts`: what a team runs, without the transpiler's
# and the build macros' memory at start.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
data=${BENCH_DATA_DIR:-$(mktemp -d)}
if [ -n "${BENCH_EXECUTABLE:-}" ]; then
  set -- "$BENCH_EXECUTABLE" "$@"
else
  set -- "$here/node_modules/.bin/bun" "$here/server.ts" "$@"
fi
exec env MAX_STREAMS=1000000 MAX_STREAMS_PER_CLIENT=1000000 WRITES_PER_MINUTE=100000000 \
  READS_PER_MINUTE=100000000 STREAM_OPENS_PER_MINUTE=100000000 \
  MAX_ROOMS=1000000 NEW_ROOMS_PER_HOUR=10000000 DATA_DIR="$data" "$@" >/dev/null
