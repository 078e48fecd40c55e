#!/usr/bin/env bash
# Runs the NAT lab's punching matrix several times (real server and peers in network namespaces;
# needs root, like the lab tests) and prints, per NAT pair, the outcome and the median time to a
# direct path as a Markdown table. The table is also written to docs/nat-matrix.md (or $2).
# Usage: sudo bench/nat-matrix.sh [rounds=5] [report path]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
report="$(realpath -m "${2:-docs/nat-matrix.md}")"
mkdir -p "$(dirname "$report")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

if ! PUNCH_LAB_ROUNDS="$rounds" PUNCH_LAB_REPORT="$report" \
    dotnet test tests/Lab.Tests --nologo --filter "FullyQualifiedName~NatMatrixBenchmark" >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  exit 1
fi
cat "$report"
