using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Models;

/// <summary>
/// The reference networks of the command line (<c>train --model lenet|resnet|lstm|gru|rnn</c>), the benchmarks and
/// the tests, over flat inputs of side·side pixels: read as one-channel square images by the convolutional networks,
/// as sequences of side steps of side features (an image row by row) by the recurrent ones. perf/compare builds the
/// same networks in PyTorch.
/// </summary>
public static class ReferenceNetworks
{
    /// <summary>Both networks pool twice by 2 and keep a window of at least 2 after that.</summary>
    public const int SmallestSide = 8;

    /// <summary>
    /// LeNet-5 (ReLU, max pooling): conv 1→6 5×5 pad 2, max-pool 2, conv 6→16 5×5, max-pool 2, dense 120 → 84 → out.
    /// On 28×28 that is the classic 400-wide flatten; on images under 20 pixels the second convolution pads by 2 as
    /// the first does, so that 8×8 digits keep a 2×2 map.
    /// </summary>
    public static Model LeNet(int side, int outputs, long seed, int maxBatch)
    {
        var g = new GraphBuilder();
        var x = Image(g, side);
        var h = g.MaxPool(g.Conv2D(x, 6, kernel: 5, pad: 2, activation: ActivationKind.Relu), 2);
        h = g.MaxPool(g.Conv2D(h, 16, kernel: 5, pad: side < 20 ? 2 : 0, activation: ActivationKind.Relu), 2);
        h = g.Dense(g.Flatten(h), 120, ActivationKind.Relu);
        h = g.Dense(h, 84, ActivationKind.Relu);
        g.Output(g.Dense(h, outputs));
        return g.Build(seed, maxBatch);
    }

    /// <summary>
    /// A small ResNet: a 3×3 stem of 16 channels with BatchNorm and ReLU, two stages of two residual blocks
    /// (<see cref="GraphBuilder.ResidualBlock"/>: 16 channels, then 32 at half the resolution with a projection on the
    /// first shortcut), global average pooling and the output layer.
    /// </summary>
    public static Model ResNet(int side, int outputs, long seed, int maxBatch)
    {
        var g = new GraphBuilder();
        var x = Image(g, side);
        var h = g.Activation(g.BatchNorm(g.Conv2D(x, 16, kernel: 3, pad: 1, bias: false)), ActivationKind.Relu);
        h = g.ResidualBlock(h, 16);
        h = g.ResidualBlock(h, 16);
        h = g.ResidualBlock(h, 32, stride: 2);
        h = g.ResidualBlock(h, 32);
        g.Output(g.Dense(g.Flatten(g.GlobalAveragePool(h)), outputs));
        return g.Build(seed, maxBatch);
    }

    /// <summary>Hidden units of the recurrent reference networks.</summary>
    public const int RecurrentHidden = 128;

    /// <summary>
    /// LSTM(side → 128) over the image's side rows as time steps, then Dense 128 → out from the last step's hidden
    /// state: PyTorch's <c>nn.LSTM(side, 128, batch_first=True)</c> and <c>nn.Linear</c> on <c>output[:, -1]</c>.
    /// </summary>
    public static Model Lstm(int side, int outputs, long seed, int maxBatch) =>
        Sequence(side, outputs, seed, maxBatch, (g, x) => g.Lstm(x, RecurrentHidden, returnSequence: false));

    /// <summary>The same with a GRU (PyTorch's: the reset gate applied to the recurrent product).</summary>
    public static Model Gru(int side, int outputs, long seed, int maxBatch) =>
        Sequence(side, outputs, seed, maxBatch, (g, x) => g.Gru(x, RecurrentHidden, returnSequence: false));

    /// <summary>The same with a plain tanh RNN.</summary>
    public static Model Rnn(int side, int outputs, long seed, int maxBatch) =>
        Sequence(side, outputs, seed, maxBatch, (g, x) => g.Rnn(x, RecurrentHidden, returnSequence: false));

    private static Model Sequence(int side, int outputs, long seed, int maxBatch, Func<GraphBuilder, Value, Value> layer)
    {
        if (side < 1) throw new ArgumentException($"The recurrent networks need rows of at least one pixel; got {side}.");
        var g = new GraphBuilder();
        var rows = g.Reshape(g.Input(new TensorShape(side * side)), side, side);
        g.Output(g.Dense(layer(g, rows), outputs));
        return g.Build(seed, maxBatch);
    }

    private static Value Image(GraphBuilder g, int side)
    {
        if (side < SmallestSide)
            throw new ArgumentException($"The reference networks need images of at least {SmallestSide}×{SmallestSide}; got {side}×{side}.");
        return g.Reshape(g.Input(new TensorShape(side * side)), 1, side, side);
    }
}
