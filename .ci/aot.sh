#!/usr/bin/env bash
# Publishes the command line with Native AOT and checks the published binary: it trains the shipped digits to the
# accuracy the JIT build reaches at the same width, at the width this CPU should get from the instruction sets it
# was published for.
#
#   .ci/aot.sh [JIT_DLL]     e.g. .ci/aot.sh models/bin/Release/net10.0/Simd.Models.dll (omitted: not compared)
#
# Each width sums in its own order, so accuracies are compared width for width: the JIT build is run with
# SIMD_WIDTH set to the width the published binary reports.
#
# Two publishes: the project's default (models/models.csproj: IlcInstructionSet x86-64-v3, AVX2+FMA) and
# IlcInstructionSet=native (whatever the build machine has, AVX-512 included). The width each must report comes from
# /proc/cpuinfo, not from .NET, so the check is independent of what it checks:
#   default: v256 where the CPU has avx2 and fma (and, with AVX-512, a note naming x86-64-v4); without them the
#            binary must refuse to start.
#   native:  v512 with avx512f/cd/bw/dq/vl (v256 on the Intel parts whose 512-bit units throttle: Skylake-X,
#            Cascade Lake, Cooper Lake, Cannon Lake, where .NET itself prefers 256 bits), else v256 or v128.
# Exit status: 0 when both binaries behaved, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
jit_dll=${1:-}

flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
has() { local f; for f in "$@"; do [[ $flags == *" $f "* ]] || return 1; done; }
vendor=$(grep -m1 '^vendor_id' /proc/cpuinfo | awk '{print $3}')
family=$(grep -m1 '^cpu family' /proc/cpuinfo | awk '{print $4}')
model=$(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | awk '{print $3}')
avx2=0; has avx2 fma && avx2=1
avx512=0; has avx512f avx512cd avx512bw avx512dq avx512vl && avx512=1
throttled=0
[ "$vendor" = GenuineIntel ] && [ "$family" = 6 ] && { [ "$model" = 85 ] || [ "$model" = 102 ]; } && throttled=1
echo "cpu: avx2+fma=$avx2 avx512=$avx512 throttled-avx512=$throttled ($vendor family $family model $model)"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
failed=0
fail() { echo "FAILED: $*"; failed=1; }

# publish NAME [MSBUILD ARGS]: publishes into $out/NAME, printing the time it took
publish() {
  local name=$1; shift
  local start=$EPOCHREALTIME
  if ! dotnet publish models -c Release -r linux-x64 -p:PublishAot=true "$@" -o "$out/$name" >"$out/$name.log" 2>&1; then
    cat "$out/$name.log"
    fail "dotnet publish ($name) failed"
    return 1
  fi
  grep -E ' warning ' "$out/$name.log" && fail "dotnet publish ($name) gave warnings"
  awk -v a="$start" -v b="$EPOCHREALTIME" -v n="$name" -v s="$(stat -c %s "$out/$name/Simd.Models")" \
    'BEGIN { printf "published %s in %.1f s, %.1f MB\n", n, b - a, s / 1e6 }'
}

# check NAME WIDTH NOTE: runs train with the binary; WIDTH is the width it must report, NOTE a pattern its note
# line must match ('' for none)
check() {
  local name=$1 width=$2 note=$3 log="$out/$1.train"
  if ! "$out/$name/Simd.Models" train >"$log" 2>&1; then
    cat "$log"
    fail "$name: train exited with an error"
    return
  fi
  sed -n '1,3p' "$log"
  grep -E '^(trained|test accuracy)' "$log"
  head -1 "$log" | grep -q "^width=$width hardware=$width " || fail "$name: expected width=$width on this CPU"
  if [ -n "$note" ]; then
    tr '\n' ' ' <"$log" | grep -Eq "$note" || fail "$name: expected a note matching '$note'"
  elif grep -q '^note:' "$log"; then
    fail "$name: unexpected note"
  fi
  local accuracy
  accuracy=$(sed -n 's/^test accuracy: //p' "$log")
  [ -n "$accuracy" ] || fail "$name: printed no 'test accuracy:' line"
  [ -n "$jit_dll" ] || return 0
  local expected
  expected=$(SIMD_WIDTH=$width dotnet "$jit_dll" train | sed -n 's/^test accuracy: //p')
  [ "$accuracy" = "$expected" ] || fail "$name: test accuracy $accuracy, the JIT's at $width was $expected"
}

echo "== Native AOT, the project's default (x86-64-v3)"
if publish default; then
  if [ $avx2 = 1 ]; then
    check default v256 "$([ $avx512 = 1 ] && echo 'note: published ahead of time for v256, but this CPU has v512 .*x86-64-v4')"
  elif "$out/default/Simd.Models" datasets >"$out/default.run" 2>&1; then
    fail "default: started on a CPU without AVX2+FMA"
  else
    echo "refused to start on this CPU without AVX2+FMA, as it must: $(head -1 "$out/default.run")"
  fi
fi

echo "== Native AOT, IlcInstructionSet=native"
if publish native -p:IlcInstructionSet=native; then
  if [ $avx512 = 1 ] && [ $throttled = 0 ]; then width=v512; elif [ $avx2 = 1 ]; then width=v256; else width=v128; fi
  check native $width ''
fi
exit $failed
