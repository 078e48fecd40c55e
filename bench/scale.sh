#!/usr/bin/env bash
# 100,000 registered peers on one Punch server, over loopback only: a Release server (SQLite in a scratch
# folder) and bench/Punch.ScaleBench, which registers PEERS peers through the real protocol (Register,
# address challenge, Register with the cookie) from SOCKETS sockets on as many loopback addresses
# (127.10.x.y: PEERS/SOCKETS peers per address, under the default per-address cap of 64), keeps every one
# refreshing every PeerLifetime/3 as the peer does, then asks for introductions between registered pairs.
# Measured: registration p50/p99 (all, and with >= 80 % of the peers refreshing), refresh p50/p99 in the
# steady state, server RSS before and after (per peer), Connect introductions/s, the Peers page and the
# API's page with PEERS peers (time to first byte and total, curl), events persisted/s and dropped
# (GET /api/stats) over the steady window, load average. Config raised for the benchmark, and only these:
# Rendezvous:MaxPeers=PEERS (default 10,000), Rendezvous:MaxSessions and MaxSessionsPerAddress (the
# introductions' sessions). The per-source rate limit stays on at its defaults.
# Usage: bench/scale.sh   (env: PEERS SOCKETS REGISTER_PER_S STEADY_S CONNECT_S WINDOW HOLD_S)
set -euo pipefail
cd "$(dirname "$0")/.."
peers=${PEERS:-100000}
sockets=${SOCKETS:-2000}
register_rate=${REGISTER_PER_S:-5000}
steady=${STEADY_S:-20}
connect=${CONNECT_S:-10}
window=${WINDOW:-64}
hold=${HOLD_S:-60}
lifetime=30         # Rendezvous:PeerLifetime's default; peers refresh every third of it
http=127.0.0.1:5099
punch_port=34990
limit=600           # seconds any background program may run
for tool in dotnet curl python3; do command -v "$tool" >/dev/null || { echo "needs $tool" >&2; exit 1; }; done
[ "$(ulimit -n)" -gt $((sockets + 500)) ] || { echo "needs more open files than $((sockets + 500)) (ulimit -n)" >&2; exit 1; }

source bench/common.sh

echo "building" >&2
dotnet publish Server.Web -c Release --nologo -v q -o "$work/punch" >/dev/null
dotnet build -c Release --nologo -v q bench/Punch.ScaleBench >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

timeout "$limit" dotnet "$work/punch/Punch.Server.Web.dll" \
  --urls "http://$http" --Rendezvous:Port=$punch_port --Rendezvous:BindAddress=127.0.0.1 \
  --Rendezvous:MaxPeers="$peers" --Rendezvous:MaxSessions=200000 --Rendezvous:MaxSessionsPerAddress=1000 \
  --Rendezvous:PeerLifetime=00:00:$lifetime \
  "--ConnectionStrings:Punch=Data Source=$work/bench.db" --Logging:LogLevel:Default=Warning \
  --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information >"$work/punch.log" 2>&1 &
pids+=($!)
server_timeout=$!
wait_for "$work/punch.log" "Application started"
server=$(pgrep -P "$server_timeout" | head -1)
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$server/status"; }
stats() { curl -sS --max-time 30 "http://$http/api/stats"; }
# storage.eventsPersisted, storage.eventsDropped from /api/stats
counters() { stats | python3 -c 'import json,sys; s=json.load(sys.stdin)["storage"]; print(s["eventsPersisted"], s["eventsDropped"])'; }
now_ms() { date +%s%3N; }

# The dashboard and the API once, so the first timed request does not pay for JIT and the first render.
curl -sS --max-time 30 -o /dev/null "http://$http/peers"
curl -sS --max-time 30 -o /dev/null "http://$http/api/peers"
rss_before=$(rss_kb)

timeout "$limit" dotnet bench/Punch.ScaleBench/bin/Release/net10.0/Punch.ScaleBench.dll 127.0.0.1:$punch_port \
  "$peers" "$sockets" "$register_rate" "$steady" "$connect" "$window" "$hold" "$lifetime" >"$work/load.log" 2>"$work/load.err" &
pids+=($!)
load_pid=$!
echo "registering $peers peers at $register_rate/s" >&2
for _ in $(seq 600); do grep -q "phase=steady-start" "$work/load.log" && break; kill -0 $load_pid 2>/dev/null || break; sleep 0.5; done
grep -q "phase=steady-start" "$work/load.log" || { echo "registration did not finish" >&2; cat "$work/load.log" "$work/load.err" >&2; exit 1; }
read -r persisted0 dropped0 < <(counters); t0=$(now_ms)
wait_for "$work/load.log" "phase=steady-end"
read -r persisted1 dropped1 < <(counters); t1=$(now_ms)
rss_after=$(rss_kb)
echo "steady state measured; introductions" >&2
for _ in $(seq 600); do grep -q "phase=hold" "$work/load.log" && break; sleep 0.5; done
grep -q "phase=hold" "$work/load.log" || { echo "connect phase did not finish" >&2; cat "$work/load.err" >&2; exit 1; }

