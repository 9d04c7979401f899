"""The 784-256-128-10 ReLU MLP every comparison script uses, built the same way each time."""

import ctypes

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
