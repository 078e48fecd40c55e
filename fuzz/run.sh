#!/usr/bin/env bash
# A bounded AFL++ campaign against one fuzz target (see fuzz/README.md):
#   fuzz/run.sh TARGET SECONDS      e.g. fuzz/run.sh register 60;  fuzz/run.sh all 20 runs every target
# Builds punch-fuzz into fuzz/.build, instruments Punch.Core.dll there with SharpFuzz, runs afl-fuzz
# for SECONDS on the committed corpus fuzz/corpus/TARGET and fails (exit 1) if it found a crash or
# a hang; the inputs are kept in fuzz/findings/TARGET/default/{crashes,hangs} and replayed, with
# their stack traces, at the end. Installs afl++ (apt) and SharpFuzz.CommandLine (NuGet) if missing.
set -euo pipefail
cd "$(dirname "$0")"

if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh TARGET|all SECONDS" >&2
  exit 2
fi
target=$1
seconds=$2

if ! command -v afl-fuzz >/dev/null 2>&1; then
  echo "run.sh: installing afl++ with apt"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
if [ ! -x .tools/sharpfuzz ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path .tools >/dev/null
fi

# Build once per run, then instrument only Punch.Core.dll (the parsers); the target program and the
# runtime stay uninstrumented, so AFL's coverage map shows paths through our code only.
dotnet build Punch.Fuzz/Punch.Fuzz.csproj -c Release --nologo -v q -o .build >/dev/null
.tools/sharpfuzz .build/Punch.Core.dll >/dev/null

if [ "$target" = all ]; then
  targets=$(dotnet .build/punch-fuzz.dll list | awk '{print $1}')
else
  targets=$target
fi

# dotnet is not an AFL-instrumented binary (SharpFuzz reports coverage itself); no core dumps are
# wanted; no UI in a log; CPU frequency scaling is the machine's business, not the campaign's.
export AFL_SKIP_BIN_CHECK=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1
export AFL_QUIET=1 AFL_SKIP_CRASHES=0 AFL_FORKSRV_INIT_TMOUT=60000 DOTNET_TieredPGO=0

status=0
for t in $targets; do
  findings=findings/$t
  rm -rf "$findings"
  mkdir -p "$findings"
  # -t: per-input timeout (ms; the first inputs include JIT time); -m none: .NET reserves much virtual memory.
  afl-fuzz -i "corpus/$t" -o "$findings" -V "$seconds" -t 2000 -m none -- dotnet .build/punch-fuzz.dll "$t" >"$findings/afl.log" 2>&1 || {
    echo "run.sh: afl-fuzz failed for $t; last lines of $findings/afl.log:" >&2
    tail -20 "$findings/afl.log" >&2
    status=1
    continue
  }
  stats=$findings/default/fuzzer_stats
  execs=$(awk -F' *: *' '$1=="execs_done"{print $2}' "$stats")
  rate=$(awk -F' *: *' '$1=="execs_per_sec"{print $2}' "$stats")
  paths=$(awk -F' *: *' '$1=="corpus_count"{print $2}' "$stats")
  crashes=$(find "$findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
  hangs=$(find "$findings/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
  printf '%-22s %10s execs in %ss (%s/s), %s paths, %s crashes, %s hangs\n' "$t" "$execs" "$seconds" "$rate" "$paths" "$crashes" "$hangs"
  if [ "$crashes" -gt 0 ] || [ "$hangs" -gt 0 ]; then
    status=1
    # Replay against the uninstrumented build's logic for readable stack traces.
    find "$findings/default/crashes" "$findings/default/hangs" -type f -name 'id:*' -print0 \
      | xargs -0 -r timeout 60 dotnet .build/punch-fuzz.dll replay "$t" || true
    echo "run.sh: $t failed; add the input to fuzz/corpus/$t/regression-NAME.bin once the parser is fixed" >&2
  fi
done
exit $status
