"""The 784-256-128-10 ReLU MLP every comparison script uses, built the same way each time."""

import torch

INPUTS, HIDDEN1, HIDDEN2, CLASSES = 784, 256, 128, 10


def build(seed: int = 0) -> torch.nn.Sequential:
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(INPUTS, HIDDEN1),
        torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN1, HIDDEN2),
        torch.nn.ReLU(),
        torch.nn.Linear(HIDDEN2, CLASSES),
    )


def batch(size: int, seed: int = 1):
    """Inputs in [0, 1) like scaled pixels, and integer class labels."""
    g = torch.Generator().manual_seed(seed)
    x = torch.rand(size, INPUTS, generator=g)
    y = torch.randint(0, CLASSES, (size,), generator=g)
    return x, y


def percentile(sorted_values, q: float) -> float:
    """Nearest-rank percentile of an already sorted list (q in 0..100)."""
    if not sorted_values:
        raise ValueError("no samples")
    rank = max(1, min(len(sorted_values), int(-(-q * len(sorted_values) // 100))))
    return sorted_values[rank - 1]


def describe() -> str:
    return (f"torch {torch.__version__} intra-op threads={torch.get_num_threads()} "
            f"mkldnn={torch.backends.mkldnn.is_available()}")
