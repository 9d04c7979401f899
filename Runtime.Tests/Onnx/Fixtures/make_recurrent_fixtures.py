"""Expected outputs of perf/compare/{lstm,gru,rnn}.onnx from PyTorch, for RecurrentExportImportTests.

networks.build(name, seed 0) is the model those files were exported from (torch_infer.py --export): 4 inputs, three
in [0, 1) and one in [-2, 2), and PyTorch's logits, written beside this script as serialized TensorProtos (float,
raw_data), the format OnnxTensor.Load reads. Run with the system Python and PyTorch:

    /usr/bin/python3 Runtime.Tests/Onnx/Fixtures/make_recurrent_fixtures.py
"""
import pathlib
import sys

import torch
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tensor_proto import tensor  # noqa: E402  (the writer beside this script)
sys.path.insert(0, str(HERE.parents[2] / "perf" / "compare"))
import networks


torch.set_num_threads(1)
for name in ("lstm", "gru", "rnn"):
    model = networks.build(name, 0).eval()
    x = torch.rand(4, 28, 28, generator=torch.Generator().manual_seed(11))
    x[3] = x[3] * 4 - 2          # one sample outside [0, 1), where the gates saturate
    with torch.no_grad():
        y = model(x)
    (HERE / f"{name}_input.pb").write_bytes(tensor("input", x))
    (HERE / f"{name}_logits.pb").write_bytes(tensor("logits", y))
    print(name, y[0, :3].tolist())
