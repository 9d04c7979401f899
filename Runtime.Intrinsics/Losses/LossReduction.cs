namespace Simd.Runtime.Intrinsics;

/// <summary>How a loss over labelled elements is reduced (ONNX's <c>reduction</c> attribute).</summary>
public enum LossReduction
{
    /// <summary>One loss per labelled element.</summary>
    None,

    /// <summary>The sum of the elements' losses.</summary>
    Sum,

    /// <summary>The sum of the elements' losses over the sum of their weights (1 each without class weights), ignored elements left out of both.</summary>
    Mean,
}
