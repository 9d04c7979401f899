using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Optimization;
using Simd.Runtime.Serialization;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Training;

public sealed class ModelFileTests
{
    [Fact]
    public void SaveLoadRoundTripsArchitectureWeightsAndOutputs()
    {
        using var dir = new TempDirectory("simd-model-");
        string path = dir.PathOf("model.simd");
        {
            using var model = new ModelBuilder(8).Dense(16, ActivationKind.LeakyRelu, 0.2f).BatchNorm().Dropout(0.3f).Flatten()
                .Activation(ActivationKind.Tanh).Dense(3).Build(seed: 5, maxBatch: 8);
            new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 2 }).Fit(TestModels.Blobs(64, 8, 3, 1));
            model.Save(path);
            using var loaded = Model.Load(path, maxBatch: 8);

            Assert.Equal(model.Ops.Select(l => l.GetType()), loaded.Ops.Select(l => l.GetType()));
            var dense = (DenseOp)loaded.Nodes[0].Op;
            Assert.Equal((ActivationKind.LeakyRelu, 0.2f), (dense.Activation, dense.ActivationAlpha));
            Assert.Equal(0.3f, ((DropoutOp)loaded.Nodes[2].Op).Rate);
            Assert.Equal(ActivationKind.Tanh, ((ActivationOp)loaded.Nodes[4].Op).Activation);
            Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
            Assert.Equal(model.Parameters.Buffers.ToArray(), loaded.Parameters.Buffers.ToArray());
            var x = TestModels.RandomArray(8 * 8, 3);
            Assert.Equal(model.Forward(x, 8, training: false).ToArray(), loaded.Forward(x, 8, training: false).ToArray());
        }
    }

    [Fact]
    public void MismatchedTensorShapeIsAFormatErrorNamingTheField()
    {
        using var model = new ModelBuilder(4).Dense(3).Build();
        var container = new ModelContainer();
        model.WriteTo(container);
        container.SetTensor("node.0.tensor.weights", [3, 4], new float[12]);
        var e = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container));
        Assert.Equal("node.0.tensor.weights", e.Field);
        Assert.Contains("[4, 3]", e.Message);
    }

    [Theory]
    [InlineData("node.0.op", "conv")]
    [InlineData("node.0.attr.activation", "Swishy")]
    [InlineData("model.format", "other")]
    public void UnknownNamesAreFormatErrors(string field, string value)
    {
        using var model = new ModelBuilder(4).Dense(3, ActivationKind.Relu).Build();
        var container = new ModelContainer();
        model.WriteTo(container);
        container.SetString(field, value);
        Assert.Equal(field, Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container)).Field);
    }

    [Fact]
    public void AbsurdSizesAreRefusedBeforeAllocating()
    {
        using var model = new ModelBuilder(4).Dense(3).Build();
        var container = new ModelContainer();
        model.WriteTo(container);
        container.SetInt64("node.0.attr.outputs", 1L << 40);
        Assert.Equal("node.0.attr.outputs", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container)).Field);
    }

    [Fact]
    public void MissingOrMistypedEntriesAreFormatErrors()
    {
        using var model = new ModelBuilder(4).Dense(3, ActivationKind.Relu).Build();
        var full = new ModelContainer();
        model.WriteTo(full);

        // Every entry but the dropout stream, which is read last, after the model is built.
        var partial = new ModelContainer();
        foreach (var (name, entry) in full.Entries())
            if (name != "model.dropout_random") partial.AddRead(name, entry);
        Assert.Equal("entry 'model.dropout_random'", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(partial)).Field);

        full.SetString("model.seed", "one");
        Assert.Equal("entry 'model.seed'", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(full)).Field);
    }
}
