using System.Globalization;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// One step of an optimizer as a graph op (ONNX's ai.onnx.preview.training Adam, Adagrad and Momentum): the inputs
/// are the learning rate R and the update count T (one value each per sample), then the tensors X₁…Xₙ, their
/// gradients G₁…Gₙ and each state's tensors for all n; the outputs are the updated tensors and states, computed
/// with <see cref="Intrinsics.OptimizerUpdates"/>. An update is a function of its inputs, not of a loss: it has no
/// gradient, and its backward refuses.
/// </summary>
public abstract class OptimizerUpdateOp : Op
{
    protected OptimizerUpdateOp(int tensors)
    {
        if (tensors < 1) throw new ArgumentException($"an optimizer update takes at least one tensor, got {tensors}.");
        TensorCount = tensors;
    }

    /// <summary>n, the tensors updated together.</summary>
    public int TensorCount { get; }

    /// <summary>The state tensors each updated tensor keeps (Adam's V and H; Adagrad's H; Momentum's V).</summary>
    public abstract int StatesPerTensor { get; }

    /// <summary>Sample lengths of X₁…Xₙ, set by <see cref="InferShapes"/>.</summary>
    private protected int[] Lengths { get; private set; } = [];

    public override void WriteAttributes(OpAttributes attributes) => attributes.Set("tensors", TensorCount);

    private protected static int ReadTensorCount(OpAttributes a) => a.GetInt32("tensors", 1, 1 << 16);

    public override TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs)
    {
        int n = TensorCount, groups = 2 + StatesPerTensor;
        OpChecks.Count(this, inputs, 2 + groups * n);
        for (int i = 0; i < 2; i++)
            if (inputs[i].Length != 1)
                throw new ArgumentException($"{Kind}: {(i == 0 ? "the learning rate R" : "the update count T")} has shape {inputs[i]}; expected one value.");
        var outputs = new TensorShape[(1 + StatesPerTensor) * n];
        Lengths = new int[n];
        for (int t = 0; t < n; t++)
        {
            TensorShape x = inputs[2 + t];
            for (int g = 1; g < groups; g++)
            {
                TensorShape other = inputs[2 + g * n + t];
                if (!other.Equals(x))
                    throw new ArgumentException($"{Kind}: tensor {t + 1} has shape {x}, but its {Role(g)} has {other}.");
            }
            Lengths[t] = x.Length;
            for (int o = 0; o <= StatesPerTensor; o++) outputs[o * n + t] = x;
        }
        return outputs;
    }

    /// <summary>Group <paramref name="g"/> of the inputs after R and T: 0 the tensors, 1 the gradients, 2… the states.</summary>
    private protected abstract string Role(int g);

    internal override void Forward(in OpContext context)
    {
        int n = TensorCount;
        ReadOnlySpan<float> rates = context.Input(0), counts = context.Input(1);
        for (int row = 0; row < context.Rows; row++)
        {
            float rate = rates[row], count = counts[row];
            if (!(count >= 0) || count != MathF.Floor(count))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{Kind}: the update count T is {count}; expected a whole number of at least 0."));
            for (int t = 0; t < n; t++)
            {
                int length = Lengths[t], at = row * length;
                // The outputs start as the inputs; the kernels update them in place.
                Span<float> x = context.Output(t).Slice(at, length);
                context.Input(2 + t).Slice(at, length).CopyTo(x);
                for (int s = 0; s < StatesPerTensor; s++)
                    context.Input(2 + (2 + s) * n + t).Slice(at, length).CopyTo(context.Output((1 + s) * n + t).Slice(at, length));
                ReadOnlySpan<float> g = context.Input(2 + n + t).Slice(at, length);
                Update(context, t, at, length, x, g, rate, (long)count);
            }
        }
    }

    /// <summary>Updates tensor <paramref name="t"/> of one sample, <paramref name="x"/> and the state outputs at <paramref name="at"/>, in place.</summary>
    private protected abstract void Update(in OpContext context, int t, int at, int length, Span<float> x, ReadOnlySpan<float> g, float rate, long count);

    /// <summary>State <paramref name="s"/>'s output for tensor <paramref name="t"/> of the sample at <paramref name="at"/>.</summary>
    private protected Span<float> State(in OpContext context, int s, int t, int at, int length) =>
        context.Output((1 + s) * TensorCount + t).Slice(at, length);

    internal override void Backward(in OpContext context) =>
        throw new InvalidOperationException($"{Kind}: an optimizer update is not differentiable; a model with one runs forward only (predict, serve), it cannot be trained through it.");

    private protected static float Finite(OpAttributes a, string name, double fallback)
    {
        // A NaN fallback: the attribute is required.
        double v = double.IsNaN(fallback) ? a.GetDouble(name) : a.GetDouble(name, fallback);
        if (!double.IsFinite(v)) throw a.Bad(name, $"is {v.ToString(CultureInfo.InvariantCulture)}, expected a finite number");
        return (float)v;
    }

    private protected static void RequireFinite(string kind, params (string Name, float Value)[] values)
    {
        foreach (var (name, value) in values)
            if (!float.IsFinite(value)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{kind} {name} must be a finite number, got {value}."));
    }
}
