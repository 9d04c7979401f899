using Simd.Runtime.Graphs;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Training;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// Loading bounds a graph's activations for the batch it is loaded for by <see cref="ModelFileLimits.MaxActivationBytes"/>,
/// not by the weights the file holds: real convolutional networks, whose activations grow with the image, load.
/// </summary>
public sealed class ActivationBoundTests
{
    private const int Rows = 4;

    /// <summary>A wide image through few channels: about a thousand weights, about a million floats of values per sample.</summary>
    private static Model WideImageNetwork(int maxBatch)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(3, 224, 224));
        var h = g.Activation(g.BatchNorm(g.Conv2D(x, 8, kernel: 3, pad: 1, bias: false)), ActivationKind.Relu);
        h = g.MaxPool(h, 2);
        h = g.Conv2D(h, 8, kernel: 3, pad: 1, groups: 8, activation: ActivationKind.Relu);
        g.Output(g.Dense(g.Flatten(g.GlobalAveragePool(h)), 10));
        return g.Build(seed: 3, maxBatch);
    }

    [Fact]
    public void AWideImageNetworkWithFewWeightsSavesAndLoads()
    {
        using var model = WideImageNetwork(Rows);
        long values = model.Graph.Values.Sum(v => (long)v.SampleLength);
        // The bound this replaced (16 floats of values per weight, and 65,536 more) refused it.
        Assert.True(values > 16L * model.ParameterCount + 65_536, $"{values} floats of values, {model.ParameterCount} weights");
        var x = TestModels.RandomArray(Rows * model.InputSize, 5);
        var expected = new float[Rows * model.OutputSize];
        model.Predict(x, expected);

        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "wide.model");
        model.Save(path);
        using var loaded = Model.Load(path, maxBatch: Rows);
        var outputs = new float[expected.Length];
        loaded.Predict(x, outputs);
        Assert.Equal(expected, outputs);
        using var served = InferenceModel.Load(path, new InferenceOptions { MaxBatch = Rows });
        using var frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = Rows });
        var servedOutputs = new float[expected.Length];
        var frozenOutputs = new float[expected.Length];
        served.Predict(x, Rows, servedOutputs);
        frozen.Predict(x, Rows, frozenOutputs);
        Assert.Equal(frozenOutputs, servedOutputs);
    }

    [Fact]
    public void ALimitBelowTheActivationsIsRefusedNamingTheFileAndTheSizes()
    {
        using var model = WideImageNetwork(Rows);
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "wide.model");
        model.Save(path);
        var limits = new ModelFileLimits { MaxActivationBytes = 16 << 20 };

        var training = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(ModelContainer.Load(path, limits), maxBatch: 64));
        Assert.Equal(path, training.Path);
        Assert.Contains($"'{path}'", training.Message);
        Assert.Contains("floats per sample", training.Message);
        Assert.Contains("for batches of 64, more than the 16 MiB of activations a loaded model may take", training.Message);
        HostileGraphFileTests.AssertInUserTerms(training.Message);

        var serving = Assert.Throws<ModelFormatException>(() => InferenceModel.Load(path, new InferenceOptions { MaxBatch = 256 }, limits));
        Assert.Contains($"'{path}'", serving.Message);
        Assert.Contains("for batches of 256", serving.Message);
        HostileGraphFileTests.AssertInUserTerms(serving.Message);

        // For fewer rows the same limit admits it.
        using var few = Model.ReadFrom(ModelContainer.Load(path, limits), maxBatch: 1);
        Assert.True(few.ArenaBytes <= limits.MaxActivationBytes, $"{few.ArenaBytes} bytes");
    }

    [Fact]
    public void TheWholeGraphsPlanIsBoundedWhereNoNodeAlonePassesTheLimit()
    {
        using var model = WideImageNetwork(Rows);
        var container = new ModelContainer();
        model.WriteTo(container);
        var bytes = new MemoryStream();
        container.WriteTo(bytes);
        // Every node's values fit; the plan, with the gradients and the scratch, does not.
        long kept = model.Graph.Values.Where(v => v.Producer is not { Op.IsView: true }).Sum(v => (long)v.SampleLength) * Rows * sizeof(float);
        var limits = new ModelFileLimits { MaxActivationBytes = kept + 1 };
        Assert.True(model.ArenaBytes > limits.MaxActivationBytes);
        var e = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(ModelContainer.ReadFrom(new MemoryStream(bytes.ToArray()), limits), maxBatch: Rows));
        Assert.Equal("graph.nodes", e.Field);
        Assert.Contains($"for batches of {Rows} (", e.Message);
        Assert.Contains("per sample to train), more than the", e.Message);
    }

    public static TheoryData<string, int, int> RealNetworks() => new()
    {
        // Network, rows to train, rows to serve: what the default limit must admit.
        { "resnet-50", 16, 256 },
        { "mobilenet", 32, 256 },
        { "lenet-512", 64, 256 },
    };

    private static Graph Real(string name) => name switch
    {
        "resnet-50" => RealSizedGraphs.ResNet50(),
        "mobilenet" => RealSizedGraphs.MobileNet(),
        _ => RealSizedGraphs.LeNet512(),
    };

    /// <summary>The bound as the loader applies it, node by node and then to the plan, on a graph built without weights.</summary>
    private static void Check(Graph graph, int batch, bool serving, ModelFileLimits limits)
    {
        var bound = new ModelFileActivations(limits, batch, serving);
        bound.AddInput(graph.Inputs[0]);
        foreach (var node in graph.Nodes) bound.CheckNode(node, $"node.{node.Index}.op");
        bound.CheckPlan(graph);
    }

    [Theory]
    [MemberData(nameof(RealNetworks))]
    public void TheDefaultLimitAdmitsRealNetworksAtRealSizes(string network, int trainingRows, int servingRows)
    {
        var graph = Real(network);
        Check(graph, trainingRows, serving: false, ModelFileLimits.Default);
        Check(graph, servingRows, serving: true, ModelFileLimits.Default);
    }

    [Fact]
    public void ResNet50ForTooManyTrainingRowsIsRefusedWithItsSize()
    {
        var e = Assert.Throws<ModelFormatException>(() => Check(RealSizedGraphs.ResNet50(), 64, serving: false, ModelFileLimits.Default));
        Assert.Contains("for batches of 64", e.Message);
        Assert.Contains("more than the 4 GiB", e.Message);
    }
}
