using Simd.Runtime.Layers;
using Simd.Runtime.Models;

namespace Simd.Runtime.Inference;

/// <summary>Reads a training model's layers into an <see cref="InferencePlan"/>, copying every weight.</summary>
internal static class InferencePlanFromModel
{
    public static InferencePlan Create(Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var steps = new InferenceStep[model.Layers.Count];
        for (int i = 0; i < steps.Length; i++)
        {
            steps[i] = model.Layers[i] switch
            {
                DenseLayer d => new DenseStep(d.Inputs, d.Outputs, d.Weights.ToArray(), d.Bias.ToArray(), d.Activation, d.ActivationAlpha),
                BatchNormLayer bn => new BatchNormStep(bn.Features, bn.Gamma.ToArray(), bn.Beta.ToArray(),
                    bn.RunningMean.ToArray(), bn.RunningVariance.ToArray(), bn.Epsilon),
                ActivationLayer a => new ActivationStep(a.Kind, a.Alpha),
                DropoutLayer dropout => new IdentityStep($"Dropout({dropout.Rate})"),
                FlattenLayer => new IdentityStep("Flatten"),
                var other => throw new NotSupportedException($"Layer {i} ({other}) has no inference form."),
            };
        }
        return new InferencePlan(model.InputSize, steps);
    }
}