# Pages with PEERS peers registered and refreshing: each URL 5 times; median time to first byte and total.
timings="$work/timings.txt"
: >"$timings"
for url in "/peers" "/peers?page=1000" "/peers?search=p99999" "/api/peers" "/api/peers?page=500&pageSize=100" "/api/peers?pageSize=1000" "/api/peers?search=bench-7&pageSize=100"; do
  for _ in 1 2 3 4 5; do
    curl -sS --max-time 30 -o "$work/page.html" -w "%{time_starttransfer} %{time_total} %{size_download} %{http_code}\n" "http://$http$url" >>"$work/one.txt"
  done
  python3 - "$url" "$work/one.txt" >>"$timings" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[2]) if l.strip()]
ttfb = statistics.median(float(r[0]) for r in rows) * 1000
total = statistics.median(float(r[1]) for r in rows) * 1000
print(f"| `{sys.argv[1]}` | {ttfb:.0f} | {total:.0f} | {int(rows[-1][2]):,} | {rows[-1][3]} |")
PY
  rm -f "$work/one.txt"
done
grep -c 'data-testid="peer-row-' "$work/page.html" >/dev/null || true
rows_on_page=$(curl -sS --max-time 30 "http://$http/peers" | grep -o 'data-testid="peer-row-' | wc -l)
read -r persisted2 dropped2 < <(counters)
final_stats=$(stats)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
rss_hold=$(rss_kb)
wait $load_pid || true

result=$(grep '^result' "$work/load.log" | cut -d' ' -f2-)
python3 - "$result" <<PY
import sys
r = dict(kv.split("=", 1) for kv in sys.argv[1].split())
steady_s = ($t1 - $t0) / 1000
print(f"""date: $(date -u '+%Y-%m-%d %H:%M UTC')
machine: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB, kernel $(uname -r)
load average (1/5/15 min) before: $load_before, after: $load_after
peers={r['peers']} sockets={r['sockets']} (peers per address {int(r['peers']) // int(r['sockets'])}) register rate offered={r['register_per_s']}/s refresh every {$lifetime / 3:.0f} s
registration: all p50={r['register_p50_ms']} ms p99={r['register_p99_ms']} ms max={r['register_max_ms']} ms (n={r['register_count']}); with >=80 % refreshing p50={r['register_loaded_p50_ms']} p99={r['register_loaded_p99_ms']} ms (n={r['register_loaded_count']})
refresh (steady, {int(r['peers']) * 3 // $lifetime}/s offered): p50={r['refresh_p50_ms']} p99={r['refresh_p99_ms']} max={r['refresh_max_ms']} ms (n={r['refresh_count']}) lost={r['refresh_lost']} errors={r['refresh_errors']}
challenges={r['challenges']} register_retries={r['register_retries']} other_errors={r['other_errors']}
introductions: {r['introductions_per_s']}/s (window {r['window']}) p50={r['introduction_p50_ms']} p99={r['introduction_p99_ms']} ms sent={r['connects_sent']} introduced={r['introductions']} lost={r['connects_lost']} errors={r['connect_errors']}
rss: before={$rss_before // 1024} MiB after={$rss_after // 1024} MiB, per peer={($rss_after - $rss_before) * 1024 / int(r['peers']):.0f} bytes; during page reads {$rss_hold // 1024} MiB
events in the steady window ({steady_s:.1f} s): persisted {$persisted1 - $persisted0} ({($persisted1 - $persisted0) / steady_s:.0f}/s), dropped {$dropped1 - $dropped0} ({($dropped1 - $dropped0) / steady_s:.0f}/s)
events over the whole run: persisted $persisted2, dropped $dropped2
peers page rows rendered: $rows_on_page""")
PY
echo "| address | first byte ms (median of 5) | total ms | bytes | status |"
echo "|---|---|---|---|---|"
cat "$timings"
echo "$final_stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print("stats:", json.dumps({k: s[k] for k in ("peersOnline","peersKnown","eventsStored","sessionsTotal")}), json.dumps(s["storage"]), json.dumps(s["rendezvous"]))' | cut -c1-2000
grep -iE "warn|fail|error" "$work/punch.log" | sort | uniq -c | sort -rn | head -10 || true
tail -3 "$work/load.err" >&2
