#!/usr/bin/env bash
# Runs our report and the other libraries' scripts in turn, several times, and compares best with best.
#
#   perf/compare/alternate.sh [--runs N] [--ours <Simd.Perf binary>] [--no-torch]
#
# Each round runs, one after the other: `perf -- report --filter infer` and ONNX Runtime from C# (OrtCSharp) on the
# MLP, LeNet and the sequence models (LSTM, GRU, RNN), each first timing its load from the file to a first answer
# (ortcs.onnx.load.*), and `perf -- report --filter onnx` for ours (onnx.load.*, the first load also compiled ahead of
# time: .first_aot_ms, set against ONNX Runtime's .first_ms); then, where /usr/bin/python3 has PyTorch, `report --filter
# train`, torch_train.py on the MLP, LeNet, the ResNet and the sequence models, and torch_infer.py on the MLP, LeNet
# and the sequence models. Figures the report does not have (yet) are listed and shown without a ratio.
# Alternating spreads every program over the same minutes, so a neighbour's burst on a shared host slows both
# rather than one; the best of each figure over the rounds (the highest rate, the lowest time) is what each
# program does when undisturbed, and the ratio of two bests is the comparison. The ranges show the spread.
# The sequence models' figures also get their share of the FMA peak the report measures (FLOPs from flops.py).
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
# The first load compiled ahead of time (onnx.load.*.first_aot_ms) needs the Native AOT probe published once.
if [[ ! -x perf/FirstAnswerAot/bin/aot/onnx-first-load ]] \
   && ! dotnet publish perf/FirstAnswerAot -c Release -r linux-x64 -o perf/FirstAnswerAot/bin/aot -v q -nologo >/dev/null 2>&1; then
  echo "# the Native AOT probe did not publish (no clang?): onnx.load.*.first_aot_ms is left out"
fi
if [[ $torch == 1 ]] && ! /usr/bin/python3 -c "import torch" 2>/dev/null; then
  echo "# PyTorch not found for /usr/bin/python3: comparing with ONNX Runtime only"
  torch=0
fi
# ONNX Runtime's other models are PyTorch's exports (the sequence models' are committed); without PyTorch a missing
# one is left out.
ort_models=(mlp)
for m in lenet lstm gru rnn; do
  if [[ -f perf/compare/$m.onnx ]] || { /usr/bin/python3 -c "import torch" 2>/dev/null \
       && /usr/bin/python3 perf/compare/torch_infer.py --model "$m" --export "perf/compare/$m.onnx" >/dev/null 2>&1; }; then
    ort_models+=("$m")
  else
    echo "# no perf/compare/$m.onnx and no PyTorch to export it: ONNX Runtime leaves $m out"
  fi
done
sequence_flops=$(python3 perf/compare/flops.py | tr '\n' ';')

out=perf/compare/runs
rm -rf "$out" && mkdir -p "$out"
for ((i = 1; i <= runs; i++)); do
  echo "# round $i of $runs"
  "$ours" report --filter infer --json "$out/ours-infer-$i.json" > "$out/ours-infer-$i.txt"
  "$ours" report --filter onnx --json "$out/ours-onnx-$i.json" > "$out/ours-onnx-$i.txt"
  for m in "${ort_models[@]}"; do "$ort" --model "$m" > "$out/ortcs-$m-$i.txt"; done
  if [[ $torch == 1 ]]; then
    "$ours" report --filter train --json "$out/ours-train-$i.json" > "$out/ours-train-$i.txt"
    for m in mlp lenet resnet lstm gru rnn; do
      /usr/bin/python3 perf/compare/torch_train.py --model "$m" > "$out/torch-train-$m-$i.txt"
    done
    for m in mlp lenet lstm gru rnn; do /usr/bin/python3 perf/compare/torch_infer.py --model "$m" > "$out/torch-infer-$m-$i.txt"; done
  fi
done

# Best per figure: the highest for rates, the lowest for times; then ours against each library's best; then the
# sequence models' figures as a share of the best FMA peak our report printed over the rounds.
# The report's names for the sequence models; the summary lists those it lacks (their library figures get no ratio).
ours_sequence="train.lstm.b32.ms train.gru.b32.ms infer.lstm.b1.p50_us infer.lstm.b256.samples_per_s infer.gru.b1.p50_us"
[[ $torch == 1 ]] || ours_sequence="infer.lstm.b1.p50_us infer.lstm.b256.samples_per_s infer.gru.b1.p50_us"
cat "$out"/*.txt | awk -v flops="$sequence_flops" -v expected="$ours_sequence" '
  /^# fma peak: / { if ($4 + 0 > peak) peak = $4 + 0; next }
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
        # A first load compiled ahead of time is set against the first load of the other library.
        if (!(other in best) && f ~ /\.first_aot_ms$/) { alt = f; sub(/\.first_aot_ms$/, ".first_ms", alt); other = libs[l] "." alt }
        if (!(other in best)) continue
        lower = (units[f] == "us" || units[f] == "ms")
        ratio = lower ? best[other] / best[f] : best[f] / best[other]
        printf "ratio %s ours/%s %.3f (best against best; >1: ours faster)\n", f, libs[l], ratio
      }
    }
    missing = ""
    k = split(expected, want, " ")
    for (i = 1; i <= k; i++) if (!(want[i] in best)) missing = missing " " want[i]
    if (missing != "") print "# ours: perf -- report has no" missing " yet: those figures stand without a ratio"
    # FLOPs per sample, forward and training step, from flops.py ("lstm 4475392 12623360;gru ...").
    k = split(flops, rows, ";")
    for (i = 1; i <= k; i++) if (split(rows[i], c, " ") == 3) { fwd[c[1]] = c[2]; step[c[1]] = c[3] }
    if (peak <= 0) exit
    for (i = 1; i <= count; i++) {
      f = order[i]
      # [library.]train|infer.<model>.b<batch>.<metric>, one thread only (a .t2 name has another part there).
      parts = split(f, p, ".")
      if (parts < 4 || !(p[parts - 2] in fwd) || p[parts - 1] !~ /^b[0-9]+$/) continue
      model = p[parts - 2]; size = substr(p[parts - 1], 2) + 0; kind = p[parts - 3]; metric = p[parts]
      if (kind == "train" && metric == "ms") gflops = step[model] * size / (best[f] * 1e6)
      else if (kind == "infer" && metric == "p50_us") gflops = fwd[model] / (best[f] * 1e3)
      else if (kind == "infer" && metric == "samples_per_s") gflops = fwd[model] * best[f] / 1e9
      else continue
      printf "peak %s %.1f %% of %.1f GFLOPS (%.1f GFLOPS)\n", f, 100 * gflops / peak, peak, gflops
    }
  }'
