#!/usr/bin/env bash
# Punch's UDP packet path next to coturn's, on this machine, in one run, over loopback only (127.0.0.1),
# with C load generators (bench/packet/, built here with gcc) so the client side costs the same for both:
#   Binding, closed loop: SOCKETS sockets x WINDOW requests in flight, responses/s and p50/p99;
#   Binding, open loop:   OPEN_RATE requests/s offered, loss and p50/p99;
#   C baseline:           a recvmmsg/sendmmsg echo with as many threads as Punch has (what the kernel allows);
#   relay:                8 allocations, 8 frames in flight each, of 100 and 1000 bytes: coturn (TURN ChannelData,
#                         --no-auth, the C echo as peer) and Punch (sessions set up by Punch.RelayBench --setup).
# Servers: Punch (published Release, rate limit off, relay limits raised), coturn --stun-only, coturn relay.
# ROUNDS rounds alternate who goes first; a round whose C baseline fell below 70 % of the best one (the
# machine was busy) is run again, at most twice. Writes docs/packet-server-benchmark.md (or $1).
# Usage: bench/packet-server.sh [report path]   (needs gcc, dotnet, python3; installs coturn with apt if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(realpath -m "${1:-docs/packet-server-benchmark.md}")"
rounds=3
seconds=3           # per measurement
sockets=8
window=8
open_rate=150000
relay_allocations=8
relay_window=8
punch_port=34890
stun_port=34880
turn_port=34881
echo_port=34882     # the C baseline, and coturn's relay peer
peer_port=34883
limit=300           # seconds any background program may run
threads=$(nproc)

if ! command -v turnserver >/dev/null; then
  echo "installing coturn" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y coturn >/dev/null; else sudo apt-get install -y coturn >/dev/null; fi
fi
for tool in turnserver gcc dotnet python3 bc; do
  command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }
done

source bench/common.sh

for tool in stun-load relay-load; do gcc -O2 -Wall -Wextra -o "$work/$tool" "bench/packet/$tool.c"; done
gcc -O2 -Wall -Wextra -pthread -o "$work/mmsg-echo" bench/packet/mmsg-echo.c
dotnet publish Server.Web -c Release --nologo -v q -o "$work/punch" >/dev/null
dotnet build -c Release --nologo -v q bench/Punch.RelayBench >/dev/null
relaybench=bench/Punch.RelayBench/bin/Release/net10.0/Punch.RelayBench.dll

timeout "$limit" dotnet "$work/punch/Punch.Server.Web.dll" \
  --urls http://127.0.0.1:5098 --Rendezvous:Port=$punch_port --Rendezvous:BindAddress=127.0.0.1 \
  --Rendezvous:RateLimit:Enabled=false --Rendezvous:MaxRelayAllocationsPerAddress=4096 --Rendezvous:MaxRelayAllocations=4096 \
  --Rendezvous:MaxSessionsPerAddress=10000 --Rendezvous:MaxPeersPerAddress=10000 \
  "--ConnectionStrings:Punch=Data Source=$work/bench.db" --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information --Logging:LogLevel:Punch.Server.Rendezvous=Information \
  --Relay:BytesPerSecond=1000000000000 --Relay:BurstBytes=1000000000000 --Relay:MaxBytes=1000000000000 \
  >"$work/punch.log" 2>&1 &
punch_pid=$!
pids+=($punch_pid)
# -c /dev/null: Debian's /etc/turnserver.conf changes nothing. One coturn answers Binding only, one relays.
timeout "$limit" turnserver -c /dev/null -L 127.0.0.1 -p $stun_port --stun-only --no-tls --no-dtls --no-tcp --no-cli \
  --log-file stdout >"$work/coturn-stun.log" 2>&1 &
stun_pid=$!
pids+=($stun_pid)
timeout "$limit" turnserver -c /dev/null -L 127.0.0.1 -p $turn_port --relay-ip 127.0.0.1 --min-port 49200 --max-port 49400 \
  --allow-loopback-peers --no-auth --realm bench --no-tls --no-dtls --no-tcp --no-cli --log-file stdout >"$work/coturn-turn.log" 2>&1 &
