using Simd.Runtime.Inference;
using Simd.Runtime.Models;

namespace Simd.Perf.Training;

/// <summary>
/// A reference network as the report times it: <see cref="ReferenceNetworks"/> on 28×28 one-channel images (flat
/// inputs of 784), 10 classes, seed 1; the convolutional ones read the image whole, the recurrent ones row by row
/// (28 steps of 28 features). perf/compare/networks.py builds the same networks in PyTorch.
/// </summary>
public sealed class ReferenceNetwork
{
    public const int Side = 28, Classes = 10, Seed = 1;

    private readonly Func<int, Model> _build;

    private ReferenceNetwork(string name, Func<int, Model> build)
    {
        Name = name;
        _build = build;
    }

    public static ReferenceNetwork LeNet { get; } = new("lenet", batch => ReferenceNetworks.LeNet(Side, Classes, Seed, batch));

    public static ReferenceNetwork ResNet { get; } = new("resnet", batch => ReferenceNetworks.ResNet(Side, Classes, Seed, batch));

    public static ReferenceNetwork Lstm { get; } = new("lstm", batch => ReferenceNetworks.Lstm(Side, Classes, Seed, batch));

    public static ReferenceNetwork Gru { get; } = new("gru", batch => ReferenceNetworks.Gru(Side, Classes, Seed, batch));

    /// <summary>The middle part of the figures' names: <c>train.lenet.b32.ms</c>.</summary>
    public string Name { get; }

    /// <summary>A trainable model with its weights drawn from the seed and its arena sized for <paramref name="maxBatch"/>.</summary>
    public Model Build(int maxBatch) => _build(maxBatch);

    public TrainingStep TrainingStep(int batch) => new(Build(batch), batch);

    /// <summary>The frozen model (BatchNorm folded into the convolutions, weights packed, as inference runs it).</summary>
    public InferenceModel Freeze(InferenceOptions options)
    {
        using var model = Build(options.MaxBatch);
        return InferenceModel.Freeze(model, options);
    }

    public override string ToString() => Name;
}
