using Simd.Runtime.GradientChecking;
using Simd.Runtime.Losses;

namespace Simd.Runtime.Tests.Training;

/// <summary>
/// Whole convolutional networks against finite differences: every trainable tensor of every layer (evenly spaced
/// elements of the large ones) and the input, on a tiny batch in training mode (BatchNorm uses the batch's statistics).
/// </summary>
public sealed class ConvNetworkGradientTests
{
    private const int Rows = 2, PerTensor = 24;

    [Theory]
    [InlineData("lenet", 3e-3, 1e-2)]
    [InlineData("every-op", 3e-3, 1e-2)]
    // Thousands of ReLUs lie downstream of the ResNet's stem, each a kink within ±step of some perturbation: the
    // detector skips the large ones, the many small ones bend a difference quotient by a few percent.
    [InlineData("resnet", 5e-4, 5e-2)]
    public void EveryLayerAndTheInputMatchFiniteDifferences(string network, double step, double relativeTolerance)
    {
        using var model = ConvNetworks.Create(network, Rows);
        var (x, labels) = ConvNetworks.Batch(model, Rows, seed: 11);
        var loss = new SoftmaxCrossEntropyLoss();
        model.ComputeInputGradient = true;
        var output = model.Forward(x, Rows, training: true);
        loss.Compute(output, Rows, model.OutputSize, labels, default, model.OutputGradient(Rows));
        model.Backward(Rows);

        var targets = new List<GradientTarget> { new("input", x.Length, i => x[i], (i, v) => x[i] = (float)v, model.InputGradient(Rows).ToArray()) };
        foreach (var node in model.Nodes)
        {
            var op = node.Op;
            for (int t = 0; t < op.Tensors.Count; t++)
            {
                if (!op.Tensors[t].Trainable) continue;
                int index = t;
                targets.Add(new($"{node.Name}.{op.Tensors[t].Name}", op.Tensors[t].Shape.Length, i => op.TensorData(index)[i],
                    (i, v) => op.TensorData(index)[i] = (float)v, op.TensorGradient(index).ToArray()));
            }
        }
        double Evaluate() => loss.Compute(model.Forward(x, Rows, training: true), Rows, model.OutputSize, labels, default, default);
        var result = GradientChecker.CheckFunction(targets, Evaluate, step, absoluteTolerance: 1e-3, relativeTolerance, maxPerTarget: PerTensor, skipKinks: true);
        Assert.True(result.Passed, $"{network}: {result}");
        Assert.True(result.Checked > 3 * result.Skipped, $"{network}: more elements at kinks than checked: {result}");
    }
}