turn_pid=$!
pids+=($turn_pid)
timeout "$limit" "$work/mmsg-echo" 127.0.0.1 $echo_port "$threads" $((limit - 10)) >"$work/echo.log" 2>&1 &
echo_pid=$!
pids+=($echo_pid)
timeout "$limit" "$work/mmsg-echo" 127.0.0.1 $peer_port "$threads" $((limit - 10)) >"$work/peer.log" 2>&1 &
pids+=($!)
wait_for "$work/punch.log" "Application started"
wait_for "$work/coturn-stun.log" "Total General servers"
wait_for "$work/coturn-turn.log" "Total General servers"
wait_for "$work/echo.log" "echo listening"
punch_sockets=$(grep -oE '[0-9]+ socket\(s\) with a receive thread each, batched I/O [A-Za-z]+, receive buffer [0-9]+ bytes granted' "$work/punch.log" | head -1)

results="$work/results.txt"
: >"$results"
# CPU ticks (user + system) a server has used so far; the pids above are timeout's, the server is its only child.
# Packets per CPU second compare the servers' efficiency even when other work shares the cores.
ticks() { awk '{ print $14 + $15 }' "/proc/$(pgrep -P "$1" | head -1)/stat"; }
measure() { # round name server-pid command...
  local round=$1 name=$2 server=$3
  shift 3
  local line before
  before=$(ticks "$server")
  line=$(timeout 60 "$@" 2>>"$work/errors.log" || true)
  echo "round=$round name=$name load=$(cut -d' ' -f1 /proc/loadavg) cpu_s=$(echo "($(ticks "$server") - $before) / $(getconf CLK_TCK)" | bc -l) $line" >>"$results"
  echo "round=$round name=$name $line" >&2
}
punch_relay() { # round length: fresh sessions (each ends 30 s after its introduction without a path report)
  # A setup that fails (an introduction lost on a saturated machine) leaves the row empty rather than ending the run.
  timeout 60 dotnet "$relaybench" --setup 127.0.0.1:$punch_port $relay_allocations >"$work/pairs.txt" 2>>"$work/errors.log" \
    || timeout 60 dotnet "$relaybench" --setup 127.0.0.1:$punch_port $relay_allocations >"$work/pairs.txt" 2>>"$work/errors.log" || true
  measure "$1" "punch-relay-$2" $punch_pid "$work/relay-load" punch $punch_port $relay_allocations $relay_window $seconds "$2" <"$work/pairs.txt"
}
run_round() { # round
  local round=$1 first=punch
  if [ $((round % 2)) = 0 ]; then first=coturn; fi
  for order in 1 2; do
    if { [ $order = 1 ] && [ $first = punch ]; } || { [ $order = 2 ] && [ $first = coturn ]; }; then
      measure "$round" punch-closed $punch_pid "$work/stun-load" 127.0.0.1 $punch_port $sockets $window $seconds
      measure "$round" punch-open $punch_pid "$work/stun-load" 127.0.0.1 $punch_port $sockets $window $seconds $open_rate
      punch_relay "$round" 100
      punch_relay "$round" 1000
    else
      measure "$round" coturn-closed $stun_pid "$work/stun-load" 127.0.0.1 $stun_port $sockets $window $seconds
      measure "$round" coturn-open $stun_pid "$work/stun-load" 127.0.0.1 $stun_port $sockets $window $seconds $open_rate
      measure "$round" coturn-relay-100 $turn_pid "$work/relay-load" turn $turn_port $peer_port $relay_allocations $relay_window $seconds 100
      measure "$round" coturn-relay-1000 $turn_pid "$work/relay-load" turn $turn_port $peer_port $relay_allocations $relay_window $seconds 1000
    fi
  done
  measure "$round" echo-closed $echo_pid "$work/stun-load" 127.0.0.1 $echo_port $sockets $window $seconds
}

for round in $(seq $rounds); do run_round "$round"; done
# A busy machine shows in the C baseline first: re-run (at most twice) the round that fell furthest below the best.
for extra in 1 2; do
  worst=$(python3 bench/packet/report.py worst "$results") || break
  [ -n "$worst" ] || break
  echo "round $worst looks contaminated (C baseline below 70 % of the best): running it again" >&2
  sed -i "/^round=$worst /d" "$results"
  run_round "$worst"
done

python3 bench/packet/report.py report "$results" "$report" \
  "$(date -u '+%Y-%m-%d %H:%M UTC')" "$(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)" "$(uname -r)" \
  "$(turnserver --version 2>/dev/null | head -1 || echo coturn)" "$punch_sockets" "$seconds" "$sockets" "$window" "$open_rate" "$relay_allocations" "$relay_window"
cat "$report"
if [ -s "$work/errors.log" ]; then echo "--- errors:" >&2; tail -20 "$work/errors.log" >&2; fi
