using System.Globalization;
using Simd.Runtime.Graphs;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Models;

/// <summary>
/// The bound a loader puts on the activations a file's graph declares. Activations grow with the image a network
/// reads, not with the weights its file holds, so a small file can declare gigabytes of them: the loader refuses a
/// graph whose activations for the batch it is loaded for exceed <see cref="ModelFileLimits.MaxActivationBytes"/>.
/// While shape inference walks the nodes, each node is checked against what any plan must hold (training keeps every
/// value for the backward pass; serving holds at least what the node reads and writes), so that an absurd graph is
/// refused at the node that makes it so; the whole graph's plan is then checked before its arena is allocated.
/// </summary>
internal sealed class ModelFileActivations
{
    private readonly long _limitBytes;
    private long _keptPerSample;

    /// <summary>The bound for <paramref name="batch"/> rows of training, or of serving when <paramref name="serving"/>.</summary>
    public ModelFileActivations(ModelFileLimits limits, int batch, bool serving)
    {
        _limitBytes = limits.MaxActivationBytes;
        Batch = batch;
        Serving = serving;
    }

    /// <summary>Rows the model is loaded for.</summary>
    public int Batch { get; }

    /// <summary>True when the model is loaded to be frozen for serving.</summary>
    public bool Serving { get; }

    /// <summary>Training keeps the graph input for the whole step.</summary>
    public void AddInput(Value input) => _keptPerSample += input.SampleLength;

    /// <summary>Refuses, naming the node's entry <paramref name="field"/>, a node whose values alone pass the bound.</summary>
    public void CheckNode(Node node, string field)
    {
        long perSample;
        string what;
        if (Serving)
        {
            // A view's output is its input's buffer.
            perSample = node.Inputs.Distinct().Sum(v => (long)v.SampleLength) + (node.Op.IsView ? 0 : node.Outputs.Sum(v => (long)v.SampleLength));
            what = "this node reads and writes";
        }
        else
        {
            _keptPerSample += node.Op.IsView ? 0 : node.Outputs.Sum(v => (long)v.SampleLength);
            perSample = _keptPerSample;
            what = "the input and the values up to this node hold";
        }
        if (Bytes(perSample) > _limitBytes)
            throw Model.Bad(field, $"({node.Op.Kind}): {what} {perSample} floats per sample, {Size(Bytes(perSample))} for batches of {Batch}, " +
                $"more than the {Size(_limitBytes)} of activations a loaded model may take");
    }

    /// <summary>
    /// Refuses a graph whose planned arena (serving: with the caller's input and output rows) passes the bound.
    /// Planning allocates nothing the sizes would: the arena itself is allocated when the model first runs.
    /// </summary>
    public void CheckPlan(Graph graph)
    {
        double bytes;
        try
        {
            bytes = Serving
                ? ArenaLayout.ForInference(graph, Batch).Length * (double)sizeof(float) + Bytes(graph.Inputs.Sum(v => (long)v.SampleLength) + graph.Outputs.Sum(v => (long)v.SampleLength))
                : ArenaLayout.ForTraining(graph, Batch).LengthWithoutInputGradient * (double)sizeof(float);
        }
        catch (ArgumentException)
        {
            throw Model.Bad("graph.nodes", $"the activations of the graph need more than one block holds ({Size(Array.MaxLength * (double)sizeof(float))}) " +
                $"for batches of {Batch}; load it for fewer rows");
        }
        if (bytes > _limitBytes)
            throw Model.Bad("graph.nodes", $"the activations of the graph need {Size(bytes)} for batches of {Batch} ({Size(bytes / Batch)} per sample " +
                $"{(Serving ? "to serve" : "to train")}), more than the {Size(_limitBytes)} a loaded model may take; load it for fewer rows");
    }

    /// <summary>In floating point: a hostile graph's figure may not fit a long.</summary>
    private double Bytes(long floatsPerSample) => (double)floatsPerSample * Batch * sizeof(float);

    /// <summary>Bytes in binary units, as a user reads them: 4.01 GiB, 12.5 MiB, 640 bytes.</summary>
    internal static string Size(double bytes)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes.ToString("0", CultureInfo.InvariantCulture) + " bytes" : value.ToString(value < 10 ? "0.##" : value < 100 ? "0.#" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
