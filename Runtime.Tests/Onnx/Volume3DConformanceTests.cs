using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// ONNX's node cases over volumes ([N, C, D, H, W]): MaxPool and AveragePool with three spatial axes (dilations,
/// count_include_pad and ceil mode among them) imported as <see cref="MaxPool3DOp"/> and <see cref="AvgPool3DOp"/>,
/// and ConvTranspose as <see cref="ConvTranspose3DOp"/> (its weights, a graph input in the case, as an initializer).
/// Each case's input is fed to the imported model and to that model frozen; the pools' kernels also run at every width.
/// </summary>
[Trait("Category", "Conformance")]
public class Volume3DConformanceTests
{
    private static readonly string[] PoolCases =
    [
        "test_averagepool_3d_default", "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_False",
        "test_averagepool_3d_dilations_large_count_include_pad_is_1_ceil_mode_is_True",
        "test_maxpool_3d_default", "test_maxpool_3d_dilations", "test_maxpool_3d_dilations_use_ref_impl",
    ];

    public static TheoryData<string> Cases() => [.. PoolCases, "test_convtranspose_3d"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImportedCaseMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        Assert.Single(model.Ops, op => op is MaxPool3DOp or AvgPool3DOp or ConvTranspose3DOp);
        OnnxAssert.Shape(c.Outputs[0], [c.Inputs[0].Dims[0], .. model.Graph.Outputs[0].SampleShape.ToArray().Select(d => (long)d)], name);
        int batch = (int)c.Inputs[0].Dims[0];
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(c.Inputs[0].Floats, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} imported");

        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(c.Inputs[0].Floats, batch, z);
        OnnxAssert.Close(c.Outputs[0], z, $"{name} imported and frozen");
    }

    public static TheoryData<string, SimdWidth> PoolCaseWidths() => ConformanceKernels.CaseWidths(PoolCases);

    /// <summary>The imported pool's window through its kernel at each width.</summary>
    [Theory]
    [MemberData(nameof(PoolCaseWidths))]
    public void ImportedPoolMatchesOnnxAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        var dims = c.Inputs[0].Dims;
        int volumes = (int)(dims[0] * dims[1]);
        var y = new float[c.Outputs[0].ElementCount];
        switch (Assert.Single(model.Ops))
        {
            case MaxPool3DOp max:
                MaxPool3D.Forward(width, max.Window.Pooling((int)dims[2], (int)dims[3], (int)dims[4], max.CeilMode), volumes, c.Inputs[0].Floats, y, []);
                break;
            case AvgPool3DOp average:
                AvgPool3D.Forward(width, average.Window.Pooling((int)dims[2], (int)dims[3], (int)dims[4], average.CeilMode), volumes, c.Inputs[0].Floats, y,
                    average.CountIncludePad);
                break;
            case Op other: Assert.Fail($"{name} imported as {other}"); break;
        }
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");
    }
}
