"""PyTorch's exports of sequence models that take their initial states as inputs and return two outputs, for
RecurrentStateImportTests: lstm_states.onnx (x, h0, c0 -> logits, h_n) and gru_states.onnx (x, h0 -> logits, h_n),
with a batch of inputs and PyTorch's outputs beside them as serialized TensorProtos (float, raw_data). Run with the
system Python and PyTorch (1.13, torch.onnx.export at opset 14):

    /usr/bin/python3 Runtime.Tests/Onnx/Fixtures/make_state_fixtures.py
"""
import pathlib
import sys

import torch
from torch import nn

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from tensor_proto import tensor  # noqa: E402  (the writer beside this script)

STEPS, FEATURES, HIDDEN, CLASSES, BATCH = 5, 3, 4, 3, 3


class WithStates(nn.Module):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(FEATURES, HIDDEN, batch_first=True)
        self.head = nn.Linear(HIDDEN, CLASSES)

    def forward(self, x, h0, c0=None):
        if self.cell == "lstm":
            _, (h, _) = self.rnn(x, (h0, c0))
        else:
            _, h = self.rnn(x, h0)
        return self.head(h[-1]), h


torch.manual_seed(5)
g = torch.Generator().manual_seed(9)
for cell in ("lstm", "gru"):
    model = WithStates(cell).eval()
    x = torch.rand(BATCH, STEPS, FEATURES, generator=g) * 2 - 1
    h0 = torch.rand(1, BATCH, HIDDEN, generator=g) - 0.5
    c0 = torch.rand(1, BATCH, HIDDEN, generator=g) - 0.5
    args = (x, h0, c0) if cell == "lstm" else (x, h0)
    names = ["x", "h0", "c0"] if cell == "lstm" else ["x", "h0"]
    axes = {"x": {0: "batch"}, "h0": {1: "batch"}, "c0": {1: "batch"}, "logits": {0: "batch"}, "h_n": {1: "batch"}}
    torch.onnx.export(model, args, str(HERE / f"{cell}_states.onnx"), input_names=names, output_names=["logits", "h_n"],
                      dynamic_axes={k: v for k, v in axes.items() if k in names + ["logits", "h_n"]}, opset_version=14)
    with torch.no_grad():
        logits, h = model(*args)
    for n, t in zip(names, args):
        (HERE / f"{cell}_states_{n}.pb").write_bytes(tensor(n, t))
    (HERE / f"{cell}_states_logits.pb").write_bytes(tensor("logits", logits))
    (HERE / f"{cell}_states_h_n.pb").write_bytes(tensor("h_n", h))
    print(cell, logits[0].tolist())
