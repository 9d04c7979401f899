using Simd.Runtime.Data;
using Simd.Runtime.GradientChecking;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;

namespace Simd.Models.Experiments;

internal sealed partial class TipsExperiment
{
    /// <summary>The broken backward pass multiplies tanh's derivative by this.</summary>
    public const float BrokenFactor = 2f;

    /// <summary>
    /// Dense → tanh → Dense, where the tanh is a custom layer written here, between two runtime models: its forward
    /// is tanh, its backward multiplies the incoming gradient by <c>factor · (1 − tanh²)</c>, so factor 1 is correct
    /// and anything else is the kind of bug a hand-written backward pass has. The runtime's Dense layers and loss
    /// do the rest; the gradient checker compares every parameter's back-propagated gradient with central differences.
    /// </summary>
    private sealed class WrappedTanhNetwork : IDisposable
    {
        private const int Rows = 4, Hidden = 8;
        private readonly Model _first;
        private readonly Model _second;
        private readonly float _factor;
        private readonly float[] _inputs;
        private readonly int[] _labels;
        private readonly float[] _hidden = new float[Rows * Hidden];
        private readonly SoftmaxCrossEntropyLoss _loss = new();

        public WrappedTanhNetwork(Dataset data, float factor)
        {
            _factor = factor;
            _first = new ModelBuilder(data.FeatureCount).Dense(Hidden).Build(seed: 13, maxBatch: Rows);
            _second = new ModelBuilder(Hidden).Dense(data.ClassCount).Build(seed: 14, maxBatch: Rows);
            _second.ComputeInputGradient = true;
            _inputs = data.Features.AsSpan(0, Rows * data.FeatureCount).ToArray();
            _labels = data.Labels!.AsSpan(0, Rows).ToArray();
        }

        public GradientCheckResult Check()
        {
            Loss(withGradient: true);
            GradientTarget Target(string name, Model model) => new(name, model.Parameters.ParameterLength,
                j => model.Parameters.Parameters[j], (j, v) => model.Parameters.Parameters[j] = (float)v, model.Parameters.Gradients.ToArray());
            // A long first layer (Fashion-MNIST's 784 inputs) is checked at evenly spaced elements.
            return GradientChecker.CheckFunction([Target("first Dense", _first), Target("second Dense", _second)], () => Loss(withGradient: false), maxPerTarget: 400);
        }

        private double Loss(bool withGradient)
        {
            var z = _first.Forward(_inputs, Rows, training: true);
            for (int i = 0; i < _hidden.Length; i++) _hidden[i] = MathF.Tanh(z[i]);
            var output = _second.Forward(_hidden, Rows, training: true);
            double loss = _loss.Compute(output, Rows, _second.OutputSize, _labels, default, withGradient ? _second.OutputGradient(Rows) : default);
            if (!withGradient) return loss;
            _second.Backward(Rows);
            var dh = _second.InputGradient(Rows);
            var dz = _first.OutputGradient(Rows);
            for (int i = 0; i < _hidden.Length; i++) dz[i] = dh[i] * _factor * (1 - _hidden[i] * _hidden[i]);
            _first.Backward(Rows);
            return loss;
        }

        public void Dispose()
        {
            _first.Dispose();
            _second.Dispose();
        }
    }
}
