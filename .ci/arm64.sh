#!/usr/bin/env bash
# The kernel tests and a training run on linux-arm64, under qemu user-mode emulation on an x64 Debian machine.
#
#   .ci/arm64.sh [JIT_DLL]     e.g. .ci/arm64.sh models/bin/Release/net10.0/Simd.Models.dll (omitted: not compared)
#
# Publishes, self-contained for linux-arm64, Runtime.KernelTests (the kernel tests of Runtime.Tests as an xUnit v3
# executable; VSTest cannot run as an ARM64 program) and the command line, then on each emulated CPU
#   neoverse-n1  ARMv8.2: NEON, dot product, LSE atomics (Graviton2, Ampere Altra)
#   cortex-a72   ARMv8.0: NEON only (Raspberry Pi 4)
# runs the kernel tests at each width the ARM64 JIT offers (native: NEON, the v128 kernels; scalar:
# DOTNET_EnableHWIntrinsic=0, no intrinsics at all) and `train` on the shipped digits, which must report the v128
# NEON path and reach the accuracy of the x64 JIT build forced to the same v128 width (JIT_DLL with SIMD_WIDTH=v128;
# each width sums in its own order, so a v512 run may end a sample or two apart). Every kernel test also runs every forced width itself (the Vector API in
# software above v128). The two CPUs run side by side, one per core. Emulation checks results, not speed.
#
# Needs root for its one-time set-up (apt-get): qemu-user-static, and the arm64 libraries the published programs
# load through the host's multiarch: libc6, libstdc++6, libgcc-s1 and libssl3 (xUnit v3 hashes test IDs with
# SHA-256, which .NET takes from OpenSSL; there is no cross package of it). NuGet serves the linux-arm64 runtime pack.
# Exit status: 0 when every run passed, 1 when any failed, 2 when the set-up or a publish failed.
set -uo pipefail
cd "$(dirname "$0")/.."
jit_dll=${1:-}
expected_accuracy=""
if [ -n "$jit_dll" ]; then
  expected_accuracy=$(SIMD_WIDTH=v128 dotnet "$jit_dll" train | sed -n 's/^test accuracy: //p')
  [ -n "$expected_accuracy" ] || { echo "arm64: the x64 run at v128 ($jit_dll) printed no 'test accuracy:' line"; exit 2; }
fi
cpus=(neoverse-n1 cortex-a72)

arm64_libs=(/lib/ld-linux-aarch64.so.1 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libssl.so.3)
missing() {
  command -v qemu-aarch64-static >/dev/null || return 0
  local f; for f in "${arm64_libs[@]}"; do [ -e "$f" ] || return 0; done
  return 1
}
if missing; then
  [ "$(id -u)" = 0 ] || { echo "arm64: needs root to install qemu-user-static and the arm64 libraries"; exit 2; }
  echo "== installing qemu-user-static and the arm64 libraries (apt-get)"
  start=$EPOCHREALTIME
  apt_log=$(mktemp)
  dpkg --add-architecture arm64
  if ! { DEBIAN_FRONTEND=noninteractive apt-get update -q -o DPkg::Lock::Timeout=600 &&
         DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 \
           qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 libssl3:arm64; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log"
    echo "arm64: apt-get failed"
    exit 2
  fi
  missing && { echo "arm64: still missing after apt-get: qemu-aarch64-static or one of ${arm64_libs[*]}"; exit 2; }
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "installed in %.1f s\n", b - a }'
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for project in Runtime.KernelTests models; do
  start=$EPOCHREALTIME
  if ! dotnet publish "$project" -c Release -r linux-arm64 --self-contained -o "$work/$project" \
       -p:DisableTransitiveFrameworkReferenceDownloads=true >"$work/$project.publish.log" 2>&1; then
    cat "$work/$project.publish.log"
    echo "arm64: dotnet publish $project failed"
    exit 2
  fi
  awk -v a="$start" -v b="$EPOCHREALTIME" -v p="$project" 'BEGIN { printf "published %s for linux-arm64 in %.1f s\n", p, b - a }'
