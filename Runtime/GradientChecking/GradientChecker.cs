using Simd.Runtime.Initializers;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;

namespace Simd.Runtime.GradientChecking;

/// <summary>Outcome of a gradient check: the worst disagreement between analytic and numeric gradients.</summary>
public readonly record struct GradientCheckResult(
    bool Passed, int Checked, string WorstWhere, int WorstIndex, double WorstAnalytic, double WorstNumeric, double MaxAbsoluteError, double WorstRatio,
    int Skipped = 0)
{
    public override string ToString() =>
        $"{(Passed ? "passed" : "FAILED")}: {Checked} checked{(Skipped > 0 ? $" ({Skipped} at kinks skipped)" : "")}; worst {WorstWhere}[{WorstIndex}] " +
        $"analytic {WorstAnalytic:G9} numeric {WorstNumeric:G9} " +
        $"(|error| {Math.Abs(WorstAnalytic - WorstNumeric):G3}, {WorstRatio:G3} of its tolerance); max |error| {MaxAbsoluteError:G3}";
}

/// <summary>
/// One array a scalar function depends on, for <see cref="GradientChecker.CheckFunction"/>: how to read and write
/// element i (a float array rounds what it is given: the difference is taken over the values read back), and the
/// back-propagated gradient to check.
/// </summary>
public sealed record GradientTarget(string Name, int Length, Func<int, double> Get, Action<int, double> Set, float[] Analytic);

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
        Model.CheckBatch(inputs.Length, rows, model.InputSize, "input");
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
            var checks = new List<GradientTarget>
            {
                new("parameter", model.Parameters.ParameterLength, j => model.Parameters.Parameters[j], (j, v) => model.Parameters.Parameters[j] = (float)v,
                    model.Parameters.Gradients.ToArray()),
            };
            if (includeInputs) checks.Add(new("input", input.Length, j => input[j], (j, v) => input[j] = (float)v, model.InputGradient(rows).ToArray()));
            return CheckFunction(checks, () => Evaluate(false), step, absoluteTolerance, relativeTolerance);
        }
        finally
        {
            model.ComputeInputGradient = computeInput;
            model.DropoutRandom.SetState(savedState);
        }
    }

    /// <summary>
    /// Checks the analytic gradients of any scalar function (<paramref name="evaluate"/>, which reads the targets'
    /// current values) against central differences: an op on its own, a whole graph. With
    /// <paramref name="maxPerTarget"/> a long target is checked at that many evenly spaced elements. With
    /// <paramref name="skipKinks"/>, an element where the two one-sided differences disagree by more than twice the
    /// tolerance (a ReLU or max kink inside ±step, where no difference quotient means anything) is skipped and
    /// counted in <see cref="GradientCheckResult.Skipped"/>.
    /// </summary>
    public static GradientCheckResult CheckFunction(IEnumerable<GradientTarget> targets, Func<double> evaluate, double step = 1e-2,
        double absoluteTolerance = 1e-4, double relativeTolerance = 1e-2, int maxPerTarget = int.MaxValue, bool skipKinks = false)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(evaluate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerTarget);
        var tracker = new Tracker(absoluteTolerance, relativeTolerance);
        double centre = skipKinks ? evaluate() : double.NaN;
        foreach (var target in targets)
        {
            int count = Math.Min(target.Length, maxPerTarget);
            for (int k = 0; k < count; k++)
            {
                int i = count == target.Length ? k : (int)((long)k * (target.Length - 1) / Math.Max(1, count - 1));
                var (numeric, kink) = Central(i, step, target.Get, target.Set, evaluate, centre, absoluteTolerance, relativeTolerance);
                if (kink) tracker.Skip();
                else tracker.Add(target.Name, i, target.Analytic[i], numeric);
            }
        }
        return tracker.Result();
    }

    /// <summary>Checks a loss's gradient with respect to the model output it scores.</summary>
    public static GradientCheckResult CheckLoss(Loss loss, ReadOnlySpan<float> output, int rows, int cols, ReadOnlySpan<int> labels, ReadOnlySpan<float> targets,
        double step = 1e-2, double absoluteTolerance = 1e-5, double relativeTolerance = 1e-3)
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
            double numeric = Central(i, step, j => x[j], (j, v) => x[j] = (float)v, () => loss.Compute(x, rows, cols, labelArray, targetArray, default),
                double.NaN, absoluteTolerance, relativeTolerance).Numeric;
            tracker.Add("output", i, analytic[i], numeric);
        }
        return tracker.Result();
    }

    /// <summary>The central difference at one element; a kink when <paramref name="centre"/> (L at the original values) is given and the one-sided differences disagree by more than twice the tolerance.</summary>
    private static (double Numeric, bool Kink) Central(int index, double step, Func<int, double> get, Action<int, double> set, Func<double> evaluate,
        double centre, double absoluteTolerance, double relativeTolerance)
    {
        double original = get(index);
        set(index, original + step);
        double plus = get(index);
        double up = evaluate();
        set(index, original - step);
        double minus = get(index);
        double down = evaluate();
        set(index, original);
        double numeric = (up - down) / (plus - minus);
        if (double.IsNaN(centre)) return (numeric, false);
        double right = (up - centre) / (plus - original), left = (centre - down) / (original - minus);
        // Past a kink at distance t < step the central difference is off by half of right − left: past twice the
        // tolerance, the element would fail for a reason that is no error of the gradient.
        bool kink = Math.Abs(right - left) > 2 * (absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(right), Math.Abs(left)));
        return (numeric, kink);
    }

    private sealed class Tracker(double absoluteTolerance, double relativeTolerance)
    {
        private int _count, _skipped, _worstIndex = -1;
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

        public void Skip() => _skipped++;

        public GradientCheckResult Result() =>
            new(_worstRatio <= 1.0, _count, _worstWhere, _worstIndex, _worstAnalytic, _worstNumeric, _maxAbsolute, _worstRatio, _skipped);
    }
}
