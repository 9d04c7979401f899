using System.Buffers.Binary;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Layers;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Models;

/// <summary>
/// Architecture and weights in a <see cref="ModelContainer"/>: <c>model.*</c> entries describe the model,
/// <c>layer.{i}.*</c> each layer (type, sizes, settings, tensors). Checkpoints add their own entries beside these.
/// </summary>
public sealed partial class Model
{
    /// <summary>Value of the <c>model.format</c> entry.</summary>
    public const string FormatName = "simd.sequential";

    /// <summary>Value of the <c>model.version</c> entry this code writes and reads.</summary>
    public const int FormatVersion = 1;

    private const int MaxLayers = 4096;
    internal const int MaxFeatures = 1 << 24;

    /// <summary>Writes architecture and weights to <paramref name="path"/> (atomically: temporary file, then rename).</summary>
    public void Save(string path)
    {
        var container = new ModelContainer();
        WriteTo(container);
        container.Save(path);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>, planned for batches of up to <paramref name="maxBatch"/> rows.</summary>
    public static Model Load(string path, int maxBatch = 64) => ReadFrom(ModelContainer.Load(path), maxBatch);

    /// <summary>Adds the architecture, parameters, running statistics and dropout stream to a container.</summary>
    public void WriteTo(ModelContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        container.SetString("model.format", FormatName);
        container.SetInt64("model.version", FormatVersion);
        container.SetInt64("model.inputs", InputSize);
        container.SetInt64("model.seed", Seed);
        container.SetInt64("model.layers", _layers.Length);
        for (int i = 0; i < _layers.Length; i++)
        {
            string p = $"layer.{i}.";
            switch (_layers[i])
            {
                case DenseLayer dense:
                    container.SetString(p + "type", "dense");
                    container.SetInt64(p + "outputs", dense.Outputs);
                    container.SetString(p + "activation", dense.Activation.ToString());
                    container.SetDouble(p + "alpha", dense.ActivationAlpha);
                    container.SetTensor(p + "weights", [dense.Inputs, dense.Outputs], dense.Weights);
                    container.SetTensor(p + "bias", [dense.Outputs], dense.Bias);
                    break;
                case BatchNormLayer bn:
                    container.SetString(p + "type", "batchnorm");
                    container.SetDouble(p + "epsilon", bn.Epsilon);
                    container.SetDouble(p + "momentum", bn.Momentum);
                    container.SetTensor(p + "gamma", [bn.Features], bn.Gamma);
                    container.SetTensor(p + "beta", [bn.Features], bn.Beta);
                    container.SetTensor(p + "running_mean", [bn.Features], bn.RunningMean);
                    container.SetTensor(p + "running_variance", [bn.Features], bn.RunningVariance);
                    break;
                case ActivationLayer activation:
                    container.SetString(p + "type", "activation");
                    container.SetString(p + "activation", activation.Kind.ToString());
                    container.SetDouble(p + "alpha", activation.Alpha);
                    break;
                case DropoutLayer dropout:
                    container.SetString(p + "type", "dropout");
                    container.SetDouble(p + "rate", dropout.Rate);
                    break;
                case FlattenLayer:
                    container.SetString(p + "type", "flatten");
                    break;
                default:
                    throw new NotSupportedException($"Layer {i} ({_layers[i].GetType().Name}) has no file form.");
            }
        }
        Span<ulong> state = stackalloc ulong[DeterministicRandom.StateLength];
        DropoutRandom.GetState(state);
        container.SetBytes("model.dropout_random", StateBytes(state));
    }

    /// <summary>Builds a model from a container written by <see cref="WriteTo"/>, validating every entry first.</summary>
    /// <exception cref="ModelFormatException">An entry is damaged, missing or of another type: the container does not
    /// hold a complete model.</exception>
    public static Model ReadFrom(ModelContainer container, int maxBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(container);
        try
        {
            return Build(container, maxBatch);
        }
        // A sound container that lacks an entry or holds one of another type is, for a model, a bad file.
        catch (ModelEntryNotFoundException e)
        {
            throw new ModelFormatException($"entry '{e.EntryName}'", null, "is missing: the file does not hold a complete model", container.SourcePath);
        }
        catch (ModelEntryTypeException e)
        {
            throw new ModelFormatException($"entry '{e.EntryName}'", null, e.Detail, container.SourcePath);
        }
        catch (ModelFormatException e) when (container.SourcePath is string path)
        {
            throw e.WithPath(path);
        }
    }

    private static Model Build(ModelContainer container, int maxBatch)
    {
        string format = container.GetString("model.format");
        if (format != FormatName) throw Bad("model.format", $"is '{format}', expected '{FormatName}'");
        long version = container.GetInt64("model.version");
        if (version != FormatVersion) throw Bad("model.version", $"is {version}, this code reads version {FormatVersion}");
        int inputs = Range(container.GetInt64("model.inputs"), 1, MaxFeatures, "model.inputs");
        int count = Range(container.GetInt64("model.layers"), 1, MaxLayers, "model.layers");
        ModelFileShapes.Check(container, inputs, count);
        var builder = new ModelBuilder(inputs);
        for (int i = 0; i < count; i++)
        {
            string p = $"layer.{i}.";
            string type = container.GetString(p + "type");
            try
            {
                switch (type)
                {
                    case "dense":
                        builder.Dense(Range(container.GetInt64(p + "outputs"), 1, MaxFeatures, p + "outputs"),
                            Activation(container.GetString(p + "activation"), p + "activation"), (float)container.GetDouble(p + "alpha"));
                        break;
                    case "batchnorm":
                        builder.BatchNorm((float)container.GetDouble(p + "epsilon"), (float)container.GetDouble(p + "momentum"));
                        break;
                    case "activation":
                        builder.Activation(Activation(container.GetString(p + "activation"), p + "activation"), (float)container.GetDouble(p + "alpha"));
                        break;
                    case "dropout":
                        float rate = (float)container.GetDouble(p + "rate");
                        if (!(rate >= 0f && rate < 1f)) throw Bad(p + "rate", $"is {rate}, expected a value in [0, 1)");
                        builder.Dropout(rate);
                        break;
                    case "flatten":
                        builder.Flatten();
                        break;
                    default:
                        throw Bad(p + "type", $"is '{type}', expected dense, batchnorm, activation, dropout or flatten");
                }
            }
            catch (ArgumentException e)
            {
                throw Bad(p + "type", e.Message);
            }
        }
        long seed = container.GetInt64("model.seed");
        Model model;
        try
        {
            model = builder.Build(seed, maxBatch);
        }
        catch (ArgumentException e)
        {
            throw Bad("model.layers", e.Message);
        }
        catch (OverflowException)
        {
            throw Bad("model.layers", "the layer sizes overflow memory");
        }
        try
        {
            model.ReadStateFrom(container);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>
    /// Copies parameters, running statistics and the dropout stream from a container into this model, after
    /// checking that the container describes the same architecture. Subnormal values are read as +0.
    /// </summary>
    public void ReadStateFrom(ModelContainer container)
    {
        ArgumentNullException.ThrowIfNull(container);
        long inputs = container.GetInt64("model.inputs");
        if (inputs != InputSize) throw Bad("model.inputs", $"is {inputs}, this model takes {InputSize}");
        long count = container.GetInt64("model.layers");
        if (count != _layers.Length) throw Bad("model.layers", $"is {count}, this model has {_layers.Length} layers");
        for (int i = 0; i < _layers.Length; i++)
        {
            string p = $"layer.{i}.";
            string type = container.GetString(p + "type");
            switch (_layers[i])
            {
                case DenseLayer dense:
                    Expect(type, "dense", p);
                    CopyTensor(container, p + "weights", [dense.Inputs, dense.Outputs], dense.Weights);
                    CopyTensor(container, p + "bias", [dense.Outputs], dense.Bias);
                    break;
                case BatchNormLayer bn:
                    Expect(type, "batchnorm", p);
                    CopyTensor(container, p + "gamma", [bn.Features], bn.Gamma);
                    CopyTensor(container, p + "beta", [bn.Features], bn.Beta);
                    CopyTensor(container, p + "running_mean", [bn.Features], bn.RunningMean);
                    CopyTensor(container, p + "running_variance", [bn.Features], bn.RunningVariance);
                    break;
                case ActivationLayer:
                    Expect(type, "activation", p);
                    break;
                case DropoutLayer:
                    Expect(type, "dropout", p);
                    break;
                case FlattenLayer:
                    Expect(type, "flatten", p);
                    break;
            }
        }
        byte[] bytes = container.GetBytes("model.dropout_random");
        DropoutRandom.SetState(ReadState(bytes, "model.dropout_random"));
        // Subnormal weights or statistics would slow every product they enter (no flush-to-zero mode in .NET).
        Subnormals.FlushToZero(Parameters.Parameters);
        Subnormals.FlushToZero(Parameters.Buffers);
    }

    internal static byte[] StateBytes(ReadOnlySpan<ulong> state)
    {
        var bytes = new byte[state.Length * sizeof(ulong)];
        for (int i = 0; i < state.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)), state[i]);
        return bytes;
    }

    internal static ulong[] ReadState(byte[] bytes, string field)
    {
        if (bytes.Length != DeterministicRandom.StateLength * sizeof(ulong))
            throw Bad(field, $"has {bytes.Length} bytes, expected {DeterministicRandom.StateLength * sizeof(ulong)}");
        var state = new ulong[DeterministicRandom.StateLength];
        for (int i = 0; i < state.Length; i++) state[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(i * sizeof(ulong)));
        if ((state[0] | state[1] | state[2] | state[3]) == 0) throw Bad(field, "is all zero, which no generator state can be");
        return state;
    }

    internal static ModelFormatException Bad(string field, string detail) => new(field, null, detail);

    private static void CopyTensor(ModelContainer container, string name, ReadOnlySpan<int> expectedShape, Span<float> destination)
    {
        float[] data = container.GetTensor(name, out int[] shape);
        if (!shape.AsSpan().SequenceEqual(expectedShape))
            throw Bad(name, $"has shape [{string.Join(", ", shape)}], expected [{string.Join(", ", expectedShape.ToArray())}]");
        data.CopyTo(destination);
    }

    private static void Expect(string type, string expected, string prefix)
    {
        if (type != expected) throw Bad(prefix + "type", $"is '{type}', this model has '{expected}' there");
    }

    private static ActivationKind Activation(string name, string field) =>
        Enum.TryParse<ActivationKind>(name, ignoreCase: false, out var kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _)
            ? kind
            : throw Bad(field, $"'{name}' is not an activation; expected one of {string.Join(", ", Enum.GetNames<ActivationKind>())}");

    private static int Range(long value, int min, int max, string field) =>
        value >= min && value <= max ? (int)value : throw Bad(field, $"is {value}, expected a value in [{min}, {max}]");
}
