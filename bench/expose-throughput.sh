#!/usr/bin/env bash
# Throughput through the server's public port (`punch expose --public-port`) next to plain TCP to the
# same local service, on this machine, in one run, over loopback only (127.0.0.1):
#   plain:   client → local service
#   exposed: client → server's public port → server → data connection → punch expose → local service
# bench/Punch.ExposeBench runs the local service and both clients, alternating, best of three rounds.
# Prints a Markdown table (also written to docs/expose-benchmark.md, or $1).
# Usage: bench/expose-throughput.sh [report path]   (needs: dotnet)
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(realpath -m "${1:-docs/expose-benchmark.md}")"
control_port=34910
public_port=34911
local_port=34912
limit=600   # seconds any one program may run

dotnet build -c Release --nologo -v q Server.Web >/dev/null
dotnet build -c Release --nologo -v q Peer.Console >/dev/null
dotnet build -c Release --nologo -v q bench/Punch.ExposeBench >/dev/null

source bench/common.sh

# exec: the pid is the server's own, so its CPU can be read from /proc.
(exec timeout "$limit" dotnet Server.Web/bin/Release/net10.0/Punch.Server.Web.dll \
  --urls http://127.0.0.1:5098 --Rendezvous:Port=0 --Rendezvous:AlternatePort=0 --Rendezvous:BindAddress=127.0.0.1 \
  "--ConnectionStrings:Punch=Data Source=$work/bench.db" --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
  --Expose:AllowedPorts=$public_port --Expose:ControlPort=$control_port --Expose:BindAddress=127.0.0.1 \
  --Expose:MaxConnectionsPerService=1000 --Expose:MaxConnectionsPerVisitorAddress=1000 --Expose:AllowOpenNetworks=true \
  >"$work/server.log" 2>&1) &
server_pid=$!
pids+=($server_pid)
wait_for "$work/server.log" "Application started"
(exec timeout "$limit" dotnet Peer.Console/bin/Release/net10.0/punch.dll expose --server 127.0.0.1 --control-port $control_port \
  --name bench --local 127.0.0.1:$local_port --public-port $public_port >"$work/peer.log" 2>&1) &
peer_pid=$!
pids+=($peer_pid)
wait_for "$work/peer.log" "exposed"
# The dotnet host execs the app in the same process, so these pids are the server's and the peer's.
server_proc=$(pgrep -P "$server_pid" -f Punch.Server.Web.dll || echo "$server_pid")
peer_proc=$(pgrep -P "$peer_pid" -f punch.dll || echo "$peer_pid")

rows=$(dotnet bench/Punch.ExposeBench/bin/Release/net10.0/Punch.ExposeBench.dll $local_port $public_port "$server_proc" "$peer_proc")

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
{
  echo "# Expose throughput: through the server's public port next to plain TCP"
  echo
  echo "Written by \`bench/expose-throughput.sh\` (run it again to refresh)."
  echo
  echo "Loopback, $(nproc) cores ($cpu), $(date -u '+%Y-%m-%d %H:%M UTC'), Release builds; best of three rounds,"
  echo "plain and exposed alternating in each round, MiB/s of payload summed over the connections."
  echo
  echo "| Scenario | Bytes moved | Plain TCP MiB/s | Exposed MiB/s | Exposed/plain | CPU server / peer (exposed) |"
  echo "|---|---:|---:|---:|---:|---:|"
  echo "$rows"
  echo
  echo "How: \`bench/Punch.ExposeBench\` runs the local service (download: it sends the bytes and closes; upload:"
  echo "it reads to the end, then closes) and its clients. *Plain* connects straight to the local service; *exposed*"
  echo "connects to the built server's public port, which asks \`punch expose\` (Release, same machine) over its control"
  echo "connection to dial the local service and a data connection back, then splices. Every byte is copied twice more"
  echo "in user space (server: visitor ↔ data connection; peer: data connection ↔ local service) and crosses loopback"
  echo "three times instead of once; all of it shares the same cores. *CPU* is what the server and the peer process used"
  echo "during the best exposed run, as a share of one core (from /proc)."
} >"$report"
cat "$report"
