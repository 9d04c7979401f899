#!/usr/bin/env bash
# Runs our report and the other libraries' scripts in turn, several times, and compares best with best.
#
#   perf/compare/alternate.sh [--runs N] [--ours <Simd.Perf binary>] [--no-torch]
#
# Each round runs, one after the other: `perf -- report --filter infer` and ONNX Runtime from C# (OrtCSharp) on the
# MLP and LeNet; then, where /usr/bin/python3 has PyTorch, `report --filter train`, torch_train.py on the MLP, LeNet
# and the ResNet, and torch_infer.py on the MLP and LeNet.
# Alternating spreads every program over the same minutes, so a neighbour's burst on a shared host slows both
# rather than one; the best of each figure over the rounds (the highest rate, the lowest time) is what each
# program does when undisturbed, and the ratio of two bests is the comparison. The ranges show the spread.
# All output goes to perf/compare/runs/ (git ignores it); the summary is printed last.
set -euo pipefail
cd "$(dirname "$0")/../.."

runs=3
ours=""
torch=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --ours) ours="$2"; shift 2 ;;
    --no-torch) torch=0; shift ;;
    *) echo "error: unknown argument '$1'; usage: $0 [--runs N] [--ours <Simd.Perf binary>] [--no-torch]" >&2; exit 2 ;;
  esac
done
if ! [[ "$runs" =~ ^[1-9][0-9]*$ ]]; then echo "error: --runs must be a whole number from 1; got '$runs'" >&2; exit 2; fi

if [[ -z "$ours" ]]; then
  dotnet build -c Release perf/Simd.Perf.csproj -v q -nologo >/dev/null
  ours=perf/bin/Release/net10.0/Simd.Perf
fi
dotnet build -c Release perf/compare/OrtCSharp -v q -nologo >/dev/null
ort=perf/compare/OrtCSharp/bin/Release/net10.0/ort-infer
[[ -f perf/compare/mlp.onnx ]] || python3 perf/compare/write_mlp_onnx.py perf/compare/mlp.onnx
if [[ $torch == 1 ]] && ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "# PyTorch not found for /usr/bin/python3: comparing with ONNX Runtime only"
  torch=0
fi
# ONNX Runtime's LeNet is PyTorch's export; without PyTorch (and no earlier export) only the MLP is compared there.
ort_models=(mlp)
if [[ -f perf/compare/lenet.onnx ]] || { /usr/bin/python3 -c "import torch" 2>/dev/null \
     && /usr/bin/python3 perf/compare/torch_infer.py --model lenet --export perf/compare/lenet.onnx >/dev/null 2>&1; }; then
  ort_models+=(lenet)
else
  echo "# no perf/compare/lenet.onnx and no PyTorch to export it: ONNX Runtime runs the MLP only"
fi

out=perf/compare/runs
rm -rf "$out" && mkdir -p "$out"
for ((i = 1; i <= runs; i++)); do
  echo "# round $i of $runs"
  "$ours" report --filter infer --json "$out/ours-infer-$i.json" > "$out/ours-infer-$i.txt"
  for m in "${ort_models[@]}"; do "$ort" --model "$m" > "$out/ortcs-$m-$i.txt"; done
  if [[ $torch == 1 ]]; then
    "$ours" report --filter train --json "$out/ours-train-$i.json" > "$out/ours-train-$i.txt"
    for m in mlp lenet resnet; do /usr/bin/python3 perf/compare/torch_train.py --model "$m" > "$out/torch-train-$m-$i.txt"; done
    for m in mlp lenet; do /usr/bin/python3 perf/compare/torch_infer.py --model "$m" > "$out/torch-infer-$m-$i.txt"; done
  fi
done

# Best per figure: the highest for rates, the lowest for times; then ours against each library's best.
cat "$out"/*.txt | awk '
  /^#/ || NF < 3 { next }
  {
    name = $1; v = $2 + 0; unit = $3
    lower = (unit == "us" || unit == "ms")
    if (!(name in best)) { best[name] = v; lo[name] = v; hi[name] = v; units[name] = unit; n[name] = 0; order[++count] = name }
    if (lower ? v < best[name] : v > best[name]) best[name] = v
    if (v < lo[name]) lo[name] = v
    if (v > hi[name]) hi[name] = v
    n[name]++
  }
  END {
    for (i = 1; i <= count; i++) {
      f = order[i]
      printf "best %s %.6g %s (%d runs, range %.6g-%.6g)\n", f, best[f], units[f], n[f], lo[f], hi[f]
    }
    for (i = 1; i <= count; i++) {
      f = order[i]
      if (f ~ /^(ortcs|torch|ort)\./) continue
      split("ortcs torch", libs, " ")
      for (l in libs) {
        other = libs[l] "." f
        if (!(other in best)) continue
        lower = (units[f] == "us" || units[f] == "ms")
        ratio = lower ? best[other] / best[f] : best[f] / best[other]
        printf "ratio %s ours/%s %.3f (best against best; >1: ours faster)\n", f, libs[l], ratio
      }
    }
  }'
