using Simd.Runtime.Intrinsics;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Models;

/// <summary>
/// Reads version-1 model files: a chain of layers, <c>layer.{i}.type</c> with its sizes and tensors, activations
/// by their C# names. Each layer becomes one node of a sequential graph; files are no longer written this way.
/// </summary>
internal static class ModelFileV1
{
    public const string FormatName = "simd.sequential";

    private const int MaxLayers = 4096;

    /// <summary>The chain's graph as a model with fresh weights; <see cref="Model.ReadFrom"/> then reads the state.</summary>
    public static Model Build(ModelContainer container, int maxBatch)
    {
        int inputs = Model.Range(container.GetInt64("model.inputs"), 1, Model.MaxFeatures, "model.inputs");
        int count = Model.Range(container.GetInt64("model.layers"), 1, MaxLayers, "model.layers");
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
                        builder.Dense(Model.Range(container.GetInt64(p + "outputs"), 1, Model.MaxFeatures, p + "outputs"),
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
                        if (!(rate >= 0f && rate < 1f)) throw Model.Bad(p + "rate", $"is {rate}, expected a value in [0, 1)");
                        builder.Dropout(rate);
                        break;
                    case "flatten":
                        builder.Flatten();
                        break;
                    default:
                        throw Model.Bad(p + "type", $"is '{type}', expected dense, batchnorm, activation, dropout or flatten");
                }
            }
            catch (ArgumentException e)
            {
                throw Model.Bad(p + "type", Model.Plain(e));
            }
        }
        try
        {
            return builder.Build(container.GetInt64("model.seed"), maxBatch);
        }
        catch (ArgumentException e)
        {
            throw Model.Bad("model.layers", Model.Plain(e));
        }
        catch (OverflowException)
        {
            throw Model.Bad("model.layers", "the layer sizes overflow memory");
        }
    }

    /// <summary>Layer i is node i; each layer's tensors have the names the ops give theirs.</summary>
    public static void ReadState(Model model, ModelContainer container)
    {
        long inputs = container.GetInt64("model.inputs");
        if (inputs != model.InputSize) throw Model.Bad("model.inputs", $"is {inputs}, this model takes {model.InputSize}");
        long count = container.GetInt64("model.layers");
        if (count != model.Nodes.Count) throw Model.Bad("model.layers", $"is {count}, this model has {model.Nodes.Count} layers");
        for (int i = 0; i < model.Nodes.Count; i++)
        {
            string p = $"layer.{i}.";
            string type = container.GetString(p + "type");
            var op = model.Nodes[i].Op;
            if (type != op.Kind) throw Model.Bad(p + "type", $"is '{type}', this model has '{op.Kind}' there");
            for (int t = 0; t < op.Tensors.Count; t++)
                Model.CopyTensor(container, p + op.Tensors[t].Name, op.Tensors[t].Shape, op.TensorData(t));
        }
    }

    private static ActivationKind Activation(string name, string field) =>
        Enum.TryParse<ActivationKind>(name, ignoreCase: false, out var kind) && Enum.IsDefined(kind) && !int.TryParse(name, out _)
            ? kind
            : throw Model.Bad(field, $"'{name}' is not an activation; expected one of {string.Join(", ", Enum.GetNames<ActivationKind>())}");
}
