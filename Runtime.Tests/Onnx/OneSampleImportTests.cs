using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Onnx.Conformance;
using Simd.Runtime.Tests.Conformance;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// Graphs without a batch axis (static shapes, rank-1 inputs, ops over axis 0, a Reshape that fixes the first
/// dimension) imported as one sample: the model's batch is 1 and its sample the whole ONNX tensor, so its inputs
/// and outputs hold the ONNX tensors' elements in ONNX's order. The default import still refuses them, naming the
/// way out; ops not checked without a batch axis are refused rather than read wrong. The conformance runner tries
/// the batch first and one sample second.
/// </summary>
public sealed class OneSampleImportTests
{
    private static float[] Run(byte[] bytes, params float[][] inputs)
    {
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        Assert.Equal(OnnxBatchMode.OneSample, imported.BatchMode);
        Assert.All(imported.InputBatchAxes, a => Assert.Equal(0, a));
        var y = new float[model.OutputSize];
        model.Predict([.. inputs.Select(i => (ReadOnlyMemory<float>)i)], [y]);
        return y;
    }

    private static void Refused(byte[] bytes, string detail, bool oneSample = true)
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(bytes, batchMode: oneSample ? OnnxBatchMode.OneSample : OnnxBatchMode.FirstAxis));
        Assert.Contains(detail, e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void RankOneInputsJoinedAlongAxisZero()
    {
        byte[] bytes = Model([Node("Concat", ["a", "b"], ["y"], IntAttribute("axis", 0))], [], [Value("a", [2]), Value("b", [3])], [Value("y", [5])]);
        Refused(bytes, "ONNX graph: input 'a' has rank 1; expected [batch, features…] (a graph without a batch axis imports as one sample).", oneSample: false);
        Assert.Equal([1f, 2, 3, 4, 5], Run(bytes, [1, 2], [3, 4, 5]));
        using Model model = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample).Model;
        Assert.Equal(5, model.Graph.Outputs[0].SampleShape[0]);
    }

    [Fact]
    public void AReshapeFixingTheFirstDimensionAndAFlattenOfAxisZeroReshapeTheWholeTensor()
    {
        float[] x = [.. Enumerable.Range(0, 24).Select(i => (float)i)];
        byte[] reshape = Model([Node("Reshape", ["x", "shape"], ["y"])], [Int64Tensor("shape", [2], [2, -1])], [Value("x", [3, 8])], [Value("y", [2, 12])]);
        Refused(reshape, "shape [2, -1] fixes the batch at 2; its first entry must be 0 or -1 (keep the batch), or the graph imported as one sample.", oneSample: false);
        Assert.Equal(x, Run(reshape, x));
        using (Model m = OnnxImporter.Import(reshape, batchMode: OnnxBatchMode.OneSample).Model)
            Assert.Equal([2, 12], m.Graph.Outputs[0].SampleShape.ToArray());
        byte[] flatten = Model([Node("Flatten", ["x"], ["y"], IntAttribute("axis", 0))], [], [Value("x", [3, 8])], [Value("y", [1, 24])]);
        using (Model m = OnnxImporter.Import(flatten, batchMode: OnnxBatchMode.OneSample).Model)
            Assert.Equal([1, 24], m.Graph.Outputs[0].SampleShape.ToArray());
        Assert.Equal(x, Run(flatten, x));
    }

    [Fact]
    public void AnAxisCountsFromTheTensorsFirstDimension()
    {
        // LayerNormalization over axis 0 of [2, 2] normalizes all four values.
        float[] y = Run(Model([Node("LayerNormalization", ["x", "scale"], ["y"], IntAttribute("axis", 0))], [Tensor("scale", [2, 2], [1, 1, 1, 1])],
            [Value("x", [2, 2])], [Value("y", [2, 2])], opset: 17), [1, 2, 3, 4]);
        OnnxAssert.Close([-1.3416f, -0.4472f, 0.4472f, 1.3416f], y, "layer norm over the whole tensor", rtol: 1e-3, atol: 1e-4);
        // A trailing Softmax over the one axis is left out as in a batch: the model gives its logits.
        OnnxImportResult soft = OnnxImporter.Import(Model([Node("Relu", ["x"], ["r"]), Node("Softmax", ["r"], ["y"])], [], [Value("x", [3])], [Value("y", [3])]),
            batchMode: OnnxBatchMode.OneSample);
        soft.Model.Dispose();
        Assert.True(soft.EndsWithSoftmax);
        Assert.Equal([0f, 2, 4], Run(Model([Node("Add", ["x", "x"], ["y"])], [], [Value("x", [3])], [Value("y", [3])]), [0, 1, 2]));
    }

    /// <summary>A node's output keeps the ONNX axes of the tensor (no batch among them) for the nodes that read its layout.</summary>
    [Fact]
    public void ComputedValuesKeepTheirOnnxAxes()
    {
        float[] x = [-1, 2, -3];
        Action<ProtoWriter>[] relu = [Node("Relu", ["x"], ["r"])];
        byte[] squeeze = Model([.. relu, Node("Squeeze", ["r", "axes"], ["y"])], [Int64Tensor("axes", [1], [1])], [Value("x", [3, 1])], [Value("y", [3])]);
        Assert.Equal([0f, 2, 0], Run(squeeze, x));
        byte[] unsqueeze = Model([.. relu, Node("Squeeze", ["r", "axes"], ["q"]), Node("Unsqueeze", ["q", "axes0"], ["y"])],
            [Int64Tensor("axes", [1], [1]), Int64Tensor("axes0", [1], [0])], [Value("x", [3, 1])], [Value("y", [1, 3])]);
        using (Model m = OnnxImporter.Import(unsqueeze, batchMode: OnnxBatchMode.OneSample).Model)
            Assert.Equal([1, 3], m.Graph.Outputs[0].SampleShape.ToArray());
        byte[] transpose = Model([.. relu, Node("Transpose", ["r"], ["y"], IntsAttribute("perm", 1, 0))], [], [Value("x", [3, 1])], [Value("y", [1, 3])]);
        using (Model m = OnnxImporter.Import(transpose, batchMode: OnnxBatchMode.OneSample).Model)
            Assert.Equal([1, 3], m.Graph.Outputs[0].SampleShape.ToArray());
        Assert.Equal([0f, 2, 0], Run(transpose, x));
        // Shape of a computed value is fully known, so Reshape to it is a reshape to [3, 1].
        byte[] shape = Model([.. relu, Node("Shape", ["r"], ["s"]), Node("Flatten", ["r"], ["f"], IntAttribute("axis", 0)), Node("Reshape", ["f", "s"], ["y"])],
            [], [Value("x", [3, 1])], [Value("y", [3, 1])]);
        using (Model m = OnnxImporter.Import(shape, batchMode: OnnxBatchMode.OneSample).Model)
            Assert.Equal([3, 1], m.Graph.Outputs[0].SampleShape.ToArray());
    }

    [Fact]
    public void WhatOneSampleCannotReadIsRefusedSayingSo()
    {
        Refused(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [null, 2])], [Value("y", [null, 2])]),
            "ONNX graph: input 'x' has shape [?, 2]; imported as one sample, every dimension must be given.");
        Refused(Model([Node("Relu", ["x"], ["y"])], [], [Value("x", [])], [Value("y", [])]),
            "ONNX graph: output 'y' is a scalar (rank 0); imported as one sample, an output needs 1 to 8 dimensions (a scalar input is read as one value of shape [1]).");
        Refused(Model([Node("Conv", ["x", "w"], ["y"])], [Tensor("w", [1, 1, 1, 1], [1])], [Value("x", [1, 1, 3, 3])], [Value("y", [1, 1, 3, 3])]),
            "ONNX node 'Conv_y' (Conv, domain ai.onnx, opset 13): imported as one sample (no batch axis), the importer maps only Abs, Adagrad, Adam, Add,");
        // [1, 2] + [2] broadcasts to [1, 2]: one sample would lose the leading axis.
        Refused(Model([Node("Add", ["x", "c"], ["y"])], [Tensor("c", [1, 2], [1, 2])], [Value("x", [2])], [Value("y", [1, 2])]),
            "constant 'c' of shape [1, 2] has more axes than the computed input's 1; imported as one sample, the result would lose its leading axes.");
    }

    private static ConformanceResult RunCase(string name) =>
        new ConformanceRunner().Run(ConformanceCaseFolder.Find(ConformanceData.OnnxNode).Single(f => f.Name == name));

    [Fact]
    public void TheConformanceRunnerTriesOneSampleWhereTheBatchIsRefused()
    {
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_concat_1d_axis_0").Outcome);
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_reshape_reduced_dims").Outcome);
        // Both refused: the one-sample import names what it cannot read.
        ConformanceResult empty = RunCase("test_reshape_allowzero_reordered");
        Assert.Equal(ConformanceOutcome.Skip, empty.Outcome);
        Assert.Equal("ONNX graph: input 'data' has shape [0, 3, 4]; a sample needs positive sizes of at most 2147483647 values in all.", empty.Reason);
        // Data no batch reading fits (a rank-1 operand, a batch broadcast from 1) run as one sample.
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_matmul_1d_3d").Outcome);
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_matmul_bcast").Outcome);
        // Ops over axis 0, which the batch import refuses, read the whole tensor as one sample.
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_reduce_sum_default_axes_keepdims_random").Outcome);
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_logsoftmax_axis_0").Outcome);
        // Transpose of sample axes now imports (with the batch) rather than being refused by both.
        Assert.Equal(ConformanceOutcome.Pass, RunCase("test_transpose_default").Outcome);
    }
}
