#!/usr/bin/env bash
# Builds the peer both ways users can get it and compares them in one run: the Native AOT `punch`
# (one file, no .NET runtime needed) against the framework-dependent build (`dotnet punch.dll`, what
# `dotnet run` and the .NET tool run). Reports size on disk, start-up time (`punch --help`, process
# start to exit, median of N runs) and peak resident memory, and writes docs/punch-binary.md (or $2).
# Local only: nothing is sent anywhere. Needs clang (apt install clang zlib1g-dev) for the AOT build.
# Usage: bench/punch-binary.sh [runs=30] [report path]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-30}"
report="$(realpath -m "${2:-docs/punch-binary.md}")"
source bench/common.sh

dotnet publish Peer.Console --use-current-runtime -c Release -o "$work/aot" --nologo -v q >/dev/null
dotnet publish Peer.Console -c Release -p:PublishAot=false -o "$work/fdd" --nologo -v q >/dev/null

# Median wall time in milliseconds of `$@ --help` over $runs runs (bounded: runs ≤ 200).
median_ms() {
  local times=()
  for _ in $(seq "$(( runs < 200 ? runs : 200 ))"); do
    local start end
    start=$(date +%s%N)
    timeout 10 "$@" --help >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}
peak_kb() { /usr/bin/time -f '%M' "$@" --help 2>&1 >/dev/null | tail -1; }

aot_size=$(stat -c %s "$work/aot/punch")
fdd_size=$(du -sb --exclude='*.pdb' "$work/fdd" | cut -f1)
aot_ms=$(median_ms "$work/aot/punch")
fdd_ms=$(median_ms dotnet "$work/fdd/punch.dll")
aot_kb=$(peak_kb "$work/aot/punch")
fdd_kb=$(peak_kb dotnet "$work/fdd/punch.dll")

{
  echo "# The \`punch\` binary: Native AOT next to the framework-dependent build"
  echo
  echo "Measured by \`bench/punch-binary.sh $runs\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), .NET SDK $(dotnet --version)."
  echo "Start-up is \`punch --help\` from process start to exit, median of $runs runs; memory is the peak resident set of one such run."
  echo "The framework-dependent build also needs the .NET runtime (not counted in its size)."
  echo
  echo "| build | size on disk | start-up (median) | peak memory |"
  echo "| --- | ---: | ---: | ---: |"
  awk -v s="$aot_size" -v ms="$aot_ms" -v kb="$aot_kb" 'BEGIN {printf "| Native AOT `punch` (one file) | %.1f MB | %s ms | %.1f MB |\n", s/1e6, ms, kb/1024}'
  awk -v s="$fdd_size" -v ms="$fdd_ms" -v kb="$fdd_kb" 'BEGIN {printf "| framework-dependent `dotnet punch.dll` | %.1f MB | %s ms | %.1f MB |\n", s/1e6, ms, kb/1024}'
  awk -v a="$aot_ms" -v f="$fdd_ms" -v ak="$aot_kb" -v fk="$fdd_kb" 'BEGIN {printf "| ratio (AOT / framework-dependent) | | %.2fx | %.2fx |\n", a/f, ak/fk}'
} > "$report"
cat "$report"
