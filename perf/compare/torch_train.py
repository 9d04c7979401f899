#!/usr/bin/python3
"""PyTorch reference for the training step figures (train.<model>.b<batch>.ms in `perf -- report`).

One training step = forward, softmax cross-entropy, backward, SGD with momentum 0.9 update, on one of the
networks in networks.py (--model mlp, lenet, resnet, lstm, gru or rnn), in training mode (BatchNorm on the batch's
statistics). Prints the median milliseconds per step after warm-up, one line per batch size:

    torch.train.mlp.b1.ms 0.945 ms

Run with Debian's PyTorch:
    /usr/bin/python3 perf/compare/torch_train.py [--model mlp|lenet|resnet|lstm|gru|rnn] [--threads 1] [--batches 1 32 512]
"""

import argparse
import statistics
import time

import torch

import flops
import networks

# Batch sizes timed unless --batches says otherwise: the ResNet's batch-512 step takes about half a second; the
# sequence models are compared at batch 32.
DEFAULT_BATCHES = {"mlp": [1, 32, 512], "lenet": [1, 32, 512], "resnet": [32], "lstm": [32], "gru": [32], "rnn": [32]}


def step_fn(model, optimizer, loss_fn, x, y):
    def step():
        optimizer.zero_grad(set_to_none=False)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return step


def median_ms(step, budget_s: float, min_steps: int, warmup_s: float) -> tuple[float, int]:
    # Warm-up: the allocator caches, oneDNN picks kernels and the gradient buffers get created.
    end = time.perf_counter() + warmup_s
    warm = 0
    while time.perf_counter() < end or warm < 20:
        step()
        warm += 1
    samples = []
    end = time.perf_counter() + budget_s
    while time.perf_counter() < end or len(samples) < min_steps:
        start = time.perf_counter_ns()
        step()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(samples), len(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=networks.NAMES, default="mlp")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--batches", type=int, nargs="+",
                        help="batch sizes (default: 1 32 512; 32 for resnet, lstm, gru and rnn)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per batch size")
    parser.add_argument("--lr", type=float, default=0.01)
    args = parser.parse_args()
    if args.threads < 1:
        parser.error(f"--threads must be at least 1; got {args.threads}")
    batches = args.batches or DEFAULT_BATCHES[args.model]
    if any(b < 1 for b in batches):
        parser.error(f"--batches must be at least 1; got {' '.join(map(str, batches))}")

    networks.set_threads(args.threads)
    print(f"# {networks.describe()}")
    for size in batches:
        model = networks.build(args.model).train()
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
        x, y = networks.batch(args.model, size)
        ms, steps = median_ms(step_fn(model, optimizer, torch.nn.CrossEntropyLoss(), x, y),
                              args.seconds, min_steps=50, warmup_s=0.5)
        suffix = "" if args.threads == 1 else f".t{args.threads}"
        networks.print_figure(f"torch.train.{args.model}.b{size}{suffix}.ms", ms, "ms")
        print(f"# {args.model} b{size}: median of {steps} steps")
        if args.model in networks.SEQUENCE_NAMES:
            step = flops.sequence_flops(args.model)[1] * size
            print(f"# {args.model} b{size}: {step / 1e6:.1f} MFLOP a step, {step / ms / 1e6:.1f} GFLOPS")


if __name__ == "__main__":
    main()
