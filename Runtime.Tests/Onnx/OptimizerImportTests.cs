using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using static OnnxWriter;

/// <summary>
/// ai.onnx.preview.training's Adagrad, Adam and Momentum imported as one sample: R and T are rank-0 inputs (T an
/// int64 count the model takes as a float), the outputs the updated tensors. Against ONNX's formulas by hand;
/// what cannot be read (a batch, the op outside its domain, inputs that are not R, T and groups of tensors, an int64
/// input read otherwise) is refused naming it.
/// </summary>
public sealed class OptimizerImportTests
{
    private const string Domain = "ai.onnx.preview.training";

    private static Action<ProtoWriter> TrainingNode(string opType, string[] inputs, string[] outputs, params Action<ProtoWriter>[] attributes) =>
        w => { Node(opType, inputs, outputs, attributes)(w); w.String(7, Domain); };

    private static byte[] WithTrainingOpset(byte[] model) => [.. model, .. new ProtoWriter().Message(8, o => o.String(1, Domain).Int(2, 1)).ToArray()];

    private static byte[] Adagrad(Action<ProtoWriter>? r = null) => WithTrainingOpset(Model(
        [TrainingNode("Adagrad", ["R", "T", "X", "G", "H"], ["X_new", "H_new"], FloatAttribute("decay_factor", 0.1f), FloatAttribute("epsilon", 1e-5f), FloatAttribute("norm_coefficient", 0.01f))],
        [], [r ?? Value("R", []), Value("T", [], elementType: 7), Value("X", [3]), Value("G", [3]), Value("H", [3])], [Value("X_new", [3]), Value("H_new", [3])]));

    [Fact]
    public void AdagradImportsAsOneSampleAndComputesOnnxsUpdate()
    {
        byte[] bytes = Adagrad();
        OnnxImportResult imported = OnnxImporter.Import(bytes, batchMode: OnnxBatchMode.OneSample);
        using Model model = imported.Model;
        Assert.IsType<AdagradOp>(Assert.Single(model.Graph.Nodes).Op);
        float[] x = [1, -2, 0.5f], g = [0.3f, 0.1f, -0.4f], h = [0.2f, 0, 1];
        float[] xNew = new float[3], hNew = new float[3];
        model.Predict([new float[] { 0.5f }, new float[] { 2 }, x, g, h], [xNew, hNew]);
        double rate = 0.5 / (1 + 2 * 0.1);
        for (int i = 0; i < 3; i++)
        {
            double gr = 0.01 * x[i] + g[i], sum = h[i] + gr * gr;
            Assert.Equal(sum, hNew[i], 1e-6);
            Assert.Equal(x[i] - rate * gr / (Math.Sqrt(sum) + 1e-5), xNew[i], 1e-6);
        }
    }

    [Fact]
    public void WhatCannotBeReadIsRefusedNamingIt()
    {
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Adagrad()));
        Assert.Equal("ONNX graph: input 'R' has rank 0; expected [batch, features…] (a graph without a batch axis imports as one sample).", e.Message);

        byte[] plain = Model([Node("Adam", ["R", "T", "X", "G", "V", "H"], ["X_new", "V_new", "H_new"])], [],
            [Value("R", []), Value("T", []), Value("X", [2]), Value("G", [2]), Value("V", [2]), Value("H", [2])], [Value("X_new", [2]), Value("V_new", [2]), Value("H_new", [2])]);
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(plain, batchMode: OnnxBatchMode.OneSample));
        Assert.Contains("Adam is an op of the ai.onnx.preview.training domain; this node is in ''.", e.Message);

        byte[] counts = WithTrainingOpset(Model([TrainingNode("Momentum", ["R", "T", "X", "G"], ["X_new"], FloatAttribute("alpha", 0.9f), FloatAttribute("beta", 0.1f), StringAttribute("mode", "standard"))], [],
            [Value("R", []), Value("T", [], elementType: 7), Value("X", [2]), Value("G", [2])], [Value("X_new", [2])]));
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(counts, batchMode: OnnxBatchMode.OneSample));
        Assert.Contains("4 inputs; Momentum takes R, T and then 3 tensors for each one it updates (5, 8, 11, …).", e.Message);

        // An int64 R is not an update count: the runtime computes in float32.
        e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(Adagrad(Value("R", [], elementType: 7)), batchMode: OnnxBatchMode.OneSample));
        Assert.Equal("ONNX graph: input 'R' holds Int64; the runtime computes in Float (float32).", e.Message);
    }
}
