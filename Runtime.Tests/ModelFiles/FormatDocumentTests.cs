using System.Text.RegularExpressions;
using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Tests.ModelFileFormat;

/// <summary>
/// The format document (Runtime/Serialization/README.md, copied beside the tests) lists every registered op with
/// the setting names its <see cref="Op.WriteAttributes"/> writes and the tensors it declares, and nothing else.
/// </summary>
public sealed partial class FormatDocumentTests
{
    /// <summary>One op of each kind with its settings, and input shapes it accepts.</summary>
    private static readonly Dictionary<string, (Func<OpAttributes, OpAttributes> Settings, TensorShape[] Inputs)> Samples = new()
    {
        ["activation"] = (a => a.Set("activation", "tanh"), [new(4)]),
        ["add"] = (a => a.Set("bias", 1L), [new(4)]),
        ["batchnorm"] = (a => a.Set("epsilon", 1e-5).Set("momentum", 0.1), [new(4)]),
        ["concat"] = (a => a.Set("axis", -1L), [new(4), new(2)]),
        ["dense"] = (a => a.Set("outputs", 3L).Set("activation", "relu"), [new(4)]),
        ["dropout"] = (a => a.Set("rate", 0.1), [new(4)]),
        ["flatten"] = (a => a, [new(2, 2)]),
        ["reshape"] = (a => a.Set("shape", [2L, 2L]), [new(4)]),
        ["softmax"] = (a => a.Set("log", 1L), [new(4)]),
        ["reduce"] = (a => a.Set("function", "max").Set("axes", [0L]).Set("keepdims", 1L), [new(4)]),
        ["prelu"] = (a => a.Set("slope", [4L]), [new(4)]),
        ["celu"] = (a => a.Set("alpha", 0.5), [new(4)]),
        ["conv2d"] = (a => a.Set("channels", 4L).Set("kernel", [3L, 3L]).Set("stride", [1L, 1L]).Set("pads", [1L, 1L, 1L, 1L])
            .Set("auto_pad", "explicit").Set("dilation", [1L, 1L]).Set("groups", 1L).Set("bias", 1L).Set("activation", "relu"), [new(2, 5, 5)]),
        ["conv-transpose2d"] = (a => a.Set("channels", 4L).Set("kernel", [3L, 3L]).Set("stride", [2L, 2L]).Set("pads", [1L, 1L, 1L, 1L])
            .Set("auto_pad", "explicit").Set("dilation", [1L, 1L]).Set("groups", 1L).Set("bias", 1L).Set("output_padding_height", 1L)
            .Set("output_padding_width", 1L), [new(2, 5, 5)]),
        ["layernorm"] = (a => a.Set("axis", -1L).Set("epsilon", 1e-5), [new(4)]),
        ["maxpool2d"] = (a => a.Set("kernel", [2L, 2L]).Set("stride", [2L, 2L]).Set("pads", [0L, 0L, 0L, 0L]).Set("auto_pad", "explicit")
            .Set("dilation", [1L, 1L]), [new(2, 4, 4)]),
        ["avgpool2d"] = (a => a.Set("kernel", [2L, 2L]).Set("stride", [2L, 2L]).Set("pads", [0L, 0L, 0L, 0L]).Set("auto_pad", "explicit")
            .Set("dilation", [1L, 1L]), [new(2, 4, 4)]),
        ["maxpool3d"] = (a => a.Set("kernel", [2L, 2L, 2L]).Set("stride", [2L, 2L, 2L]).Set("pads", [0L, 0L, 0L, 0L, 0L, 0L]).Set("auto_pad", "explicit")
            .Set("dilation", [1L, 1L, 1L]), [new(2, 4, 4, 4)]),
        ["avgpool3d"] = (a => a.Set("kernel", [2L, 2L, 2L]).Set("stride", [2L, 2L, 2L]).Set("pads", [1L, 0L, 0L, 0L, 0L, 1L]).Set("auto_pad", "explicit")
            .Set("dilation", [1L, 1L, 1L]).Set("count_include_pad", 1L), [new(2, 4, 4, 4)]),
        ["conv-transpose3d"] = (a => a.Set("channels", 4L).Set("kernel", [3L, 3L, 3L]).Set("stride", [2L, 2L, 2L]).Set("pads", [1L, 1L, 1L, 1L, 1L, 1L])
            .Set("auto_pad", "explicit").Set("dilation", [1L, 1L, 1L]).Set("groups", 1L).Set("bias", 1L).Set("output_padding", [1L, 0L, 1L]), [new(2, 3, 3, 3)]),
        ["globalavgpool"] = (a => a, [new(2, 3, 3)]),
        ["globalmaxpool"] = (a => a, [new(2, 3, 3)]),
        ["lstm"] = (a => a.Set("hidden", 3L).Set("direction", "bidirectional").Set("output", "last").Set("initial_state", 1L).Set("lengths", 1L),
            [new(5, 2), new(6), new(6), new(1)]),
        ["gru"] = (a => a.Set("hidden", 3L).Set("linear_before_reset", 0L), [new(5, 2)]),
        ["rnn"] = (a => a.Set("hidden", 3L).Set("activation", "relu"), [new(5, 2)]),
        ["binary"] = (a => a.Set("function", "mul").Set("constant", [4L]).Set("constant_first", 0L).Set("trainable", 1L), [new(4)]),
        ["unary"] = (a => a.Set("function", "clip").Set("min", -1.0).Set("max", 1.0), [new(4)]),
        ["where"] = (a => a.Set("condition", [4L]).Set("a", [4L]), [new(4)]),
        ["expand"] = (a => a.Set("shape", [2L, 4L]), [new(4)]),
        ["tile"] = (a => a.Set("repeats", [2L]), [new(4)]),
        ["pad"] = (a => a.Set("before", [1L]).Set("after", [0L]).Set("mode", "reflect").Set("value", 0.0), [new(4)]),
        ["matmul"] = (a => a, [new(2, 3, 4), new(1, 4, 5)]),
        ["split"] = (a => a.Set("axis", -1L).Set("sizes", [1L, 3L]), [new(2, 4)]),
        ["transpose"] = (a => a.Set("perm", [1L, 0L]), [new(2, 4)]),
        ["nll_loss"] = (a => a.Set("labels", [0L, -1L]).Set("reduction", "sum").Set("ignore_index", -1L).Set("weighted", 1L), [new(2, 3)]),
        ["softmax_cross_entropy_loss"] = (a => a.Set("labels", [0L, 2L]).Set("reduction", "none").Set("ignore_index", 5L).Set("weighted", 1L).Set("log_prob", 1L), [new(2, 3)]),
        ["slice"] = (a => a.Set("starts", [1L, 3L]).Set("counts", [1L, 2L]).Set("steps", [1L, -2L]), [new(2, 4)]),
        ["gather_elements"] = (a => a.Set("axis", 1L).Set("shape", [2L, 1L]).Set("indices", [3L, 0L]), [new(2, 4)]),
        ["adam-update"] = (a => a.Set("tensors", 1L).Set("alpha", 0.9).Set("beta", 0.999), [new(1), new(1), new(4), new(4), new(4), new(4)]),
        ["adagrad-update"] = (a => a.Set("tensors", 1L).Set("epsilon", 1e-6), [new(1), new(1), new(4), new(4), new(4)]),
        ["momentum-update"] = (a => a.Set("tensors", 1L).Set("alpha", 0.9).Set("beta", 0.1).Set("mode", "nesterov"), [new(1), new(1), new(4), new(4), new(4)]),
    };

