namespace Simd.Runtime.Data;

/// <summary>Per-feature rescaling fitted on the training data.</summary>
public enum FeatureScaling
{
    None,

    /// <summary>(x − mean) / standard deviation: zero mean, unit variance.</summary>
    Standardize,

    /// <summary>(x − min) / (max − min): the training range onto [0, 1].</summary>
    MinMax,
}
