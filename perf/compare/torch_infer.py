#!/usr/bin/python3
"""PyTorch reference for the inference figures (infer.<model>.* in `perf -- report`), and the ONNX export that
ONNX Runtime loads (OrtCSharp, ort_infer_mlp.mjs).

On one of the networks in networks.py (--model mlp, lenet, resnet, lstm, gru or rnn) in evaluation mode under
torch.inference_mode, for 1 and 2 intra-op threads: batch-1 latency percentiles over individually timed calls, and
batch-256 throughput. Prints e.g.

    torch.infer.mlp.b1.p50_us 24.1 us
    torch.infer.mlp.b1.t2.p50_us 20.3 us

Run with Debian's PyTorch:
    /usr/bin/python3 perf/compare/torch_infer.py [--model mlp|lenet|resnet|lstm|gru|rnn] [--calls 5000] [--threads 1 2]
    /usr/bin/python3 perf/compare/torch_infer.py --model lenet --export perf/compare/lenet.onnx   (export only)
    /usr/bin/python3 perf/compare/torch_infer.py --model lstm --export perf/compare/lstm.onnx     (opset 17)
"""

import argparse
import time

import torch

import flops
import networks


def export(name: str, model: torch.nn.Module, path: str, opset: int) -> None:
    # A dynamic batch axis so the same file serves batch 1 and batch 256. torch.onnx.export writes the protobuf
    # itself; the separate `onnx` package is not needed. In evaluation mode a BatchNorm exports with its running
    # statistics, which ONNX Runtime folds into the convolution before it, as our freezing does. A recurrent layer
    # exports as one ONNX LSTM, GRU or RNN node (PyTorch's gate order reordered to ONNX's) between transposes to
    # ONNX's time-first layout, without an initial state (zeros).
    x, _ = networks.batch(name, 1)
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=opset, do_constant_folding=True)
    print(f"# exported {name} to {path} (opset {opset})")


def latency_us(name: str, model, calls: int) -> list[float]:
    x, _ = networks.batch(name, 1)
    for _ in range(max(200, calls // 10)):
        model(x)
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        model(x)
        samples.append((time.perf_counter_ns() - start) / 1e3)
    samples.sort()
    return samples


def samples_per_s(name: str, model, size: int, seconds: float) -> float:
    x, _ = networks.batch(name, size)
    for _ in range(20):
        model(x)
    runs = 0
    start = time.perf_counter()
    while runs < 20 or time.perf_counter() - start < seconds:
        model(x)
        runs += 1
    return runs * size / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=networks.NAMES, default="mlp")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--calls", type=int, default=5000, help="individually timed batch-1 calls (>= 3000)")
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds for the batch-256 throughput")
    parser.add_argument("--export", metavar="PATH", help="write the model as ONNX and exit")
    parser.add_argument("--opset", type=int, help="ONNX opset of --export (default: 17 for lstm, gru and rnn, else 13)")
    args = parser.parse_args()

    model = networks.build(args.model).eval()
    if args.export:
        opset = args.opset or (17 if args.model in networks.SEQUENCE_NAMES else 13)
        export(args.model, model, args.export, opset)
        return
    if args.calls < 3000:
        parser.error(f"--calls must be at least 3000 for a meaningful p99; got {args.calls}")
    if any(t < 1 for t in args.threads):
        parser.error(f"--threads must be at least 1; got {' '.join(map(str, args.threads))}")

    name = args.model
    with torch.inference_mode():
        for threads in args.threads:
            networks.set_threads(threads)
            print(f"# {networks.describe()}")
            tag = "" if threads == 1 else f".t{threads}"
            lat = latency_us(name, model, args.calls)
            for q in (50, 90, 99):
                networks.print_figure(f"torch.infer.{name}.b1{tag}.p{q}_us", networks.percentile(lat, q), "us")
            networks.print_figure(f"torch.infer.{name}.b1{tag}.max_us", lat[-1], "us")
            rate = samples_per_s(name, model, 256, args.seconds)
            networks.print_figure(f"torch.infer.{name}.b256{tag}.samples_per_s", rate, "samples/s")
            if name in networks.SEQUENCE_NAMES:
                forward = flops.sequence_flops(name)[0]
                print(f"# {name}: {forward / 1e6:.3f} MFLOP forward per sample; b256 {rate * forward / 1e9:.1f} GFLOPS")


if __name__ == "__main__":
    main()
