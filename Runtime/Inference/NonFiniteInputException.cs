namespace Simd.Runtime.Inference;

/// <summary>An input held NaN or ±∞ while <see cref="NonFiniteInput.Reject"/> was set.</summary>
public sealed class NonFiniteInputException : ArgumentException
{
    internal NonFiniteInputException(int sample, int feature, float value, string paramName)
        : base($"Input sample {sample}, feature {feature} is {value}; expected a finite value (NonFiniteInput.Reject is set).", paramName)
    {
        Sample = sample;
        Feature = feature;
        Value = value;
    }

    /// <summary>Row of the batch, from 0.</summary>
    public int Sample { get; }

    /// <summary>Feature within the row, from 0.</summary>
    public int Feature { get; }

    public float Value { get; }
}
