using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// Graphs of real convolutional networks at their real input sizes, built without weights (shape inference only):
/// what the loader's activation bound must admit.
/// </summary>
internal static class RealSizedGraphs
{
    /// <summary>ResNet-50 over 3×224×224: a 7×7 stem, max pooling, bottleneck stages of 3, 4, 6 and 3 blocks, 1000 classes.</summary>
    public static Graph ResNet50()
    {
        var g = new GraphBuilder();
        var h = g.Input(new TensorShape(3, 224, 224));
        h = g.Activation(g.BatchNorm(g.Conv2D(h, 64, kernel: 7, stride: 2, pad: 3, bias: false)), ActivationKind.Relu);
        h = g.MaxPool(h, 3, stride: 2, pad: 1);
        int channels = 64;
        foreach (var (blocks, width) in new[] { (3, 64), (4, 128), (6, 256), (3, 512) })
        {
            for (int b = 0; b < blocks; b++)
            {
                int stride = b == 0 && width != 64 ? 2 : 1;
                var y = g.Activation(g.BatchNorm(g.Conv2D(h, width, kernel: 1, bias: false)), ActivationKind.Relu);
                y = g.Activation(g.BatchNorm(g.Conv2D(y, width, kernel: 3, stride: stride, pad: 1, bias: false)), ActivationKind.Relu);
                y = g.BatchNorm(g.Conv2D(y, 4 * width, kernel: 1, bias: false));
                var shortcut = b == 0 ? g.BatchNorm(g.Conv2D(h, 4 * width, kernel: 1, stride: stride, bias: false)) : h;
                h = g.Activation(g.Add(y, shortcut), ActivationKind.Relu);
                channels = 4 * width;
            }
        }
        g.Output(g.Dense(g.Flatten(g.GlobalAveragePool(h)), 1000));
        return g.BuildGraph();
    }

    /// <summary>MobileNet (v1) over 3×224×224: a strided 3×3 stem, 13 depthwise-separable blocks from 64 to 1024 channels, 1000 classes.</summary>
    public static Graph MobileNet()
    {
        var g = new GraphBuilder();
        var h = g.Input(new TensorShape(3, 224, 224));
        h = g.Activation(g.BatchNorm(g.Conv2D(h, 32, kernel: 3, stride: 2, pad: 1, bias: false)), ActivationKind.Relu);
        int channels = 32;
        foreach (var (width, stride) in new[] { (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1) })
        {
            h = g.Activation(g.BatchNorm(g.Conv2D(h, channels, kernel: 3, stride: stride, pad: 1, groups: channels, bias: false)), ActivationKind.Relu);
            h = g.Activation(g.BatchNorm(g.Conv2D(h, width, kernel: 1, bias: false)), ActivationKind.Relu);
            channels = width;
        }
        g.Output(g.Dense(g.Flatten(g.GlobalAveragePool(h)), 1000));
        return g.BuildGraph();
    }

    /// <summary>The reference LeNet-5 over one-channel 512×512 images (Runtime/Models/ReferenceNetworks.cs), without its weights.</summary>
    public static Graph LeNet512()
    {
        var g = new GraphBuilder();
        var x = g.Reshape(g.Input(new TensorShape(512 * 512)), 1, 512, 512);
        var h = g.MaxPool(g.Conv2D(x, 6, kernel: 5, pad: 2, activation: ActivationKind.Relu), 2);
        h = g.MaxPool(g.Conv2D(h, 16, kernel: 5, activation: ActivationKind.Relu), 2);
        h = g.Dense(g.Flatten(h), 120, ActivationKind.Relu);
        h = g.Dense(h, 84, ActivationKind.Relu);
        g.Output(g.Dense(h, 10));
        return g.BuildGraph();
    }
}
