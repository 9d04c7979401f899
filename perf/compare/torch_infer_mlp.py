#!/usr/bin/python3
"""PyTorch reference for the inference figures (infer.mlp.* in `perf -- report`), and the ONNX export that
ort_infer_mlp.mjs loads.

On the 784-256-128-10 ReLU MLP under torch.inference_mode, for 1 and 2 intra-op threads:
batch-1 latency percentiles over individually timed calls, and batch-256 throughput. Prints e.g.

    torch.infer.mlp.b1.p50_us 24.1 us
    torch.infer.mlp.b1.t2.p50_us 20.3 us

Run with Debian's PyTorch:
    /usr/bin/python3 perf/compare/torch_infer_mlp.py [--calls 5000] [--threads 1 2]
    /usr/bin/python3 perf/compare/torch_infer_mlp.py --export perf/compare/mlp.onnx   (export only)
"""

import argparse
import time

import torch

import mlp


def export(model: torch.nn.Module, path: str, opset: int) -> None:
    # A dynamic batch axis so the same file serves batch 1 and batch 256. torch.onnx.export writes the protobuf
    # itself; the separate `onnx` package is not needed.
    x, _ = mlp.batch(1)
    torch.onnx.export(model, x, path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=opset, do_constant_folding=True)
    print(f"# exported {path} (opset {opset})")


def latency_us(model, calls: int) -> list[float]:
    x, _ = mlp.batch(1)
    for _ in range(max(200, calls // 10)):
        model(x)
    samples = []
    for _ in range(calls):
        start = time.perf_counter_ns()
        model(x)
        samples.append((time.perf_counter_ns() - start) / 1e3)
    samples.sort()
    return samples


def samples_per_s(model, size: int, seconds: float) -> float:
    x, _ = mlp.batch(size)
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
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--calls", type=int, default=5000, help="individually timed batch-1 calls (>= 3000)")
    parser.add_argument("--seconds", type=float, default=2.0, help="timed seconds for the batch-256 throughput")
    parser.add_argument("--export", metavar="PATH", help="write the model as ONNX and exit")
    parser.add_argument("--opset", type=int, default=13)
    args = parser.parse_args()

    model = mlp.build().eval()
    if args.export:
        export(model, args.export, args.opset)
        return
    if args.calls < 3000:
        parser.error("--calls must be at least 3000 for a meaningful p99")

    with torch.inference_mode():
        for threads in args.threads:
            mlp.set_threads(threads)
            print(f"# {mlp.describe()}")
            tag = "" if threads == 1 else f".t{threads}"
            lat = latency_us(model, args.calls)
            for q in (50, 90, 99):
                print(f"torch.infer.mlp.b1{tag}.p{q}_us {mlp.percentile(lat, q):.4g} us")
            print(f"torch.infer.mlp.b1{tag}.max_us {lat[-1]:.4g} us")
            print(f"torch.infer.mlp.b256{tag}.samples_per_s {samples_per_s(model, 256, args.seconds):.0f} samples/s")


if __name__ == "__main__":
    main()
