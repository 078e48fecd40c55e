#!/usr/bin/env bash
# Throughput of punch expose/forward (the stream protocol over UDP, through a real server) next to
# plain TCP, on this machine, in one run, over loopback only (127.0.0.1). One HTTP server
# (python3 -m http.server) serves random files; curl fetches them
#   plain:    straight from the HTTP server (the baseline, TCP on loopback)
#   direct:   through punch forward -> punch expose over the punched direct path
#   relayed:  the same with --relay-only on both peers (server relay limits raised)
# once as one large transfer and once as PARALLEL concurrent transfers, and reports MB/s and the ratio
# to plain TCP. Prints a Markdown table (also written to docs/stream-benchmark.md, or $1).
# Usage: bench/stream-throughput.sh [report path]   (needs: dotnet, python3, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(realpath -m "${1:-docs/stream-benchmark.md}")"
big_mb=200
parallel=10
each_mb=20
server_port=34791
http_port=38080
limit=300   # seconds any one program may run

for tool in dotnet python3 curl; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

dotnet build -c Release --nologo -v q Server.Web >/dev/null
dotnet build -c Release --nologo -v q Peer.Console >/dev/null
punch="Peer.Console/bin/Release/net10.0/punch.dll"

source bench/common.sh

mkdir "$work/files"
head -c $((big_mb * 1000000)) /dev/urandom >"$work/files/big.bin"
head -c $((each_mb * 1000000)) /dev/urandom >"$work/files/each.bin"

timeout "$limit" dotnet Server.Web/bin/Release/net10.0/Punch.Server.Web.dll \
  --urls http://127.0.0.1:5098 --Rendezvous:Port=$server_port --Rendezvous:BindAddress=127.0.0.1 \
  "--ConnectionStrings:Punch=Data Source=$work/bench.db" --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
  --Relay:BytesPerSecond=1000000000000 --Relay:BurstBytes=1000000000000 --Relay:MaxBytes=1000000000000 \
  >"$work/server.log" 2>&1 &
pids+=($!)
timeout "$limit" python3 -u -m http.server $http_port --bind 127.0.0.1 --directory "$work/files" >"$work/http.log" 2>&1 &
pids+=($!)
wait_for "$work/server.log" "Application started"
wait_for "$work/http.log" "Serving HTTP"

# Two expose/forward pairs: one may punch (direct on loopback), one relay-only.
start_pair() { # name listen-port extra-flags...
  local name=$1 port=$2; shift 2
  timeout "$limit" dotnet "$punch" expose --server 127.0.0.1:$server_port --name "$name-web" --bind 127.0.0.1 \
    --local 127.0.0.1:$http_port --json "$@" >"$work/$name-expose.log" 2>&1 &
  pids+=($!)
  wait_for "$work/$name-expose.log" '"event":"exposing"'
  timeout "$limit" dotnet "$punch" forward --server 127.0.0.1:$server_port --name "$name-me" --bind 127.0.0.1 \
    --peer "$name-web" --listen 127.0.0.1:$port --json "$@" >"$work/$name-forward.log" 2>&1 &
  pids+=($!)
  wait_for "$work/$name-forward.log" '"event":"forwarding"'
}
start_pair direct 39000
wait_for "$work/direct-forward.log" '"kind":"direct"'
start_pair relayed 39001 --relay-only

# MB/s of one transfer of big.bin from 127.0.0.1:PORT.
single() {
  curl -sSf --max-time 120 -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$1/big.bin" | awk '{ printf "%.1f", $1 / 1000000 }'
}

# Aggregate MB/s of PARALLEL concurrent transfers of each.bin.
concurrent() {
  local args=() start end
  for i in $(seq $parallel); do args+=(-o /dev/null "http://127.0.0.1:$1/each.bin?$i"); done
  start=$(date +%s.%N)
  curl -sSf --no-progress-meter --max-time 120 --parallel --parallel-max $parallel "${args[@]}"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" -v mb=$((parallel * each_mb)) 'BEGIN { printf "%.1f", mb / (e - s) }'
}

declare -A result
for path in plain direct relayed; do
  case $path in plain) port=$http_port ;; direct) port=39000 ;; relayed) port=39001 ;; esac
  curl -sSf -o /dev/null "http://127.0.0.1:$port/each.bin"   # warm-up (JIT, windows)
  result[$path-single]=$(single $port)
  result[$path-concurrent]=$(concurrent $port)
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "# Stream throughput: punch forward/expose next to plain TCP"
  echo
  echo "Written by \`bench/stream-throughput.sh\` (run it again to refresh; needs python3 and curl)."
  echo
  echo "Loopback, $(nproc) cores ($cpu), $(date -u '+%Y-%m-%d %H:%M') UTC. curl fetches random files from"
  echo "\`python3 -m http.server\`: straight (plain TCP, the baseline), and through \`punch forward\` → \`punch expose\`"
  echo "with the real server (direct path, and \`--relay-only\` through the server's relay with its limits raised)."
  echo
  echo "| Path | 1 × ${big_mb} MB, MB/s | ratio to TCP | ${parallel} × ${each_mb} MB concurrent, MB/s | ratio to TCP |"
  echo "|---|---:|---:|---:|---:|"
  for path in plain direct relayed; do
    label=$path; [ "$path" = plain ] && label="plain TCP"
    echo "| $label | ${result[$path-single]} | $(ratio "${result[$path-single]}" "${result[plain-single]}") | ${result[$path-concurrent]} | $(ratio "${result[$path-concurrent]}" "${result[plain-concurrent]}") |"
  done
  echo
  echo "Read with care: plain TCP on loopback is the kernel copying memory (no loss, 64 KiB segments, no"
  echo "encryption), so it is a ceiling, not a peer. Punch's figures include AES-GCM in both directions, 1200-byte"
  echo "datagrams through a user-space transport, the HTTP server and curl, and everything shares the same cores"
  echo "(relayed: the server relays every datagram too)."
} | tee "$report"
