using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Graphs;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Models;

/// <summary>
/// The sequential helper over <see cref="GraphBuilder"/>: describes a chain layer by layer, then builds its graph:
/// <c>new ModelBuilder(64).Dense(256, ActivationKind.Relu).BatchNorm().Dropout(0.2f).Dense(10).Build(seed: 1)</c>.
/// An activation right after a Dense layer is folded into that layer's GEMM epilogue.
/// </summary>
public sealed class ModelBuilder
{
    private readonly List<LayerSpec> _specs = new();

    public ModelBuilder(int inputs)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputs);
        Inputs = inputs;
    }

    public int Inputs { get; }

    /// <summary>Features the next layer receives.</summary>
    public int CurrentSize => _specs.Count == 0 ? Inputs : _specs[^1].Outputs;

    public ModelBuilder Dense(int outputs, ActivationKind activation = ActivationKind.Identity, float activationAlpha = float.NaN,
        WeightInitializer initializer = WeightInitializer.Default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outputs);
        _specs.Add(new DenseSpec(CurrentSize, outputs, activation, activationAlpha, initializer));
        return this;
    }

    public ModelBuilder Activation(ActivationKind kind, float alpha = float.NaN)
    {
        if (_specs.Count > 0 && _specs[^1] is DenseSpec { Activation: ActivationKind.Identity } dense)
            _specs[^1] = dense with { Activation = kind, Alpha = alpha };
        else
            _specs.Add(new ActivationSpec(CurrentSize, kind, alpha));
        return this;
    }

    public ModelBuilder BatchNorm(float epsilon = 1e-5f, float momentum = 0.1f)
    {
        _specs.Add(new BatchNormSpec(CurrentSize, epsilon, momentum));
        return this;
    }

    public ModelBuilder Dropout(float rate)
    {
        _specs.Add(new DropoutSpec(CurrentSize, rate));
        return this;
    }

    public ModelBuilder Flatten()
    {
        _specs.Add(new FlattenSpec(CurrentSize));
        return this;
    }

    /// <summary>
    /// Allocates the model and draws its weights from <paramref name="seed"/>. <paramref name="maxBatch"/> sizes the
    /// activation block; a larger batch later grows it once.
    /// </summary>
    public Model Build(long seed = 1, int maxBatch = 64)
    {
        if (_specs.Count == 0) throw new InvalidOperationException("Add at least one layer before Build.");
        var graph = new GraphBuilder();
        Value x = graph.Input(new TensorShape(Inputs));
        foreach (var spec in _specs) x = graph.Single(spec.Create(), x);
        graph.Output(x);
        return graph.Build(seed, maxBatch);
    }

    private abstract record LayerSpec(int Inputs)
    {
        public virtual int Outputs => Inputs;

        public abstract Op Create();
    }

    private sealed record DenseSpec(int Inputs, int Size, ActivationKind Activation, float Alpha, WeightInitializer Initializer) : LayerSpec(Inputs)
    {
        public override int Outputs => Size;

        public override Op Create() => new DenseOp(Size, Activation, Alpha, Initializer);
    }

    private sealed record ActivationSpec(int Inputs, ActivationKind Kind, float Alpha) : LayerSpec(Inputs)
    {
        public override Op Create() => new ActivationOp(Kind, Alpha);
    }

    private sealed record BatchNormSpec(int Inputs, float Epsilon, float Momentum) : LayerSpec(Inputs)
    {
        public override Op Create() => new BatchNormOp(Epsilon, Momentum);
    }

    private sealed record DropoutSpec(int Inputs, float Rate) : LayerSpec(Inputs)
    {
        public override Op Create() => new DropoutOp(Rate);
    }

    private sealed record FlattenSpec(int Inputs) : LayerSpec(Inputs)
    {
        public override Op Create() => new FlattenOp();
    }
}
