using Simd.Runtime.Intrinsics;
using Simd.Runtime.Onnx;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The ai.onnx.preview.training optimizer cases (one update step) against <see cref="OptimizerUpdates"/>. Inputs
/// are R (learning rate), T (update count before this one), then the tensors X…, G…, and the state tensors.
/// </summary>
[Trait("Category", "Conformance")]
public class OptimizerConformanceTests
{
    public static TheoryData<string, SimdWidth> MomentumCases() => ConformanceKernels.CaseWidths("test_momentum_multiple", "test_nesterov_momentum");

    public static TheoryData<string, SimdWidth> AdamCases() => ConformanceKernels.CaseWidths("test_adam");

    /// <summary>
    /// ONNX Momentum: g' = norm_coefficient·X + G; V = alpha·V + beta'·g' with beta' = (T &gt; 0 ? beta : 1);
    /// X −= R·V (standard) or X −= R·(g' + alpha·V) (nesterov). That is our SGD with momentum = alpha,
    /// dampening = 1 − beta', weight decay = norm_coefficient, never the first-step shortcut (V is an input).
    /// </summary>
    [Theory]
    [MemberData(nameof(MomentumCases))]
    public void MomentumMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal("Momentum", node.OpType);
        Assert.Equal("ai.onnx.preview.training", node.Domain);
        float alpha = node.Float("alpha", 0), beta = node.Float("beta", 0), decay = node.Float("norm_coefficient", 0);
        string mode = node.String("mode", "standard");
        Assert.True(mode is "standard" or "nesterov", $"{name}: unknown mode '{mode}'");
        float r = c.Inputs[0].Floats[0];
        long t = c.Inputs[1].Int64s[0];
        float dampening = t > 0 ? 1 - beta : 0;
        int tensors = (c.Inputs.Length - 2) / 3;
        Assert.Equal(2 * tensors, c.Outputs.Length);
        for (int i = 0; i < tensors; i++)
        {
            float[] x = c.Inputs[2 + i].Floats.ToArray(), v = c.Inputs[2 + 2 * tensors + i].Floats.ToArray();
            ConformanceKernels.Sgd(width, x, c.Inputs[2 + tensors + i].Floats, v, r, alpha, dampening, decay, mode == "nesterov");
            OnnxAssert.Close(c.Outputs[i], x, $"{name} {width} X{i + 1}");
            OnnxAssert.Close(c.Outputs[tensors + i], v, $"{name} {width} V{i + 1}");
        }
    }

    /// <summary>
    /// ONNX Adam: g' = norm_coefficient·X + G; V = alpha·V + (1 − alpha)·g'; H = beta·H + (1 − beta)·g'²;
    /// X −= R·sqrt(1 − beta^T)/(1 − alpha^T) · V/(sqrt(H) + epsilon); X ·= 1 − norm_coefficient_post.
    /// Dividing through by sqrt(1 − beta^T) gives ours (torch's) with step = T and epsilon' = epsilon/sqrt(1 − beta^T).
    /// At T = 0 ONNX skips the bias correction, which ours always applies: step 1 with the learning rate
    /// R·(1 − alpha)/sqrt(1 − beta) and epsilon' = epsilon/sqrt(1 − beta) cancels it exactly (in real arithmetic).
    /// The post-update decay is applied here when non-zero, as our kernel has no such term.
    /// </summary>
    [Theory]
    [MemberData(nameof(AdamCases))]
    public void AdamMatchesOnnx(string name, SimdWidth width)
    {
        ConformanceCase c = ConformanceCase.Load(name);
        OnnxNode node = c.Node;
        Assert.Equal("Adam", node.OpType);
        float alpha = node.Float("alpha", 0.9f), beta = node.Float("beta", 0.999f), epsilon = node.Float("epsilon", 1e-6f);
        float decay = node.Float("norm_coefficient", 0), post = node.Float("norm_coefficient_post", 0);
        float r = c.Inputs[0].Floats[0];
        long t = c.Inputs[1].Int64s[0];
        Assert.True(t >= 0, $"{name}: T = {t}; expected a non-negative update count.");
        long step = Math.Max(t, 1);
        double correction2 = Math.Sqrt(1 - Math.Pow(beta, step));
        float epsilonOurs = (float)(epsilon / correction2);
        float rateOurs = t > 0 ? r : (float)(r * (1 - Math.Pow(alpha, step)) / correction2);
        int tensors = (c.Inputs.Length - 2) / 4;
        for (int i = 0; i < tensors; i++)
        {
            float[] x = c.Inputs[2 + i].Floats.ToArray();
            float[] v = c.Inputs[2 + 2 * tensors + i].Floats.ToArray(), h = c.Inputs[2 + 3 * tensors + i].Floats.ToArray();
            ConformanceKernels.Adam(width, x, c.Inputs[2 + tensors + i].Floats, v, h, rateOurs, alpha, beta, epsilonOurs, decay, step);
            if (post != 0)
                for (int j = 0; j < x.Length; j++) x[j] *= 1 - post;
            OnnxAssert.Close(c.Outputs[i], x, $"{name} {width} X{i + 1}");
            OnnxAssert.Close(c.Outputs[tensors + i], v, $"{name} {width} V{i + 1}");
            OnnxAssert.Close(c.Outputs[2 * tensors + i], h, $"{name} {width} H{i + 1}");
        }
    }
}
