using System.Runtime.Intrinsics;

namespace Simd.Runtime.Intrinsics;

/// <summary>
/// Batch normalisation over a row-major <c>rows × features</c> batch: statistics per feature (per column).
/// Training forward/backward form a pair; the inference form folds the running statistics into a per-feature
/// scale and shift. Every method has an internal overload taking the <see cref="SimdWidth"/> so tests can run
/// each width in one process.
/// </summary>
public static class BatchNorm
{
    /// <summary>
    /// Batch statistics (mean, biased variance) per feature, then <c>y = gamma·(x − mean)·invStd + beta</c> with
    /// <c>invStd = 1/sqrt(var + epsilon)</c>. <paramref name="y"/> may be the same span as <paramref name="x"/>.
    /// <paramref name="mean"/> and <paramref name="invStd"/> receive the statistics the backward pass needs.
    /// </summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean, Span<float> invStd) =>
        ForwardTraining(Isa.Width, x, rows, features, gamma, beta, epsilon, y, mean, invStd);

    internal static void ForwardTraining(SimdWidth width, ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, float epsilon, Span<float> y, Span<float> mean,
        Span<float> invStd)
    {
        CheckShape(rows, features, minimumRows: 1);
        int n = rows * features;
        CheckLength(x.Length, n, nameof(x), "rows·features");
        CheckLength(y.Length, n, nameof(y), "rows·features");
        CheckLength(gamma.Length, features, nameof(gamma), "features");
        CheckLength(beta.Length, features, nameof(beta), "features");
        CheckLength(mean.Length, features, nameof(mean), "features");
        CheckLength(invStd.Length, features, nameof(invStd), "features");
        CheckAlias(x, y, nameof(x), nameof(y));
        switch (VectorWidth.Fit(width, features))
        {
            case SimdWidth.V512: BatchNormVector.ForwardTraining<Vector512<float>, Float512>(x, rows, features, gamma, beta, epsilon, y, mean, invStd); break;
            case SimdWidth.V256: BatchNormVector.ForwardTraining<Vector256<float>, Float256>(x, rows, features, gamma, beta, epsilon, y, mean, invStd); break;
            case SimdWidth.V128: BatchNormVector.ForwardTraining<Vector128<float>, Float128>(x, rows, features, gamma, beta, epsilon, y, mean, invStd); break;
            default: BatchNormScalar.ForwardTraining(x, rows, features, gamma, beta, epsilon, y, mean, invStd); break;
        }
    }

