using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.Graphs;

/// <summary>
/// Training computes and keeps only the gradients a backward pass reads: those downstream of a node with parameters,
/// and those of the input only while <see cref="Model.ComputeInputGradient"/> asks for them.
/// </summary>
public sealed class NeededGradientsTests
{
    private const int Rows = 4;

    /// <summary>Copies its input and counts the backward calls that were asked for the input's gradient.</summary>
    private sealed class ProbeOp : Op
    {
        public int Backwards { get; private set; }

        public int InputGradients { get; private set; }

        public override string Kind => "probe";

        public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs) => [inputs[0]];

        internal override void Forward(in OpContext context) => context.Input(0).CopyTo(context.Output(0));

        internal override void Backward(in OpContext context)
        {
            Backwards++;
            if (!context.NeedsInputGradient(0)) return;
            InputGradients++;
            context.OutputGradient(0).CopyTo(context.InputGradient(0));
        }
    }

    /// <summary>input → probe → reshape → conv → flatten → dense: the probe sits where nothing upstream has parameters.</summary>
    private static (Model Model, ProbeOp Probe) Probed()
    {
        var g = new GraphBuilder();
        var probe = new ProbeOp();
        var x = g.Reshape(g.Single(probe, g.Input(new TensorShape(36))), 1, 6, 6);
        var h = g.Single(new Conv2DOp(3, Window2D.Square(3, pad: 1), activation: ActivationKind.Tanh), x);
        g.Output(g.Dense(g.Flatten(h), 5));
        return (g.Build(seed: 3, maxBatch: Rows), probe);
    }

    private static void Step(Model model, float[] x, int[] labels)
    {
        var output = model.Forward(x, Rows, training: true);
        new SoftmaxCrossEntropyLoss().Compute(output, Rows, model.OutputSize, labels, default, model.OutputGradient(Rows));
        model.Backward(Rows);
    }

    [Fact]
    public void NodesUpstreamOfEveryParameterRunNoBackwardUnlessTheInputGradientIsAsked()
    {
        var (model, probe) = Probed();
        using var _ = model;
        var x = TestModels.RandomArray(Rows * 36, 1);
        int[] labels = [0, 1, 2, 3];
        Step(model, x, labels);
        Assert.Equal(0, probe.Backwards);

        model.ComputeInputGradient = true;
        Step(model, x, labels);
        Assert.Equal((1, 1), (probe.Backwards, probe.InputGradients));
        Assert.Contains(model.InputGradient(Rows).ToArray(), v => v != 0f);

        model.ComputeInputGradient = false;
        Step(model, x, labels);
        Assert.Equal(1, probe.Backwards);
    }

    [Fact]
    public void TheReferenceNetworksFirstConvolutionComputesNoInputGradient()
    {
        foreach (var model in new[] { ReferenceNetworks.LeNet(8, 10, seed: 1, maxBatch: Rows), ReferenceNetworks.ResNet(8, 10, seed: 1, maxBatch: Rows) })
        {
            using var _ = model;
            var layout = ArenaLayout.ForTraining(model.Graph, Rows);
            var reshape = model.Graph.Nodes[0];
            var conv = model.Graph.Nodes.First(n => n.Op is Conv2DOp);
            Assert.IsType<ReshapeOp>(reshape.Op);
            Assert.Equal(ArenaLayout.None, layout.InputGradientOffset(conv.Index, 0, graphInputs: false));
            Assert.True(layout.GradientOffsets[reshape.Outputs[0].Id] >= layout.LengthWithoutInputGradient);
            Assert.False(layout.RunsBackward(reshape.Index, graphInputs: false));
            // Asked for, the input gradient flows through the reshape and the convolution.
            Assert.NotEqual(ArenaLayout.None, layout.InputGradientOffset(conv.Index, 0, graphInputs: true));
            Assert.True(layout.RunsBackward(reshape.Index, graphInputs: true));
            // Every other node's inputs need their gradients: something upstream has parameters.
            foreach (var node in model.Graph.Nodes.Where(n => n.Index > conv.Index))
                for (int j = 0; j < node.Inputs.Count; j++)
                    Assert.NotEqual(ArenaLayout.None, layout.InputGradientOffset(node.Index, j, graphInputs: false));
        }
    }

    [Fact]
    public void TheGradientsOnlyTheInputNeedsLieAfterTheArenaTrainingUses()
    {
        using var model = ReferenceNetworks.LeNet(8, 10, seed: 1, maxBatch: 32);
        var layout = ArenaLayout.ForTraining(model.Graph, 32);
        Assert.Equal(layout.LengthWithoutInputGradient * 4L, model.ArenaBytes);
        int input = layout.GradientOffsets[model.Graph.Inputs[0].Id];
        Assert.True(input >= layout.LengthWithoutInputGradient, $"input gradient at {input}, the training arena is {layout.LengthWithoutInputGradient} floats");
        // The input's gradient and the reshape's: 32 rows of 64 floats each.
        Assert.Equal(2 * 32 * 64, layout.Length - layout.LengthWithoutInputGradient);
        model.ComputeInputGradient = true;
        Assert.Equal(layout.Length * 4L, model.ArenaBytes);
    }

    [Fact]
    public void AnMlpKeepsNoGradientOfItsInput()
    {
        using var model = new ModelBuilder(784).Dense(256, ActivationKind.Relu).Dense(128, ActivationKind.Relu).Dense(10).Build(seed: 1, maxBatch: 32);
        long training = model.ArenaBytes;
        model.ComputeInputGradient = true;
        Assert.Equal(32 * 784 * sizeof(float), model.ArenaBytes - training);
    }

    [Fact]
    public void ParameterGradientsAreBitwiseTheSameWithAndWithoutTheInputGradient()
    {
        using var plain = ReferenceNetworks.ResNet(8, 10, seed: 4, maxBatch: Rows);
        using var asked = ReferenceNetworks.ResNet(8, 10, seed: 4, maxBatch: Rows);
        asked.ComputeInputGradient = true;
        var x = TestModels.RandomArray(Rows * 64, 5);
        int[] labels = [1, 3, 5, 7];
        Step(plain, x, labels);
        Step(asked, x, labels);
        Assert.Equal(plain.Parameters.Gradients.ToArray(), asked.Parameters.Gradients.ToArray());
    }

    [Fact]
    public void AskingForTheInputGradientBetweenForwardAndBackwardKeepsTheForwardValues()
    {
        using var early = ReferenceNetworks.LeNet(8, 10, seed: 6, maxBatch: Rows);
        using var late = ReferenceNetworks.LeNet(8, 10, seed: 6, maxBatch: Rows);
        var x = TestModels.RandomArray(Rows * 64, 7);
        int[] labels = [2, 4, 6, 8];
        early.ComputeInputGradient = true;
        Step(early, x, labels);
        var output = late.Forward(x, Rows, training: true);
        new SoftmaxCrossEntropyLoss().Compute(output, Rows, late.OutputSize, labels, default, late.OutputGradient(Rows));
        late.ComputeInputGradient = true;   // grows the arena, keeping what forward wrote
        late.Backward(Rows);
        Assert.Equal(early.InputGradient(Rows).ToArray(), late.InputGradient(Rows).ToArray());
        Assert.Equal(early.Parameters.Gradients.ToArray(), late.Parameters.Gradients.ToArray());
    }

    /// <summary>The reference LeNet on 8×8 without its leading reshape: the graph input is the first convolution's input.</summary>
    private static Model LeNetOnImages(long seed, int maxBatch)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(1, 8, 8));
        var h = g.MaxPool(g.Conv2D(x, 6, kernel: 5, pad: 2, activation: ActivationKind.Relu), 2);
        h = g.MaxPool(g.Conv2D(h, 16, kernel: 5, pad: 2, activation: ActivationKind.Relu), 2);
        h = g.Dense(g.Flatten(h), 120, ActivationKind.Relu);
        h = g.Dense(h, 84, ActivationKind.Relu);
        g.Output(g.Dense(h, 10));
        return g.Build(seed, maxBatch);
    }

    [Fact]
    public void TheInputGradientThroughALeadingReshapeIsTheFirstConvolutionsInputGradient()
    {
        // ConvNetworkGradientTests check the input gradient against finite differences; here it is the twin's, bit for bit.
        using var model = ReferenceNetworks.LeNet(8, 10, seed: 8, maxBatch: Rows);
        using var twin = LeNetOnImages(seed: 8, maxBatch: Rows);
        Assert.Equal(model.Parameters.Parameters.ToArray(), twin.Parameters.Parameters.ToArray());
        var x = TestModels.RandomArray(Rows * 64, 9);
        int[] labels = [3, 9, 0, 5];
        model.ComputeInputGradient = true;
        twin.ComputeInputGradient = true;
        Step(model, x, labels);
        Step(twin, x, labels);
        Assert.Contains(model.InputGradient(Rows).ToArray(), v => v != 0f);
        Assert.Equal(twin.InputGradient(Rows).ToArray(), model.InputGradient(Rows).ToArray());
        Assert.Equal(twin.Parameters.Gradients.ToArray(), model.Parameters.Gradients.ToArray());
    }
}