    [Fact]
    public void TheOpTableListsEveryOpWithItsSettingsAndTensors()
    {
        var rows = OpRows();
        Assert.Equal(OpRegistry.Kinds, rows.Keys.Order(StringComparer.Ordinal));
        foreach (string kind in OpRegistry.Kinds)
        {
            var (settings, inputs) = Samples[kind];
            var op = OpRegistry.Create(settings(new OpAttributes(kind)));
            op.InferShapes(inputs);
            var written = new OpAttributes(kind);
            op.WriteAttributes(written);
            Assert.True(written.Names.SequenceEqual(rows[kind].Settings), $"{kind}: the document lists settings {string.Join(", ", rows[kind].Settings)}, the op writes {string.Join(", ", written.Names)}");
            string[] tensors = [.. op.TensorSpecs().Select(t => t.Name)];
            Assert.True(tensors.SequenceEqual(rows[kind].Tensors), $"{kind}: the document lists tensors {string.Join(", ", rows[kind].Tensors)}, the op declares {string.Join(", ", tensors)}");
        }
    }

    [Fact]
    public void TheActivationNamesAreTheStableOnes()
    {
        string text = Document();
        foreach (var kind in Enum.GetValues<Simd.Runtime.Intrinsics.ActivationKind>())
            Assert.Contains(OpNames.Activation(kind), text);
    }

    private static string Document() => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "ModelFiles", "FORMAT.md"));

    /// <summary>Rows "| `op` | inputs | settings | tensors |" of the op table: the backticked names of the last two columns.</summary>
    private static Dictionary<string, (string[] Settings, string[] Tensors)> OpRows()
    {
        string text = Document();
        int start = text.IndexOf("| op | inputs | settings | tensors |", StringComparison.Ordinal);
        Assert.True(start >= 0, "the op table is missing");
        var rows = new Dictionary<string, (string[], string[])>(StringComparer.Ordinal);
        foreach (string line in text[start..].Split('\n').Skip(2).TakeWhile(l => l.StartsWith('|')))
        {
            string[] cells = line.Split('|');
            string kind = cells[1].Trim().Trim('`');
            rows.Add(kind, (Names(cells[3]), Names(cells[4])));
        }
        return rows;
    }

    private static string[] Names(string cell) => [.. Name().Matches(cell).Select(m => m.Groups[1].Value).Distinct()];

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex Name();
}
