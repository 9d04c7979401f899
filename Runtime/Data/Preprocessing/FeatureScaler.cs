namespace Simd.Runtime.Data;

/// <summary>
/// A per-feature affine map x' = (x − Offset[j]) × Scale[j], fitted on a training set and applied unchanged to
/// validation, test and prediction inputs so that none of them leaks into the statistics.
/// </summary>
public sealed class FeatureScaler
{
    public FeatureScaler(FeatureScaling kind, float[] offset, float[] scale)
    {
        ArgumentNullException.ThrowIfNull(offset);
        ArgumentNullException.ThrowIfNull(scale);
        if (offset.Length != scale.Length || offset.Length == 0)
            throw new ArgumentException($"Offset has {offset.Length} values and scale {scale.Length}; both need one per feature (at least one).");
        Kind = kind;
        Offset = offset;
        Scale = scale;
    }

    public FeatureScaling Kind { get; }

    public float[] Offset { get; }

    public float[] Scale { get; }

    public int FeatureCount => Offset.Length;

    /// <summary>Fits the map on <paramref name="train"/>; <see cref="FeatureScaling.None"/> gives the identity.</summary>
    public static FeatureScaler Fit(Dataset train, FeatureScaling kind)
    {
        ArgumentNullException.ThrowIfNull(train);
        int features = train.FeatureCount;
        var offset = new float[features];
        var scale = new float[features];
        scale.AsSpan().Fill(1f);
        if (kind == FeatureScaling.None || train.Count == 0) return new FeatureScaler(kind, offset, scale);

        // Statistics in double: float sums over tens of thousands of samples lose digits the scaled data would keep.
        var a = new double[features];
        var b = new double[features];
        if (kind == FeatureScaling.MinMax)
        {
            a.AsSpan().Fill(double.PositiveInfinity);
            b.AsSpan().Fill(double.NegativeInfinity);
        }
        for (int i = 0; i < train.Count; i++)
        {
            ReadOnlySpan<float> x = train.Sample(i);
            for (int j = 0; j < features; j++)
            {
                if (kind == FeatureScaling.Standardize) a[j] += x[j];
                else
                {
                    a[j] = Math.Min(a[j], x[j]);
                    b[j] = Math.Max(b[j], x[j]);
                }
            }
        }
        if (kind == FeatureScaling.Standardize)
        {
            for (int j = 0; j < features; j++) a[j] /= train.Count;
            for (int i = 0; i < train.Count; i++)
            {
                ReadOnlySpan<float> x = train.Sample(i);
                for (int j = 0; j < features; j++)
                {
                    double d = x[j] - a[j];
                    b[j] += d * d;
                }
            }
        }
        for (int j = 0; j < features; j++)
        {
            double spread = kind == FeatureScaling.Standardize ? Math.Sqrt(b[j] / train.Count) : b[j] - a[j];
            offset[j] = (float)a[j];
            // A feature constant over the training set carries no information; it is only shifted, never divided by ~0.
            scale[j] = spread > 1e-12 ? (float)(1.0 / spread) : 1f;
        }
        return new FeatureScaler(kind, offset, scale);
    }

    /// <summary>Rescales the features of <paramref name="dataset"/> in place.</summary>
    public void Transform(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (dataset.FeatureCount != FeatureCount)
            throw new ArgumentException($"Dataset '{dataset.Name}' has {dataset.FeatureCount} features, the scaler was fitted on {FeatureCount}.", nameof(dataset));
        Transform(dataset.Features);
    }

    /// <summary>Rescales row-major samples of <see cref="FeatureCount"/> features in place.</summary>
    public void Transform(Span<float> samples)
    {
        if (samples.Length % FeatureCount != 0)
            throw new ArgumentException($"{samples.Length} values are not whole samples of {FeatureCount} features.", nameof(samples));
        if (Kind == FeatureScaling.None) return;
        for (int row = 0; row < samples.Length; row += FeatureCount)
        {
            Span<float> x = samples.Slice(row, FeatureCount);
            for (int j = 0; j < x.Length; j++) x[j] = (x[j] - Offset[j]) * Scale[j];
        }
    }
}
