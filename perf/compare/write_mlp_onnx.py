"""Writes the comparison MLP (784-256-128-10, ReLU) as an ONNX file without PyTorch or the onnx package.

The graph is what torch.onnx.export makes of torch_infer.py's MLP: three Gemm nodes (transB=1, weights
stored out×in like nn.Linear) with ReLU between them, a dynamic batch axis, opset 13. The weights are uniform in
±1/sqrt(inputs), nn.Linear's default, from Python's seeded generator: ONNX Runtime's speed does not depend on
their values. Usage: python3 perf/compare/write_mlp_onnx.py [perf/compare/mlp.onnx]
"""
import random
import struct
import sys

SIZES = [784, 256, 128, 10]


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def key(field: int, wire: int) -> bytes:
    return varint(field << 3 | wire)


def vint(field: int, n: int) -> bytes:
    return key(field, 0) + varint(n)


def blob(field: int, data: bytes) -> bytes:
    return key(field, 2) + varint(len(data)) + data


def text(field: int, s: str) -> bytes:
    return blob(field, s.encode())


def tensor(name: str, dims, values) -> bytes:
    return (b"".join(vint(1, d) for d in dims) + vint(2, 1) + text(8, name)
            + blob(9, struct.pack(f"<{len(values)}f", *values)))


def value_info(name: str, width: int) -> bytes:
    shape = blob(1, text(2, "batch")) + blob(1, vint(1, width))
    return text(1, name) + blob(2, blob(1, vint(1, 1) + blob(2, shape)))


def node(op: str, inputs, outputs, name: str, attributes=b"") -> bytes:
    return (b"".join(text(1, i) for i in inputs) + b"".join(text(2, o) for o in outputs)
            + text(3, name) + text(4, op) + attributes)


def int_attribute(name: str, value: int) -> bytes:
    return blob(5, text(1, name) + vint(3, value) + vint(20, 2))


def main(path: str) -> None:
    rng = random.Random(0)
    nodes, initializers = [], []
    current = "input"
    for layer, (fan_in, fan_out) in enumerate(zip(SIZES, SIZES[1:])):
        bound = fan_in ** -0.5
        w, b = f"fc{layer}.weight", f"fc{layer}.bias"
        initializers.append(tensor(w, [fan_out, fan_in], [rng.uniform(-bound, bound) for _ in range(fan_in * fan_out)]))
        initializers.append(tensor(b, [fan_out], [rng.uniform(-bound, bound) for _ in range(fan_out)]))
        last = layer == len(SIZES) - 2
        out = "logits" if last else f"gemm{layer}"
        nodes.append(node("Gemm", [current, w, b], [out], f"Gemm_{layer}", int_attribute("transB", 1)))
        current = out
        if not last:
            nodes.append(node("Relu", [out], [f"relu{layer}"], f"Relu_{layer}"))
            current = f"relu{layer}"
    graph = (b"".join(blob(1, n) for n in nodes) + text(2, "mlp") + b"".join(blob(5, t) for t in initializers)
             + blob(11, value_info("input", SIZES[0])) + blob(12, value_info("logits", SIZES[-1])))
    model = vint(1, 7) + text(2, "simd-perf") + blob(7, graph) + blob(8, vint(2, 13))
    with open(path, "wb") as f:
        f.write(model)
    print(f"# wrote {path} (opset 13, {sum(len(t) for t in initializers)} bytes of weights)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "perf/compare/mlp.onnx")
