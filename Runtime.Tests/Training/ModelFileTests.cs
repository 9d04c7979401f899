using Simd.Runtime.Intrinsics;
using Simd.Runtime.Layers;
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
        string path = Path.Combine(Path.GetTempPath(), "simd-model-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = new ModelBuilder(8).Dense(16, ActivationKind.LeakyRelu, 0.2f).BatchNorm().Dropout(0.3f).Flatten()
                .Activation(ActivationKind.Tanh).Dense(3).Build(seed: 5, maxBatch: 8);
            new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 2 }).Fit(TestModels.Blobs(64, 8, 3, 1));
            model.Save(path);
            using var loaded = Model.Load(path, maxBatch: 8);

            Assert.Equal(model.Layers.Select(l => l.GetType()), loaded.Layers.Select(l => l.GetType()));
            var dense = (DenseLayer)loaded.Layers[0];
            Assert.Equal((ActivationKind.LeakyRelu, 0.2f), (dense.Activation, dense.ActivationAlpha));
            Assert.Equal(0.3f, ((DropoutLayer)loaded.Layers[2]).Rate);
            Assert.Equal(ActivationKind.Tanh, ((ActivationLayer)loaded.Layers[4]).Kind);
            Assert.Equal(model.Parameters.Parameters.ToArray(), loaded.Parameters.Parameters.ToArray());
            Assert.Equal(model.Parameters.Buffers.ToArray(), loaded.Parameters.Buffers.ToArray());
            var x = TestModels.RandomArray(8 * 8, 3);
            Assert.Equal(model.Forward(x, 8, training: false).ToArray(), loaded.Forward(x, 8, training: false).ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MismatchedTensorShapeIsAFormatErrorNamingTheField()
    {
        using var model = new ModelBuilder(4).Dense(3).Build();
        var container = new ModelContainer();
        model.WriteTo(container);
        container.SetTensor("layer.0.weights", [3, 4], new float[12]);
        var e = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container));
        Assert.Equal("layer.0.weights", e.Field);
        Assert.Contains("[4, 3]", e.Message);
    }

    [Theory]
    [InlineData("layer.0.type", "conv")]
    [InlineData("layer.0.activation", "Swishy")]
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
        container.SetInt64("layer.0.outputs", 1L << 40);
        Assert.Equal("layer.0.outputs", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(container)).Field);
    }

    [Fact]
    public void MissingOrMistypedEntriesAreFormatErrors()
    {
        using var model = new ModelBuilder(4).Dense(3, ActivationKind.Relu).Build();
        var full = new ModelContainer();
        model.WriteTo(full);

        // Every entry but the dropout stream, which is read last, after the model is built.
        var partial = new ModelContainer();
        partial.SetString("model.format", Model.FormatName);
        partial.SetInt64("model.version", Model.FormatVersion);
        partial.SetInt64("model.inputs", 4);
        partial.SetInt64("model.seed", 1);
        partial.SetInt64("model.layers", 1);
        partial.SetString("layer.0.type", "dense");
        partial.SetInt64("layer.0.outputs", 3);
        partial.SetString("layer.0.activation", "Relu");
        partial.SetDouble("layer.0.alpha", full.GetDouble("layer.0.alpha"));
        partial.SetTensor("layer.0.weights", [4, 3], full.GetTensor("layer.0.weights", out _));
        partial.SetTensor("layer.0.bias", [3], full.GetTensor("layer.0.bias", out _));
        Assert.Equal("entry 'model.dropout_random'", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(partial)).Field);

        full.SetString("model.inputs", "four");
        Assert.Equal("entry 'model.inputs'", Assert.Throws<ModelFormatException>(() => Model.ReadFrom(full)).Field);
    }
}
