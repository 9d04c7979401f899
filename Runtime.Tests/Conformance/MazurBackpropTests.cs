using System.Text.Json;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;

namespace Simd.Runtime.Tests.Conformance;

/// <summary>
/// Matt Mazur's step-by-step backpropagation example (Data/mazur-backprop.json here): a 2-2-2 sigmoid
/// network, error ½Σ(target − out)², one SGD step with learning rate 0.5. Our MSE is the mean over the two outputs,
/// which for one sample of two outputs is exactly ½Σ, so its gradients are the post's. We compute in float32, so
/// values are compared with the JSON's double-precision "computed" figures to 1e-6 absolute (its own advice).
/// </summary>
[Trait("Category", "Conformance")]
public sealed class MazurBackpropTests
{
    private const double Tolerance = 1e-6;

    private static readonly JsonElement Root = Load();

    private static JsonElement Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ConformanceData.MazurBackprop));
        return doc.RootElement.Clone();
    }

    private static double Get(string path)
    {
        var e = Root;
        foreach (var part in path.Split('.')) e = e.GetProperty(part);
        return e.GetDouble();
    }

    private static float W(string name) => (float)Get("initial_weights." + name);

    /// <summary>Our Dense weights are [inputs × outputs]: W[i][o] holds the post's weight from input i to neuron o.</summary>
    private static Model Network(ActivationKind activation = ActivationKind.Sigmoid)
    {
        var model = new ModelBuilder(2).Dense(2, activation).Dense(2, activation).Build(maxBatch: 1);
        var hidden = (DenseOp)model.Nodes[0].Op;
        var output = (DenseOp)model.Nodes[1].Op;
        float[] hw = [W("w1"), W("w3"), W("w2"), W("w4")]; // i1→h1, i1→h2, i2→h1, i2→h2
        float[] ow = [W("w5"), W("w7"), W("w6"), W("w8")]; // h1→o1, h1→o2, h2→o1, h2→o2
        hw.CopyTo(hidden.Weights);
        ow.CopyTo(output.Weights);
        hidden.Bias.Fill((float)Get("initial_biases.b1_hidden"));
        output.Bias.Fill((float)Get("initial_biases.b2_output"));
        return model;
    }

    private static float[] Input => [(float)Get("inputs.i1"), (float)Get("inputs.i2")];

    private static float[] Target => [(float)Get("targets.o1"), (float)Get("targets.o2")];

    private static double Step(Model model)
    {
        var output = model.Forward(Input, 1, training: true);
        double error = new MeanSquaredErrorLoss().Compute(output, 1, 2, default, Target, model.OutputGradient(1));
        model.Backward(1);
        return error;
    }

    [Fact]
    public void ForwardValuesAndTotalErrorMatch()
    {
        using var model = Network();
        double error = Step(model);
        var hidden = model.NodeOutput(0, 1);
        var output = model.NodeOutput(1, 1);
        Assert.Equal(Get("forward.h1.out"), hidden[0], Tolerance);
        Assert.Equal(Get("forward.h2.out"), hidden[1], Tolerance);
        Assert.Equal(Get("forward.o1.out"), output[0], Tolerance);
        Assert.Equal(Get("forward.o2.out"), output[1], Tolerance);
        Assert.Equal(Get("errors.E_total"), error, Tolerance);
        Assert.Equal(0.298371109, error, 1e-8 + Tolerance);

        // Net inputs: the same weights without the activation.
        using var linear = Network(ActivationKind.Identity);
        var net = linear.Forward(Input, 1, training: false);
        Assert.Equal(Get("forward.h1.net"), linear.NodeOutput(0, 1)[0], Tolerance);
        Assert.Equal(Get("forward.h2.net"), linear.NodeOutput(0, 1)[1], Tolerance);
        float[] outH = [(float)Get("forward.h1.out"), (float)Get("forward.h2.out")];
        var outputLayer = (DenseOp)model.Nodes[1].Op;
        for (int o = 0; o < 2; o++)
        {
            double netO = outputLayer.Bias[o] + outH[0] * outputLayer.Weights[o] + outH[1] * outputLayer.Weights[2 + o];
            Assert.Equal(Get($"forward.o{o + 1}.net"), netO, Tolerance);
        }
        Assert.Equal(2, net.Length);
    }

    [Fact]
    public void GradientsMatch()
    {
        using var model = Network();
        Step(model);
        var hidden = (DenseOp)model.Nodes[0].Op;
        var output = (DenseOp)model.Nodes[1].Op;
        Assert.Equal(Get("gradients.hidden_layer.dE_dw1"), hidden.WeightGradients[0], Tolerance);
        Assert.Equal(Get("gradients.hidden_layer.dE_dw2"), hidden.WeightGradients[2], Tolerance);
        Assert.Equal(Get("gradients.hidden_layer.dE_dw3"), hidden.WeightGradients[1], Tolerance);
        Assert.Equal(Get("gradients.hidden_layer.dE_dw4"), hidden.WeightGradients[3], Tolerance);
        Assert.Equal(Get("gradients.output_layer.dE_dw5"), output.WeightGradients[0], Tolerance);
        Assert.Equal(Get("gradients.output_layer.dE_dw6"), output.WeightGradients[2], Tolerance);
        Assert.Equal(Get("gradients.output_layer.dE_dw7"), output.WeightGradients[1], Tolerance);
        Assert.Equal(Get("gradients.output_layer.dE_dw8"), output.WeightGradients[3], Tolerance);
        Assert.Equal(Get("gradients.biases.per_neuron.dE_db_h1"), hidden.BiasGradients[0], Tolerance);
        Assert.Equal(Get("gradients.biases.per_neuron.dE_db_o2"), output.BiasGradients[1], Tolerance);
    }

    /// <summary>The post's step: weights move, biases stay. Then the error is the JSON's computed 0.291027774, not the
    /// post's 0.291027924, which came from hidden gradients taken with already-updated output weights.</summary>
    [Fact]
    public void WeightOnlyStepMatchesPost()
    {
        using var model = Network();
        Step(model);
        foreach (var dense in model.Ops.OfType<DenseOp>())
            Elementwise.Axpy(-0.5f, dense.WeightGradients, dense.Weights);
        AssertUpdatedWeights(model);
        var hidden = (DenseOp)model.Nodes[0].Op;
        Assert.Equal(0.35f, hidden.Bias[0]);
        var output = model.Forward(Input, 1, training: false);
        double after = new MeanSquaredErrorLoss().Compute(output, 1, 2, default, Target, default);
        Assert.Equal(Get("after_one_step.E_total_weights_only"), after, Tolerance);
        Assert.NotEqual(0.291027924, after, 1e-7);
    }

    /// <summary>Our SGD updates biases too: the JSON's per-neuron variant gives those values.</summary>
    [Fact]
    public void SgdStepMatchesBiasUpdatingVariant()
    {
        using var model = Network();
        Step(model);
        new Sgd().Step(model.Parameters, 0.5f);
        AssertUpdatedWeights(model);
        var hidden = (DenseOp)model.Nodes[0].Op;
        var output = (DenseOp)model.Nodes[1].Op;
        var variant = "after_one_step.variant_per_neuron_biases_also_updated.";
        Assert.Equal(Get(variant + "biases.h1"), hidden.Bias[0], Tolerance);
        Assert.Equal(Get(variant + "biases.h2"), hidden.Bias[1], Tolerance);
        Assert.Equal(Get(variant + "biases.o1"), output.Bias[0], Tolerance);
        Assert.Equal(Get(variant + "biases.o2"), output.Bias[1], Tolerance);
        var y = model.Forward(Input, 1, training: false);
        Assert.Equal(Get(variant + "E_total"), new MeanSquaredErrorLoss().Compute(y, 1, 2, default, Target, default), Tolerance);
    }

    private static void AssertUpdatedWeights(Model model)
    {
        var hidden = (DenseOp)model.Nodes[0].Op;
        var output = (DenseOp)model.Nodes[1].Op;
        Assert.Equal(Get("updated_weights.w1"), hidden.Weights[0], Tolerance);
        Assert.Equal(Get("updated_weights.w2"), hidden.Weights[2], Tolerance);
        Assert.Equal(Get("updated_weights.w3"), hidden.Weights[1], Tolerance);
        Assert.Equal(Get("updated_weights.w4"), hidden.Weights[3], Tolerance);
        Assert.Equal(Get("updated_weights.w5"), output.Weights[0], Tolerance);
        Assert.Equal(Get("updated_weights.w6"), output.Weights[2], Tolerance);
        Assert.Equal(Get("updated_weights.w7"), output.Weights[1], Tolerance);
        Assert.Equal(Get("updated_weights.w8"), output.Weights[3], Tolerance);
    }
}
