#!/usr/bin/env bash
# Usage: bench/cpu-per-put.sh LABEL SERVER_CMD...
# A server's CPU per PUT, the figure that decides between two builds on a noisy machine:
# the server on CPU 0 and wrk (64 connections over 1,000 rooms, ../shared/bench/lib/put.lua)
# on CPU 1; 3 s of warm-up, then 5 s measured. Prints req/s, the server's user+system CPU
# per request in µs from /proc/<pid>/task/*/stat (each thread by name: the SQLite worker is
# "Worker", the event loop "bun"). The command gets PORT and HOST, like run.sh's; it must
# exec the server (bench/harness-server.sh does) so that its pid is the server's.
# WRK_SCRIPT overrides the path of put.lua.
set -eu
label=$1; shift
script=${WRK_SCRIPT:-$(cd "$(dirname "$0")/../.." && pwd)/shared/bench/lib/put.lua}
port=$((20000 + RANDOM % 10000))
PORT=$port HOST=127.0.0.1 taskset -c 0 "$@" >/dev/null 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
threads() { for t in /proc/$pid/task/*; do s=$(sed 's/.*) //' "$t/stat"); set -- $s; echo "$(basename "$t") $(tr ' ' _ <"$t/comm") ${12} ${13}"; done | sort; }
taskset -c 1 wrk -t1 -c64 -d3s -s "$script" "http://127.0.0.1:$port/" >/dev/null
before=$(threads)
out=$(taskset -c 1 wrk -t1 -c64 -d5s -s "$script" "http://127.0.0.1:$port/")
after=$(threads)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
rate=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
join <(echo "$before") <(echo "$after") | awk -v r="$requests" -v label="$label" -v rate="$rate" '
  { u = ($6 - $3) * 10000 / r; s = ($7 - $4) * 10000 / r; user += u; sys += s; by[$2] += u + s }
  END {
    printf "%s: %s req/s, %.1f µs of CPU per PUT (user %.1f, system %.1f):", label, rate, user + sys, user, sys
    for (name in by) if (by[name] >= 0.5) printf " %s %.1f", name, by[name]
    printf "\n"
  }'
