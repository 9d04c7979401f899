#!/usr/bin/env python3
"""Multiply-add FLOPs per sample of the sequence models in networks.py (lstm, gru, rnn), counted as the report counts
the convolutional networks (perf/README.md): 2 FLOPs per multiply-add of a product; biases, gate nonlinearities,
the state update, the loss and the optimizer left out (a few operations per element, not per weight).

Each of the 28 steps multiplies the step's 28 features by the input weights (gates x 128 rows) and the previous
hidden state by the recurrent weights (gates x 128 by 128), with 4 gates for the LSTM, 3 for the GRU and 1 for the
RNN; then the dense layer 128 -> 10 reads the last state once. A training step does every product three times
(forward, weight gradient, input gradient) except the input gradient of the input weights: nothing reads the
sequence's gradient. The initial state is zero, but its recurrent product is counted like every other step's.

Standard library only, so that alternate.sh can read the counts without PyTorch. Run it to print them:

    python3 perf/compare/flops.py        # lstm 4475392 12623360  (name, forward, training step per sample)
"""

STEPS = FEATURES = 28        # the image's rows as time steps, each row's pixels as the step's features
HIDDEN, CLASSES = 128, 10
GATES = {"lstm": 4, "gru": 3, "rnn": 1}


def sequence_flops(name: str) -> tuple[int, int]:
    """(forward, training step) FLOPs per sample of networks.build(name) for name in GATES."""
    rows = GATES[name] * HIDDEN
    input_macs = STEPS * rows * FEATURES
    recurrent_macs = STEPS * rows * HIDDEN
    dense_macs = HIDDEN * CLASSES
    forward = input_macs + recurrent_macs + dense_macs
    return 2 * forward, 2 * (3 * forward - input_macs)


if __name__ == "__main__":
    for model in GATES:
        print(model, *sequence_flops(model))
