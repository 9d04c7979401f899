"""The networks every comparison script uses, built the same way each time as the report's:

    mlp     the 784-256-128-10 ReLU MLP (inputs [N, 784])
    lenet   LeNet-5 with ReLU and max pooling (Runtime/Models/ReferenceNetworks.cs LeNet on 28x28; inputs [N, 1, 28, 28])
    resnet  the small ResNet (ReferenceNetworks.ResNet and GraphBuilder.ResidualBlock on 28x28; inputs [N, 1, 28, 28])
    lstm    LSTM(28 -> 128) over the 28 image rows as time steps (batch first), then Dense 128 -> 10 from the last
            step's hidden state (inputs [N, 28, 28])
    gru     the same with a GRU (PyTorch's, which resets after the recurrent product: ONNX's linear_before_reset=1)
    rnn     the same with a tanh RNN
"""

import ctypes
import math

import torch
from torch import nn

from flops import GATES, HIDDEN

NAMES = ("mlp", "lenet", "resnet", "lstm", "gru", "rnn")
SIDE, CLASSES = 28, 10
SEQUENCE_NAMES = tuple(GATES)


class ResidualBlock(nn.Module):
    """GraphBuilder.ResidualBlock: conv 3x3 (stride) + BN + ReLU, conv 3x3 + BN, plus the input (or a 1x1 conv + BN
    projection where the stride or the channel count changes), then ReLU. Convolutions before a BN have no bias."""

    def __init__(self, inputs: int, channels: int, stride: int = 1):
        super().__init__()
        self.conv1 = nn.Conv2d(inputs, channels, 3, stride=stride, padding=1, bias=False)
        self.bn1 = batch_norm(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = batch_norm(channels)
        identity = stride == 1 and inputs == channels
        self.shortcut = nn.Identity() if identity else nn.Sequential(
            nn.Conv2d(inputs, channels, 1, stride=stride, bias=False), batch_norm(channels))

    def forward(self, x):
        f = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(f)) + self.shortcut(x))


class SequenceClassifier(nn.Module):
    """One recurrent layer over the rows of the image (28 steps of 28 features, batch first), zero initial state,
    then Dense HIDDEN -> CLASSES on the last step's hidden state."""

    def __init__(self, kind: str):
        super().__init__()
        if kind == "lstm":
            self.recurrent = nn.LSTM(SIDE, HIDDEN, batch_first=True)
        elif kind == "gru":
            self.recurrent = nn.GRU(SIDE, HIDDEN, batch_first=True)
        else:
            self.recurrent = nn.RNN(SIDE, HIDDEN, nonlinearity="tanh", batch_first=True)
        self.dense = nn.Linear(HIDDEN, CLASSES)

    def forward(self, x):
        states, _ = self.recurrent(x)
        return self.dense(states[:, -1, :])


def batch_norm(channels: int) -> nn.BatchNorm2d:
    # Our BatchNorm's settings (they are also PyTorch's defaults).
    return nn.BatchNorm2d(channels, eps=1e-5, momentum=0.1)


def build(name: str = "mlp", seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    if name == "mlp":
        return nn.Sequential(
            nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(),
            nn.Linear(128, CLASSES))
    if name == "lenet":
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Linear(400, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, CLASSES))
    if name == "resnet":
        return nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1, bias=False), batch_norm(16), nn.ReLU(),
            ResidualBlock(16, 16), ResidualBlock(16, 16),
            ResidualBlock(16, 32, stride=2), ResidualBlock(32, 32),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(32, CLASSES))
    if name in SEQUENCE_NAMES:
        return SequenceClassifier(name)
    raise ValueError(f"unknown network '{name}'; expected one of {', '.join(NAMES)}")


def batch(name: str, size: int, seed: int = 1):
    """Inputs in [0, 1) like scaled pixels (flat for the MLP, rows as time steps for the sequence models, one-channel
    images for the others), and class labels."""
    g = torch.Generator().manual_seed(seed)
    if name == "mlp":
        shape = (size, SIDE * SIDE)
    elif name in SEQUENCE_NAMES:
        shape = (size, SIDE, SIDE)
    else:
        shape = (size, 1, SIDE, SIDE)
    x = torch.rand(*shape, generator=g)
    y = torch.randint(0, CLASSES, (size,), generator=g)
    return x, y


def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        raise ValueError("no samples")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def print_figure(name: str, value: float, unit: str) -> None:
    """One `name value unit` line: four significant digits, never in exponent form (the report's format)."""
    decimals = max(0, 3 - math.floor(math.log10(abs(value)))) if value else 0
    print(f"{name} {value:.{decimals}f} {unit}")


def _system_blas():
    """The libblas.so.3 Debian's PyTorch multiplies through (OpenBLAS, or the slow reference BLAS)."""
    try:
        return ctypes.CDLL("libblas.so.3")
    except OSError:
        return None


def set_threads(threads: int) -> None:
    """Intra-op threads for PyTorch and for the BLAS under it: OpenBLAS keeps its own pool, sized to every core
    whatever torch.set_num_threads says, so a "one thread" run would otherwise multiply on all of them."""
    torch.set_num_threads(threads)
    blas = _system_blas()
    if blas is not None and hasattr(blas, "openblas_set_num_threads"):
        blas.openblas_set_num_threads(threads)


def describe() -> str:
    blas = _system_blas()
    if blas is not None and hasattr(blas, "openblas_get_config"):
        blas.openblas_get_config.restype = ctypes.c_char_p
        name = f"OpenBLAS ({blas.openblas_get_config().decode()}, {blas.openblas_get_num_threads()} threads)"
    else:
        name = "reference BLAS (install libopenblas0-pthread)"
    return (f"torch {torch.__version__} intra-op threads={torch.get_num_threads()} "
            f"mkldnn={torch.backends.mkldnn.is_available()} blas={name}")
