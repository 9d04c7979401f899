using Simd.Runtime.Initializers;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;

namespace Simd.Runtime.GradientChecking;

/// <summary>Outcome of a gradient check: the worst disagreement between analytic and numeric gradients.</summary>
public readonly record struct GradientCheckResult(
    bool Passed, int Checked, string WorstWhere, int WorstIndex, double WorstAnalytic, double WorstNumeric, double MaxAbsoluteError, double WorstRatio)
{
    public override string ToString() =>
        $"{(Passed ? "passed" : "FAILED")}: {Checked} checked; worst {WorstWhere}[{WorstIndex}] analytic {WorstAnalytic:G9} numeric {WorstNumeric:G9} " +
        $"(|error| {Math.Abs(WorstAnalytic - WorstNumeric):G3}, {WorstRatio:G3} of its tolerance); max |error| {MaxAbsoluteError:G3}";
}

/// <summary>
/// Compares back-propagated gradients with central differences, (L(x + h) − L(x − h)) / (x₊ − x₋), evaluated in
/// double from the exact float values x± actually took. A gradient passes where
/// |analytic − numeric| ≤ absoluteTolerance + relativeTolerance · max(|analytic|, |numeric|).
/// Training mode is used throughout (batch statistics; the dropout stream is rewound before every evaluation,
/// so every evaluation sees the same mask).
/// </summary>
public static class GradientChecker
{
    /// <summary>Checks every parameter of the model and, when <paramref name="includeInputs"/>, every input.</summary>
    public static GradientCheckResult CheckModel(Model model, Loss loss, ReadOnlySpan<float> inputs, int rows, ReadOnlySpan<int> labels,
        ReadOnlySpan<float> targets, double step = 1e-2, double absoluteTolerance = 1e-4, double relativeTolerance = 1e-2, bool includeInputs = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(loss);
        model.CheckBatch(inputs.Length, rows, model.InputSize, "input");
        var input = inputs.ToArray();
        var labelArray = labels.ToArray();
        var targetArray = targets.ToArray();
        Span<ulong> rngState = stackalloc ulong[DeterministicRandom.StateLength];
        model.DropoutRandom.GetState(rngState);
        var savedState = rngState.ToArray();

        double Evaluate(bool withGradient)
        {
            model.DropoutRandom.SetState(savedState);
            var output = model.Forward(input, rows, training: true);
            var gradient = withGradient ? model.OutputGradient(rows) : default;
            return loss.Compute(output, rows, model.OutputSize, labelArray, targetArray, gradient);
        }

        bool computeInput = model.ComputeInputGradient;
        model.ComputeInputGradient = includeInputs;
        try
        {
            Evaluate(withGradient: true);
            model.Backward(rows);
            float[] parameterGradients = model.Parameters.Gradients.ToArray();
            float[] inputGradients = includeInputs ? model.InputGradient(rows).ToArray() : [];

            var tracker = new Tracker(absoluteTolerance, relativeTolerance);
            int length = model.Parameters.ParameterLength;
            for (int i = 0; i < length; i++)
            {
                double numeric = Central(i, step, j => model.Parameters.Parameters[j], (j, v) => model.Parameters.Parameters[j] = v, () => Evaluate(false));
                tracker.Add("parameter", i, parameterGradients[i], numeric);
            }
            for (int i = 0; i < inputGradients.Length; i++)
            {
                double numeric = Central(i, step, j => input[j], (j, v) => input[j] = v, () => Evaluate(false));
                tracker.Add("input", i, inputGradients[i], numeric);
            }
            return tracker.Result();
        }
        finally
        {
            model.ComputeInputGradient = computeInput;
            model.DropoutRandom.SetState(savedState);
        }
    }

    /// <summary>Checks a loss's gradient with respect to the model output it scores.</summary>
    public static GradientCheckResult CheckLoss(Loss loss, ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets,
        double step = 1e-3, double absoluteTolerance = 1e-5, double relativeTolerance = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var x = output.ToArray();
        var labelArray = labels.ToArray();
        var targetArray = targets.ToArray();
        var analytic = new float[x.Length];
        loss.Compute(x, rows, cols, labelArray, targetArray, analytic);
        var tracker = new Tracker(absoluteTolerance, relativeTolerance);
        for (int i = 0; i < x.Length; i++)
        {
            double numeric = Central(i, step, j => x[j], (j, v) => x[j] = v, () => loss.Compute(x, rows, cols, labelArray, targetArray, default));
            tracker.Add("output", i, analytic[i], numeric);
        }
        return tracker.Result();
    }

    private static double Central(int index, double step, Func<int, float> get, Action<int, float> set, Func<double> evaluate)
    {
        float original = get(index);
        float plus = (float)(original + step), minus = (float)(original - step);
        set(index, plus);
        double up = evaluate();
        set(index, minus);
        double down = evaluate();
        set(index, original);
        return (up - down) / ((double)plus - minus);
    }

    private sealed class Tracker(double absoluteTolerance, double relativeTolerance)
    {
        private int _count, _worstIndex = -1;
        private string _worstWhere = "none";
        private double _worstRatio, _maxAbsolute, _worstAnalytic, _worstNumeric;

        public void Add(string where, int index, double analytic, double numeric)
        {
            _count++;
            double error = Math.Abs(analytic - numeric);
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            double ratio = error / (absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
            _maxAbsolute = Math.Max(_maxAbsolute, error);
            if (ratio > _worstRatio || _worstIndex < 0)
            {
                (_worstRatio, _worstWhere, _worstIndex, _worstAnalytic, _worstNumeric) = (ratio, where, index, analytic, numeric);
            }
        }

        public GradientCheckResult Result() =>
            new(_worstRatio <= 1.0, _count, _worstWhere, _worstIndex, _worstAnalytic, _worstNumeric, _maxAbsolute, _worstRatio);
    }
}
