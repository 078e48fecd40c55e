#!/usr/bin/env bash
# Runs every test of Punch. On a fresh Debian machine it first installs, with apt, what the tests
# need beyond the .NET SDK: Debian's chromium (browser tests), coturn and stun-client (STUN interop),
# and the netfilter/iproute2/procps tools, curl and python3 (NAT lab, tests/Lab.Tests, which must run as root),
# with miniupnpd (nftables backend), miniupnpc's upnpc and natpmpc (the lab's port mapping router and reference clients).
# Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v turnutils_stunclient >/dev/null 2>&1 || need+=(coturn)
command -v stun >/dev/null 2>&1 || need+=(stun-client)
command -v nft >/dev/null 2>&1 || need+=(nftables)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v conntrack >/dev/null 2>&1 || need+=(conntrack)
command -v sysctl >/dev/null 2>&1 || need+=(procps)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Native AOT (the published punch binary): Debian's clang as the linker, zlib's headers.
command -v clang >/dev/null 2>&1 || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
# Router port mapping in the NAT lab: miniupnpd on a lab router, and the reference clients.
command -v miniupnpd >/dev/null 2>&1 || need+=(miniupnpd-nftables)
command -v upnpc >/dev/null 2>&1 || need+=(miniupnpc)
command -v natpmpc >/dev/null 2>&1 || need+=(natpmpc)
if [ ${#need[@]} -gt 0 ]; then
  echo "test.sh: installing ${need[*]} with apt"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "test.sh: the .NET 10 SDK is missing; install it (https://learn.microsoft.com/dotnet/core/install/linux-debian) and run again" >&2
  exit 1
fi

# Playwright drives Debian's chromium; it must never download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUNCH_CHROMIUM="${PUNCH_CHROMIUM:-/usr/bin/chromium}"

# The native punch binary users install (Native AOT, this machine's runtime identifier), published
# once here and run by tests/Server.Tests/Published; a bare `dotnet test` skips those tests.
dotnet publish Peer.Console --use-current-runtime -c Release -o artifacts/punch --nologo -v q
export PUNCH_BINARY="$PWD/artifacts/punch/punch"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# Benchmarks (bench/*.sh run them) are not checks: leave them out of the test run.
dotnet test Punch.sln --nologo --filter "Category!=Benchmark" "$@" 2>&1 | tee "$log" || status=$?

# One closing line over all test projects, in the plain form CI reads: "N passed, N failed".
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed, $skipped skipped"

# The in-process fuzz smoke run is one of the tests above; a real AFL++ campaign is opt-in (fuzz/README.md).
if [ -n "${PUNCH_FUZZ_SECONDS:-}" ]; then
  fuzz/run.sh all "$PUNCH_FUZZ_SECONDS" || status=1
fi
exit $status
