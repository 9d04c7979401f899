#!/usr/bin/env bash
# Runs a command once per x64 instruction-set level, switching instruction sets off with the .NET runtime's own
# environment knobs, and fails if any level fails.
#
#   .ci/isa-matrix.sh [--levels LIST] [--] COMMAND [ARGS...]
#   e.g. dotnet build -c Release && .ci/isa-matrix.sh dotnet test -c Release --no-build --filter Category=Kernels
#
# Levels (LIST is comma-separated; default native,no-avx512,no-avx2,scalar):
#   native     no knob: whatever this CPU has
#   no-avx512  DOTNET_EnableAVX512=0 DOTNET_EnableAVX10v1=0: AVX-512 off, AVX2 and FMA kept (x64 only)
#   no-avx2    DOTNET_EnableAVX=0: AVX, AVX2, FMA and AVX-512 off, SSE4.2 kept: Vector128 only, the shape of the
#              ARM64 NEON path (x64 only)
#   scalar     DOTNET_EnableHWIntrinsic=0: no hardware intrinsics, the software fallbacks
# .NET 10 ignores the older per-instruction names (EnableAVX512F, EnableFMA, ...), so before each level
# .ci/isa-probe.cs reports what the JIT really has under the knobs; a level whose knobs did not take effect fails
# without running the command. An x64-only level is skipped on another architecture.
# The command runs with ISA_MATRIX_LEVEL=<level> (Runtime.Tests/IsaLevelTests.cs asserts the level from inside).
# Build first and pass --no-build: otherwise MSBuild and the compiler also run under each knob, slowly at scalar.
# Exit status: 0 when every level passed or was skipped, 1 when any failed, 2 for a usage error.
set -uo pipefail

usage() {
  echo "usage: .ci/isa-matrix.sh [--levels native,no-avx512,no-avx2,scalar] [--] COMMAND [ARGS...]" >&2
  exit 2
}

levels=native,no-avx512,no-avx2,scalar
while [ $# -gt 0 ]; do
  case "$1" in
    --levels) [ $# -ge 2 ] || usage; levels=$2; shift 2 ;;
    --levels=*) levels=${1#*=}; shift ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "isa-matrix: unknown option '$1'" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || usage

# knobs LEVEL: the environment assignments that make the level
knobs() {
  case "$1" in
    native) ;;
    no-avx512) echo "DOTNET_EnableAVX512=0 DOTNET_EnableAVX10v1=0" ;;
    no-avx2) echo "DOTNET_EnableAVX=0" ;;
    scalar) echo "DOTNET_EnableHWIntrinsic=0" ;;
    *) return 1 ;;
  esac
}

# expected LEVEL: the probe fields the level must show
expected() {
  case "$1" in
    no-avx512) echo "avx512f=False v512=False" ;;
    no-avx2) echo "avx=False avx2=False fma=False avx512f=False v128=True v256=False v512=False vector-bytes=16" ;;
    scalar) echo "sse42=False v128=False v256=False v512=False" ;;
  esac
}

x64_only() { [ "$1" = no-avx512 ] || [ "$1" = no-avx2 ]; }

IFS=, read -r -a level_list <<<"$levels"
[ ${#level_list[@]} -gt 0 ] || usage
for level in "${level_list[@]}"; do
  if ! knobs "$level" >/dev/null; then
    echo "isa-matrix: unknown level '$level' (known: native, no-avx512, no-avx2, scalar)" >&2
    exit 2
  fi
done

# A knob inherited from the caller would leak into every level, native included.
isa_sets='HWIntrinsic|SSE[0-9A-Za-z_]*|SSSE3|AVX[0-9A-Za-z_]*|FMA|BMI[12]|LZCNT|POPCNT|MOVBE|F16C|AES|PCLMULQDQ'
isa_sets+='|VPCLMULQDQ|GFNI|SHA|X86Serialize|APX|Arm64[0-9A-Za-z_]*'
while IFS='=' read -r name _; do
  echo "isa-matrix: ignoring inherited $name"
  unset "$name"
done < <(env | grep -E "^(DOTNET|COMPlus)_(Enable($isa_sets)|PreferredVectorBitWidth|MaxVectorTBitWidth)=" || true)
# A build node left running from one level would serve later builds with that level's instruction sets.
export MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

probe_out=$(mktemp -d)
trap 'rm -rf "$probe_out"' EXIT
probe_src="$(dirname "$0")/isa-probe.cs"
if ! dotnet build "$probe_src" -c Release -o "$probe_out" >"$probe_out/build.log" 2>&1; then
  cat "$probe_out/build.log"
  echo "isa-matrix: could not build $probe_src, so no level can be checked"
  exit 1
fi
native_state=$(dotnet "$probe_out/isa-probe.dll")
native_arch=${native_state%% *}

results=()
failed=0
for level in "${level_list[@]}"; do
  read -r -a env_knobs <<<"$(knobs "$level")"
  printf '\n== isa-matrix level %s: %s\n' "$level" "${env_knobs[*]:-(no knobs)}"
  if x64_only "$level" && [ "$native_arch" != arch=X64 ]; then
    echo "skipped: x64 only, this machine is ${native_arch#arch=}"
    results+=("$(printf '%-10s SKIP (x64 only)' "$level")")
    continue
  fi
  state=$(env "${env_knobs[@]}" dotnet "$probe_out/isa-probe.dll")
  echo "probe: $state"
  missing=""
  for want in $(expected "$level"); do
    case " $state " in *" $want "*) ;; *) missing="$missing $want" ;; esac
  done
  if [ -n "$missing" ]; then
    echo "FAILED: the knobs did not take effect; the probe lacks:$missing"
    results+=("$(printf '%-10s FAIL (knobs had no effect:%s)' "$level" "$missing")")
    failed=1
    continue
  fi
  [ "$level" != native ] && [ "$state" = "$native_state" ] && echo "note: this CPU already has no more than this level"
  start=$EPOCHREALTIME
  env "${env_knobs[@]}" ISA_MATRIX_LEVEL="$level" "$@"
  rc=$?
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if [ "$rc" -eq 0 ]; then
    results+=("$(printf '%-10s PASS %6ss' "$level" "$seconds")")
  else
    results+=("$(printf '%-10s FAIL (exit %s) %6ss' "$level" "$rc" "$seconds")")
    failed=1
  fi
done

printf '\n== isa-matrix summary (%s)\n' "${native_state}"
printf '  %s\n' "${results[@]}"
exit "$failed"
