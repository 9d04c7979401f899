using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Tests.Onnx;

using BN = Simd.Runtime.Intrinsics.BatchNorm;

/// <summary>
/// The importer's Conv, pooling and BatchNormalization mappings on ONNX's own node cases. Each case's weights
/// (graph inputs in the case) become initializers (<see cref="ConstantInputs"/>), its first input is fed to the
/// imported model and to that model frozen, and the outputs must match the case's expected output and shape. The
/// model runs at the process's width (<c>SIMD_WIDTH</c> forces one); the convolution, BatchNorm and global-pool
/// kernels of the imported ops also run here at every width. MaxPool2D and AvgPool2D are scalar loops, the same at
/// every width.
/// </summary>
[Trait("Category", "Conformance")]
public class CnnImporterConformanceTests
{
    private static readonly string[] ConvCases =
    [
        "test_basic_conv_with_padding", "test_conv_with_strides_and_asymmetric_padding", "test_conv_with_strides_no_padding",
        "test_conv_with_strides_padding",
    ];

    private static readonly string[] PoolCases =
    [
        "test_averagepool_1d_default", "test_averagepool_2d_ceil_last_window_starts_on_pad", "test_averagepool_2d_dilations",
        "test_averagepool_2d_pads", "test_averagepool_2d_pads_count_include_pad", "test_averagepool_2d_precomputed_pads",
        "test_averagepool_2d_precomputed_pads_count_include_pad", "test_averagepool_2d_precomputed_same_upper",
        "test_averagepool_2d_precomputed_strides", "test_averagepool_2d_same_lower", "test_averagepool_2d_same_upper",
        "test_averagepool_2d_strides",
        "test_maxpool_1d_default", "test_maxpool_2d_ceil", "test_maxpool_2d_ceil_output_size_reduce_by_one", "test_maxpool_2d_default",
        "test_maxpool_2d_dilations", "test_maxpool_2d_precomputed_same_upper", "test_maxpool_2d_precomputed_strides",
        "test_maxpool_2d_same_upper", "test_maxpool_2d_strides",
    ];

    private static readonly string[] GlobalPoolCases = ["test_globalaveragepool_precomputed", "test_globalmaxpool_precomputed"];

    private static readonly string[] BatchNormCases = ["test_batchnorm_example", "test_batchnorm_epsilon"];

    /// <summary>
    /// The one case whose expected output is written by hand to four decimals (0.1511 for the mean 1.3595 / 9 =
    /// 0.151056 of its first window): held to ONNX's own runner bound, rtol 1e-3, which that rounding needs.
    /// </summary>
    private const string RoundedCase = "test_averagepool_2d_ceil_last_window_starts_on_pad";

    public static TheoryData<string> Cases() => [.. ConvCases, .. PoolCases, .. GlobalPoolCases, .. BatchNormCases];

    [Theory]
    [MemberData(nameof(Cases))]
    public void ImportedCaseMatchesOnnx(string name)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        OnnxAssert.Shape(c.Outputs[0], [c.Inputs[0].Dims[0], .. model.Graph.Outputs[0].SampleShape.ToArray().Select(d => (long)d)], name);
        int batch = (int)c.Inputs[0].Dims[0];
        var y = new float[c.Outputs[0].ElementCount];
        model.Predict(c.Inputs[0].Floats, y);
        double rtol = name == RoundedCase ? 1e-3 : OnnxAssert.Rtol;
        OnnxAssert.Close(c.Outputs[0], y, $"{name} imported", rtol);

        using var frozen = InferenceModel.Freeze(model);
        var z = new float[y.Length];
        frozen.Predict(c.Inputs[0].Floats, batch, z);
        OnnxAssert.Close(c.Outputs[0], z, $"{name} imported and frozen", rtol);
    }

    public static TheoryData<string, SimdWidth> ConvCaseWidths() => ConformanceKernels.CaseWidths(ConvCases);

    /// <summary>The imported Conv2DOp's geometry and weights through the convolution kernel at each width.</summary>
    [Theory]
    [MemberData(nameof(ConvCaseWidths))]
    public void ImportedConvolutionMatchesOnnxAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        Conv2DOp conv = Assert.Single(model.Ops.OfType<Conv2DOp>());
        var y = new float[c.Outputs[0].ElementCount];
        ConformanceKernels.Conv2DForward(width, conv.Geometry, (int)c.Inputs[0].Dims[0], c.Inputs[0].Floats, conv.Weights, conv.Bias, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");
    }

    public static TheoryData<string, SimdWidth> BatchNormCaseWidths() => ConformanceKernels.CaseWidths(BatchNormCases);

    /// <summary>The imported BatchNormOp's statistics, folded as evaluation folds them, through the NCHW kernel at each width.</summary>
    [Theory]
    [MemberData(nameof(BatchNormCaseWidths))]
    public void ImportedBatchNormMatchesOnnxAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        BatchNormOp bn = Assert.Single(model.Ops.OfType<BatchNormOp>());
        var scale = new float[bn.Features];
        var shift = new float[bn.Features];
        BN.FoldInference(bn.Gamma, bn.Beta, bn.RunningMean, bn.RunningVariance, bn.Epsilon, scale, shift);
        var y = new float[c.Outputs[0].ElementCount];
        ConformanceKernels.BatchNorm2DInference(width, c.Inputs[0].Floats, (int)c.Inputs[0].Dims[0], bn.Features, bn.Plane, scale, shift, y);
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");
    }

    public static TheoryData<string, SimdWidth> GlobalPoolCaseWidths() => ConformanceKernels.CaseWidths(GlobalPoolCases);

    [Theory]
    [MemberData(nameof(GlobalPoolCaseWidths))]
    public void ImportedGlobalPoolMatchesOnnxAtEveryWidth(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        using Model model = OnnxImporter.Import(ConstantInputs.Model(c)).Model;
        var dims = c.Inputs[0].Dims;
        int planes = (int)(dims[0] * dims[1]), plane = (int)(dims[2] * dims[3]);
        var y = new float[c.Outputs[0].ElementCount];
        switch (Assert.Single(model.Ops))
        {
            case GlobalAveragePoolOp: ConformanceKernels.GlobalAveragePool(width, planes, plane, c.Inputs[0].Floats, y); break;
            case GlobalMaxPoolOp: ConformanceKernels.GlobalMaxPool(width, planes, plane, c.Inputs[0].Floats, y); break;
            case Op other: Assert.Fail($"{name} imported as {other}"); break;
        }
        OnnxAssert.Close(c.Outputs[0], y, $"{name} {width}");
    }

    /// <summary>
    /// Cases the import with a batch axis refuses by the node's own check, naming the attribute (the conformance
    /// runner imports the training-mode case as one sample instead).
    /// </summary>
    public static TheoryData<string, string> RefusedCases() => new()
    {
        { "test_batchnorm_epsilon_training_mode", "attribute 'training_mode' is 1" },
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public void CaseWithoutAnOpOfOursIsRefused(string name, string detail)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxImportException e = Assert.Throws<OnnxImportException>(() => OnnxImporter.Import(ConstantInputs.Model(c)));
        Assert.Equal(c.Node.OpType, e.OpType);
        Assert.Contains(detail, e.Message);
    }
}