    /// <summary>
    /// Gradients of <see cref="ForwardTraining(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, float, Span{float}, Span{float}, Span{float})"/>
    /// from its input <paramref name="x"/> and the saved <paramref name="mean"/> and <paramref name="invStd"/>:
    /// <paramref name="dx"/>, <paramref name="dGamma"/> and <paramref name="dBeta"/> are overwritten.
    /// <paramref name="dx"/> may be the same span as <paramref name="dy"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows, int features,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, Span<float> dx,
        Span<float> dGamma, Span<float> dBeta) =>
        Backward(Isa.Width, x, dy, rows, features, gamma, mean, invStd, dx, dGamma, dBeta);

    internal static void Backward(SimdWidth width, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int rows,
        int features, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta)
    {
        CheckShape(rows, features, minimumRows: 1);
        int n = rows * features;
        CheckLength(x.Length, n, nameof(x), "rows·features");
        CheckLength(dy.Length, n, nameof(dy), "rows·features");
        CheckLength(dx.Length, n, nameof(dx), "rows·features");
        CheckLength(gamma.Length, features, nameof(gamma), "features");
        CheckLength(mean.Length, features, nameof(mean), "features");
        CheckLength(invStd.Length, features, nameof(invStd), "features");
        CheckLength(dGamma.Length, features, nameof(dGamma), "features");
        CheckLength(dBeta.Length, features, nameof(dBeta), "features");
        CheckAlias(dy, dx, nameof(dy), nameof(dx));
        CheckDisjoint(x, dx, nameof(x), nameof(dx));
        switch (VectorWidth.Fit(width, features))
        {
            case SimdWidth.V512: BatchNormVector.Backward<Vector512<float>, Float512>(x, dy, rows, features, gamma, mean, invStd, dx, dGamma, dBeta); break;
            case SimdWidth.V256: BatchNormVector.Backward<Vector256<float>, Float256>(x, dy, rows, features, gamma, mean, invStd, dx, dGamma, dBeta); break;
            case SimdWidth.V128: BatchNormVector.Backward<Vector128<float>, Float128>(x, dy, rows, features, gamma, mean, invStd, dx, dGamma, dBeta); break;
            default: BatchNormScalar.Backward(x, dy, rows, features, gamma, mean, invStd, dx, dGamma, dBeta); break;
        }
    }

    /// <summary>
    /// PyTorch's running-statistics update: <c>running = (1 − momentum)·running + momentum·batch</c>, where the
    /// running variance takes the unbiased batch variance <c>var·rows/(rows − 1)</c>, the biased variance being
    /// recovered from the saved <c>invStd</c> as <c>1/invStd² − epsilon</c>. With <paramref name="rows"/> = 1 the
    /// unbiased variance is undefined (PyTorch refuses such a batch in training): the running mean is updated and
    /// the running variance is left unchanged.
    /// </summary>
    public static void UpdateRunningStatistics(Span<float> runningMean, Span<float> runningVariance,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> invStd, float epsilon, float momentum, int rows)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "expected at least 1 row.");
        int features = mean.Length;
        CheckLength(invStd.Length, features, nameof(invStd), "mean.Length");
        CheckLength(runningMean.Length, features, nameof(runningMean), "mean.Length");
        CheckLength(runningVariance.Length, features, nameof(runningVariance), "mean.Length");
        BatchNormScalar.UpdateRunningStatistics(runningMean, runningVariance, mean, invStd, epsilon, momentum, rows);
    }

    /// <summary>
    /// Folds inference statistics into <c>scale = gamma/sqrt(runningVariance + epsilon)</c> and
    /// <c>shift = beta − runningMean·scale</c>, for <see cref="ForwardInference(ReadOnlySpan{float}, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float})"/>.
    /// </summary>
    public static void FoldInference(ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        ReadOnlySpan<float> runningMean, ReadOnlySpan<float> runningVariance, float epsilon, Span<float> scale,
        Span<float> shift)
    {
        int features = gamma.Length;
        CheckLength(beta.Length, features, nameof(beta), "gamma.Length");
        CheckLength(runningMean.Length, features, nameof(runningMean), "gamma.Length");
        CheckLength(runningVariance.Length, features, nameof(runningVariance), "gamma.Length");
        CheckLength(scale.Length, features, nameof(scale), "gamma.Length");
        CheckLength(shift.Length, features, nameof(shift), "gamma.Length");
        BatchNormScalar.FoldInference(gamma, beta, runningMean, runningVariance, epsilon, scale, shift);
    }

    /// <summary><c>y = x·scale + shift</c> per feature. <paramref name="y"/> may be the same span as <paramref name="x"/>.</summary>
    public static void ForwardInference(ReadOnlySpan<float> x, int rows, int features, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> shift, Span<float> y) =>
        ForwardInference(Isa.Width, x, rows, features, scale, shift, y);

    internal static void ForwardInference(SimdWidth width, ReadOnlySpan<float> x, int rows, int features,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        CheckShape(rows, features, minimumRows: 0);
        int n = rows * features;
        CheckLength(x.Length, n, nameof(x), "rows·features");
        CheckLength(y.Length, n, nameof(y), "rows·features");
        CheckLength(scale.Length, features, nameof(scale), "features");
        CheckLength(shift.Length, features, nameof(shift), "features");
        CheckAlias(x, y, nameof(x), nameof(y));
        switch (VectorWidth.Fit(width, features))
        {
            case SimdWidth.V512: BatchNormVector.ForwardInference<Vector512<float>, Float512>(x, rows, features, scale, shift, y); break;
            case SimdWidth.V256: BatchNormVector.ForwardInference<Vector256<float>, Float256>(x, rows, features, scale, shift, y); break;
            case SimdWidth.V128: BatchNormVector.ForwardInference<Vector128<float>, Float128>(x, rows, features, scale, shift, y); break;
            default: BatchNormScalar.ForwardInference(x, rows, features, scale, shift, y); break;
        }
    }

    private static void CheckShape(int rows, int features, int minimumRows)
    {
        if (rows < minimumRows)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, $"expected at least {minimumRows} row(s).");
        if (features < 0)
            throw new ArgumentOutOfRangeException(nameof(features), features, "expected a non-negative count.");
        if ((long)rows * features > int.MaxValue)
            throw new ArgumentException($"rows·features = {(long)rows * features} exceeds a span's length.", nameof(rows));
    }

    /// <summary>An output may be its input or apart from it; a shifted overlap would read rows already written.</summary>
    private static void CheckAlias(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"{outputName} overlaps {inputName} at offset {offset}; expected the same span or disjoint spans.", outputName);
    }

    private static void CheckDisjoint(ReadOnlySpan<float> input, ReadOnlySpan<float> output, string inputName, string outputName)
    {
        if (input.Overlaps(output))
            throw new ArgumentException($"{outputName} overlaps {inputName}; expected disjoint spans.", outputName);
    }

    private static void CheckLength(int actual, int expected, string name, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has {actual} elements; expected {what} = {expected}.", name);
    }
}
