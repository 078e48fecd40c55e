#!/usr/bin/env bash
# Relayed throughput of Punch's relay next to coturn's TURN relay, on this machine, in one run, over
# loopback only (127.0.0.1). Both are measured the same way: a client sends MESSAGES messages of
# LENGTH bytes through the relay to a peer that echoes them back through the relay, so every message
# is relayed twice; throughput counts both crossings.
#   coturn: turnserver + turnutils_peer (echo) + turnutils_uclient (CLIENTS allocations, no pacing)
#   Punch:  the built server (relay limits raised) + bench/Punch.RelayBench (two raw peers)
# Prints a Markdown table (also written to docs/relay-benchmark.md, or $1).
# Usage: bench/relay-throughput.sh [report path]   (needs: coturn, dotnet)
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(realpath -m "${1:-docs/relay-benchmark.md}")"
messages=100000
clients=10   # more allocations only lengthen coturn's set-up (200: 22 s), not its rate
lengths=(100 1000)
punch_port=34790
turn_port=34780
echo_port=34800
limit=120   # seconds any one program may run

for tool in turnserver turnutils_uclient turnutils_peer dotnet; do
  command -v "$tool" >/dev/null || { echo "needs $tool (apt-get install coturn)" >&2; exit 1; }
done

dotnet build -c Release --nologo -v q Server.Web >/dev/null
dotnet build -c Release --nologo -v q bench/Punch.RelayBench >/dev/null

source bench/common.sh

# Punch: forwarding limits raised far above what loopback can carry, so the relay itself is measured.
timeout "$limit" dotnet Server.Web/bin/Release/net10.0/Punch.Server.Web.dll \
  --urls http://127.0.0.1:5097 --Rendezvous:Port=$punch_port --Rendezvous:BindAddress=127.0.0.1 \
  "--ConnectionStrings:Punch=Data Source=$work/bench.db" --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
  --Relay:BytesPerSecond=1000000000000 --Relay:BurstBytes=1000000000000 --Relay:MaxBytes=1000000000000 \
  >"$work/punch.log" 2>&1 &
punch_pid=$!
pids+=($punch_pid)
# coturn: -c /dev/null so Debian's /etc/turnserver.conf changes nothing; loopback peers allowed (off by default).
timeout "$limit" turnserver -c /dev/null -L 127.0.0.1 -p $turn_port --relay-ip 127.0.0.1 \
  --min-port 49200 --max-port 49400 --allow-loopback-peers --lt-cred-mech --user bench:benchpass \
  --realm bench --no-tls --no-dtls --no-tcp --no-cli --log-file stdout >"$work/coturn.log" 2>&1 &
pids+=($!)
turn_pid=$!
pids+=($turn_pid)
timeout "$limit" turnutils_peer -L 127.0.0.1 -p $echo_port >"$work/peer.log" 2>&1 &
pids+=($!)
wait_for "$work/punch.log" "Application started"
wait_for "$work/coturn.log" "Total General servers"
sleep 0.5

# CPU seconds (user + system) a relay process has used so far: shows whether it was the bottleneck.
# The pids above are timeout's; the relay is its only child.
cpu() { awk -v tck="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / tck }' "/proc/$(pgrep -P "$1")/stat"; }
rows=()
for length in "${lengths[@]}"; do
  punch_cpu_before=$(cpu $punch_pid)
  punch=$(timeout "$limit" dotnet bench/Punch.RelayBench/bin/Release/net10.0/Punch.RelayBench.dll 127.0.0.1:$punch_port $messages "$length")
  punch_pps=$(sed -E 's/.*relayed_datagrams_per_s=([0-9.]+).*/\1/' <<<"$punch")
  punch_mbit=$(sed -E 's/.*relayed_mbit_per_s=([0-9.]+).*/\1/' <<<"$punch")
  punch_lost=$(sed -E 's/.*lost=([0-9]+).*/\1/' <<<"$punch")
  punch_seconds=$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<<"$punch")
  punch_cpu=$(echo "$(cpu $punch_pid) - $punch_cpu_before" | bc -l)

  # uclient reports its transmit time (after the allocations are made) in whole seconds only: hence many messages.
  turn_cpu_before=$(cpu $turn_pid)
  timeout "$limit" turnutils_uclient -p $turn_port -e 127.0.0.1 -r $echo_port -n $((messages / clients)) -m $clients \
    -l "$length" -z 0 -u bench -w benchpass 127.0.0.1 >"$work/uclient.log" 2>&1
  seconds=$(grep -oE 'Total transmit time is [0-9]+' "$work/uclient.log" | tail -1 | grep -oE '[0-9]+$')
  turn_cpu=$(echo "$(cpu $turn_pid) - $turn_cpu_before" | bc -l)
  received=$(grep -oE 'start_mclient: tot_send_msgs=[0-9]+, tot_recv_msgs=[0-9]+$' "$work/uclient.log" | tail -1 | sed -E 's/.*tot_recv_msgs=//')
  turn_pps=$(echo "2 * $received / $seconds" | bc -l)
  turn_mbit=$(echo "2 * $received * $length * 8 / $seconds / 1000000" | bc -l)
  ratio=$(echo "$punch_mbit / $turn_mbit" | bc -l)
  rows+=("$(printf '| %s | %.0f | %.1f | %s | %.1f s / %.1f s | %.0f | %.1f | %s | %s s / %.1f s | %.2f |' "$length" \
    "$punch_pps" "$punch_mbit" "$punch_lost" "$punch_seconds" "$punch_cpu" \
    "$turn_pps" "$turn_mbit" "$((messages - received))" "$seconds" "$turn_cpu" "$ratio")")
done

{
  echo "# Relay throughput: Punch next to coturn"
  echo
  echo "Written by \`bench/relay-throughput.sh\` (run it again to refresh; needs the Debian package coturn)."
  echo
  echo "Relayed throughput on loopback, $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(date -u '+%Y-%m-%d %H:%M') UTC,"
  echo "$messages messages echoed through each relay (so relayed twice); throughput counts both crossings, payload bytes only."
  echo
  echo "| Message bytes | Punch datagrams/s | Punch Mbit/s | Punch lost | Punch time / relay CPU | coturn datagrams/s | coturn Mbit/s | coturn lost | coturn time / relay CPU | Punch/coturn |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "How: coturn's \`turnutils_uclient\` ($clients allocations, \`-z 0\`) sends through \`turnserver\` to \`turnutils_peer\`,"
  echo "which echoes; Punch's \`bench/Punch.RelayBench\` registers two raw peers with the built server (relay limits raised),"
  echo "activates both ends of the session's relay and sends frames (at most 256 in flight) that the other peer echoes."
  echo "*Time* is the sending phase (set-up excluded: uclient reports it in whole seconds only); *relay CPU* is what the"
  echo "relay process (\`Punch.Server.Web\` / \`turnserver\`) used meanwhile, from /proc."
  echo
  echo "Read the ratio with care: when turnserver's CPU is far below the time, coturn was not the bottleneck but its"
  echo "test client, which paces its sends; the coturn figure is then what uclient drives, not turnserver's ceiling, and"
  echo "the ratio an upper bound on Punch's advantage. Punch's figures are bounded by the 2 shared cores that run the"
  echo "server and both bench peers at once. Lost datagrams are UDP drops at full speed (socket queues), not relay errors."
} | tee "$report"
