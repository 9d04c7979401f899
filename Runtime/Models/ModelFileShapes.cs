using Simd.Runtime.Serialization;

namespace Simd.Runtime.Models;

/// <summary>
/// Checks a model file's declared layer sizes against the shapes of the tensors it actually holds, before a model
/// is built from it. Building allocates from the declared sizes; the tensors' sizes are bounded by the file's, so
/// after this check a damaged or hostile file cannot make loading allocate far more than the file itself.
/// </summary>
internal static class ModelFileShapes
{
    /// <summary><paramref name="inputs"/> and <paramref name="layers"/>: the file's, already range-checked.</summary>
    public static void Check(ModelContainer container, int inputs, int layers)
    {
        long width = inputs;
        for (int i = 0; i < layers; i++)
        {
            string p = $"layer.{i}.";
            switch (container.GetString(p + "type"))
            {
                case "dense":
                    long outputs = container.GetInt64(p + "outputs");
                    if (outputs < 1 || outputs > Model.MaxFeatures) throw Model.Bad(p + "outputs", $"is {outputs}, expected a value in [1, {Model.MaxFeatures}]");
                    Expect(container, p + "weights", [width, outputs]);
                    Expect(container, p + "bias", [outputs]);
                    width = outputs;
                    break;
                case "batchnorm":
                    foreach (string t in (string[])["gamma", "beta", "running_mean", "running_variance"])
                        Expect(container, p + t, [width]);
                    break;
            }
        }
    }

    private static void Expect(ModelContainer container, string name, ReadOnlySpan<long> expected)
    {
        var shape = container.GetTensorShape(name);
        bool same = shape.Length == expected.Length;
        for (int d = 0; same && d < shape.Length; d++) same = shape[d] == expected[d];
        if (!same)
            throw Model.Bad(name, $"has shape [{string.Join(", ", shape.ToArray())}], but the layer sizes make it [{string.Join(", ", expected.ToArray())}]");
    }

    
}