done

# W^X double-maps every page of JIT-compiled code, which is slow under qemu and buys nothing there.
export DOTNET_EnableWriteXorExecute=0
# A knob or forced width inherited from the caller would change what each run tests.
while IFS='=' read -r name _; do unset "$name"; done < <(env | grep -E '^(DOTNET|COMPlus)_Enable(HWIntrinsic|Arm64|AVX|SSE)|^SIMD_WIDTH=' || true)

# step CPU NAME COMMAND...: runs one step, its output in $work/CPU.NAME.log, its result line in $work/CPU.results
step() {
  local cpu=$1 name=$2; shift 2
  local start=$EPOCHREALTIME rc=0
  "$@" >"$work/$cpu.$name.log" 2>&1 || rc=$?
  local seconds
  seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
  if [ "$rc" = 0 ]; then
    printf '%-12s %-14s PASS %6ss\n' "$cpu" "$name" "$seconds" >>"$work/$cpu.results"
  else
    printf '%-12s %-14s FAIL %6ss (exit %s)\n' "$cpu" "$name" "$seconds" "$rc" >>"$work/$cpu.results"
  fi
}

# kernel_tests CPU LEVEL [KNOB]: the kernel tests, and IsaLevelTests asserting LEVEL from inside the process
kernel_tests() {
  local cpu=$1 level=$2; shift 2
  env "$@" ISA_MATRIX_LEVEL="$level" qemu-aarch64-static -cpu "$cpu" "$work/Runtime.KernelTests/Simd.Runtime.Tests" \
    -noLogo -noColor -filter "/[Category=Kernels]" -filter "/*/*/IsaLevelTests" -filter "/*/*/WorkerPoolTests"
}

# train CPU: the README's main job, which must run the NEON path and reach the x64 accuracy
train() {
  local cpu=$1 log=$work/$1.train.out
  qemu-aarch64-static -cpu "$cpu" "$work/models/Simd.Models" train >"$log" 2>&1 || { cat "$log"; return 1; }
  cat "$log"
  head -1 "$log" | grep -q '^width=v128 hardware=v128 isa=NEON arch=Arm64$' ||
    { echo "expected 'width=v128 hardware=v128 isa=NEON arch=Arm64' first"; return 1; }
  local accuracy
  accuracy=$(sed -n 's/^test accuracy: //p' "$log")
  [ -n "$accuracy" ] || { echo "printed no 'test accuracy:' line"; return 1; }
  [ -z "$expected_accuracy" ] || [ "$accuracy" = "$expected_accuracy" ] ||
    { echo "test accuracy $accuracy on ARM64, $expected_accuracy on x64 at v128"; return 1; }
}

lane() {
  local cpu=$1
  step "$cpu" kernels-native kernel_tests "$cpu" native
  step "$cpu" kernels-scalar kernel_tests "$cpu" scalar DOTNET_EnableHWIntrinsic=0
  step "$cpu" train train "$cpu"
}

start=$EPOCHREALTIME
pids=()
for cpu in "${cpus[@]}"; do lane "$cpu" & pids+=($!); done
wait "${pids[@]}"
seconds=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

failed=0
for cpu in "${cpus[@]}"; do
  for name in kernels-native kernels-scalar train; do
    log=$work/$cpu.$name.log
    printf '\n== arm64 %s %s\n' "$cpu" "$name"
    if grep -q "^$cpu *$name *PASS" "$work/$cpu.results"; then
      case $name in
        train) grep -E '^(width|trained|test accuracy)' "$log" ;;
        *) grep -E '^ *Simd.Runtime.Tests +Total:' "$log" ;;
      esac
    else
      cat "$log"
      failed=1
    fi
  done
done
printf '\n== arm64 summary (emulated, the two CPUs side by side: %s s)\n' "$seconds"
for cpu in "${cpus[@]}"; do sed 's/^/  /' "$work/$cpu.results"; done
exit $failed
