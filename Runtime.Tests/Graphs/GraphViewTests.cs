using Simd.Runtime.GradientChecking;
using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>
/// Flatten and Reshape inside a graph share their input's buffer (no copy), at the graph's input, in the middle,
/// and as its output (where the caller's buffer is written): training, gradients and serving all see the same values.
/// </summary>
public sealed class GraphViewTests
{
    private const int Inputs = 12, Rows = 4;

    public static TheoryData<string> Placements() => new() { "input", "middle", "output" };

    private static Model Create(string placement)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(Inputs));
        Value y;
        switch (placement)
        {
            case "input":
                // A softmax over rows of 4 read straight through the view of the caller's input.
                y = g.Dense(g.Flatten(g.Softmax(g.Reshape(x, 3, -1))), 3);
                break;
            case "middle":
                y = g.Dense(g.Flatten(g.Softmax(g.Reshape(g.Dense(x, 8, ActivationKind.Tanh), 2, -1))), 3);
                break;
            default:
                y = g.Reshape(g.Dense(g.Dense(x, 8, ActivationKind.Tanh), 6), 2, 3);
                break;
        }
        g.Output(y);
        return g.Build(seed: 6, maxBatch: Rows);
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void GradientsPassThroughViews(string placement)
    {
        using var model = Create(placement);
        var x = TestModels.RandomArray(Rows * Inputs, 1);
        var t = TestModels.RandomArray(Rows * model.OutputSize, 2);
        var result = GradientChecker.CheckModel(model, new MeanSquaredErrorLoss(), x, Rows, default, t);
        Assert.True(result.Passed, $"{placement}: {result}");
    }

    [Theory]
    [MemberData(nameof(Placements))]
    public void FrozenViewsComputeWhatEvaluationDoes(string placement)
    {
        using var model = Create(placement);
        var x = TestModels.RandomArray(Rows * Inputs, 3);
        var expected = new float[Rows * model.OutputSize];
        model.Predict(x, expected);
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        var output = new float[expected.Length];
        frozen.Predict(x, Rows, output);
        for (int i = 0; i < output.Length; i++)
            Assert.True(Math.Abs(output[i] - expected[i]) <= 1e-5 * (1 + Math.Abs(expected[i])), $"{placement}: output {i} frozen {output[i]}, evaluated {expected[i]}");
        var again = new float[expected.Length];
        frozen.Predict(x, Rows, again);
        Assert.Equal(output, again);
    }
}
