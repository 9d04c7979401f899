using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.Training;

/// <summary>
/// The convolutional networks the whole-network tests run: the command line's reference LeNet-5 and ResNet on small
/// images, and one network with every convolutional op the references leave out.
/// </summary>
internal static class ConvNetworks
{
    public const int Classes = 10;

    public static TheoryData<string> Names() => new() { "lenet", "resnet", "every-op" };

    /// <summary>The network called <paramref name="name"/> on images of <paramref name="side"/>×<paramref name="side"/> (every-op: always 2×9×9).</summary>
    public static Model Create(string name, int maxBatch, int side = 8, long seed = 5) => name switch
    {
        "lenet" => ReferenceNetworks.LeNet(side, Classes, seed, maxBatch),
        "resnet" => ReferenceNetworks.ResNet(side, Classes, seed, maxBatch),
        "every-op" => EveryOp(maxBatch, seed),
        _ => throw new ArgumentException($"No network '{name}'."),
    };

    /// <summary>Every convolutional op once: strided auto-padded conv without bias, image batch norm, average pool, depthwise conv, global max.</summary>
    public static Model EveryOp(int maxBatch, long seed = 6)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(2, 9, 9));
        var h = g.Single(new Conv2DOp(4, new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper), bias: false), x);
        h = g.Activation(g.BatchNorm(h), ActivationKind.Tanh);   // smooth: the finite differences meet no kink but the max's
        h = g.Single(new AvgPool2DOp(Window2D.Square(2, stride: 2), countIncludePad: true, ceilMode: true), h);
        h = g.Single(new Conv2DOp(4, Window2D.Square(3, pad: 1), groups: 4, activation: ActivationKind.GeluErf), h);
        h = g.Single(new GlobalMaxPoolOp(), h);
        g.Output(g.Dense(g.Flatten(h), 3));
        return g.Build(seed, maxBatch);
    }

    /// <summary>A batch of inputs and labels the network can take.</summary>
    public static (float[] X, int[] Labels) Batch(Model model, int rows, int seed)
    {
        var x = TestModels.RandomArray(rows * model.InputSize, seed);
        var labels = Enumerable.Range(0, rows).Select(i => (i * 7 + seed) % model.OutputSize).ToArray();
        return (x, labels);
    }
}
