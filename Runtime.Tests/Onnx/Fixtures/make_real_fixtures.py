"""Models no one here wrote, exported by PyTorch, with PyTorch's outputs, for RealModelImportTests: an MLP with
BatchNorm and Softmax, an MLP with GELU and SiLU, LeNet-5, a small ResNet and an attention block (Linear, MatMul,
Softmax, LayerNorm). Each model file (real_{name}.onnx) sits beside its input and PyTorch's output
(real_{name}_x.pb, real_{name}_y.pb), serialized TensorProtos (float, raw_data). Run with the system Python and
PyTorch (1.13, torch.onnx.export, opset 17):

    /usr/bin/python3 Runtime.Tests/Onnx/Fixtures/make_real_fixtures.py
"""
import math
import pathlib
import sys

import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tensor_proto import tensor  # noqa: E402  (the writer beside this script)


class MlpBatchNormSoftmax(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 5), nn.Softmax(dim=1))

    def forward(self, x):
        return self.net(x)


class MlpGeluSilu(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(20, 24), nn.GELU(), nn.Linear(24, 16), nn.SiLU(), nn.Linear(16, 5))

    def forward(self, x):
        return self.net(x)


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.head(self.features(x))


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = nn.Conv2d(c, c, 3, padding=1, bias=False); self.bn1 = nn.BatchNorm2d(c)
        self.b = nn.Conv2d(c, c, 3, padding=1, bias=False); self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        return torch.relu(x + self.bn2(self.b(torch.relu(self.bn1(self.a(x))))))


class SmallResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8), nn.ReLU())
        self.blocks = nn.Sequential(Block(8), Block(8))
        self.head = nn.Linear(8, 4)

    def forward(self, x):
        return self.head(torch.flatten(nn.functional.adaptive_avg_pool2d(self.blocks(self.stem(x)), 1), 1))


class Attention(nn.Module):
    """One head of self-attention over 6 tokens of 8 features, then LayerNorm of the residual."""
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(8, 8); self.k = nn.Linear(8, 8); self.v = nn.Linear(8, 8)
        self.norm = nn.LayerNorm(8)

    def forward(self, x):
        scores = torch.matmul(self.q(x), self.k(x).transpose(1, 2)) / math.sqrt(8)
        return self.norm(x + torch.matmul(torch.softmax(scores, dim=-1), self.v(x)))


def train_batchnorm(model, shape):
    # A few forward passes in training mode so the running statistics are not 0 and 1.
    model.train()
    g = torch.Generator().manual_seed(3)
    with torch.no_grad():
        for _ in range(5):
            model(torch.randn(*shape, generator=g) * 2 + 0.5)
    model.eval()


torch.manual_seed(7)
g = torch.Generator().manual_seed(11)
models = {
    "mlp_batchnorm_softmax": (MlpBatchNormSoftmax(), (20,)),
    "mlp_gelu_silu": (MlpGeluSilu(), (20,)),
    "lenet": (LeNet(), (1, 28, 28)),
    "resnet_small": (SmallResNet(), (3, 12, 12)),
    "attention": (Attention(), (6, 8)),
}
for name, (model, sample) in models.items():
    train_batchnorm(model, (16, *sample))
    x = torch.randn(3, *sample, generator=g)
    torch.onnx.export(model, (x,), str(HERE / f"real_{name}.onnx"), input_names=["x"], output_names=["y"],
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, opset_version=17)
    with torch.no_grad():
        y = model(x)
    (HERE / f"real_{name}_x.pb").write_bytes(tensor("x", x))
    (HERE / f"real_{name}_y.pb").write_bytes(tensor("y", y))
    print(name, tuple(y.shape))
