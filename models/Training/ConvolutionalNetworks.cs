using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;

namespace Simd.Models.Training;

/// <summary>The convolutional networks <c>train --model</c> builds over square one-channel images.</summary>
internal static class ConvolutionalNetworks
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
        var x = g.Reshape(g.Input(new TensorShape(side * side)), 1, side, side);
        var h = g.MaxPool(g.Conv2D(x, 6, kernel: 5, pad: 2, activation: ActivationKind.Relu), 2);
        h = g.MaxPool(g.Conv2D(h, 16, kernel: 5, pad: side < 20 ? 2 : 0, activation: ActivationKind.Relu), 2);
        h = g.Dense(g.Flatten(h), 120, ActivationKind.Relu);
        h = g.Dense(h, 84, ActivationKind.Relu);
        g.Output(g.Dense(h, outputs));
        return g.Build(seed, maxBatch);
    }

    /// <summary>
    /// A small ResNet: a 3×3 stem of 16 channels, two stages of two residual blocks (16 channels, then 32 at half the
    /// resolution with a 1×1 projection on the shortcut), global average pooling and the output layer. Each block is
    /// conv-BN-ReLU, conv-BN, added to its shortcut, then ReLU.
    /// </summary>
    public static Model ResNet(int side, int outputs, long seed, int maxBatch)
    {
        var g = new GraphBuilder();
        var x = g.Reshape(g.Input(new TensorShape(side * side)), 1, side, side);
        var h = g.Activation(g.BatchNorm(g.Conv2D(x, 16, kernel: 3, pad: 1, bias: false)), ActivationKind.Relu);
        h = Block(g, h, 16, stride: 1);
        h = Block(g, h, 16, stride: 1);
        h = Block(g, h, 32, stride: 2);
        h = Block(g, h, 32, stride: 1);
        g.Output(g.Dense(g.Flatten(g.GlobalAveragePool(h)), outputs));
        return g.Build(seed, maxBatch);
    }

    private static Value Block(GraphBuilder g, Value x, int channels, int stride)
    {
        var f = g.Activation(g.BatchNorm(g.Conv2D(x, channels, kernel: 3, stride: stride, pad: 1, bias: false)), ActivationKind.Relu);
        f = g.BatchNorm(g.Conv2D(f, channels, kernel: 3, pad: 1, bias: false));
        var shortcut = stride == 1 && x.SampleShape[0] == channels ? x : g.BatchNorm(g.Conv2D(x, channels, kernel: 1, stride: stride, bias: false));
        return g.Activation(g.Add(f, shortcut), ActivationKind.Relu);
    }
}
