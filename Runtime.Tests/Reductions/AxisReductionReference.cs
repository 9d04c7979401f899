using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests;

/// <summary>Axis reductions in double by their definitions: each element of x goes to the group of its output element.</summary>
internal static class AxisReductionReference
{
    /// <summary>For each element of x (row-major over dims), the index of the output element it reduces into.</summary>
    public static int[] OutputIndex(int[] dims, bool[] reduced)
    {
        int n = dims.Aggregate(1, (a, d) => a * d);
        var target = new int[n];
        var index = new int[dims.Length];
        for (int i = 0; i < n; i++)
        {
            int rest = i;
            for (int k = dims.Length - 1; k >= 0; k--) { index[k] = rest % dims[k]; rest /= dims[k]; }
            int o = 0;
            for (int k = 0; k < dims.Length; k++)
                if (!reduced[k]) o = o * dims[k] + index[k];
            target[i] = o;
        }
        return target;
    }

    public static int OutputLength(int[] dims, bool[] reduced)
    {
        int m = 1;
        for (int k = 0; k < dims.Length; k++)
            if (!reduced[k]) m *= dims[k];
        return m;
    }

    public static double[] Forward(ReduceFunction f, double[] x, int[] dims, bool[] reduced)
    {
        int[] target = OutputIndex(dims, reduced);
        var groups = Groups(x, target, OutputLength(dims, reduced));
        return [.. groups.Select(g => Reduce(f, g))];
    }

    public static double[] Backward(ReduceFunction f, double[] x, double[] dy, int[] dims, bool[] reduced)
    {
        int[] target = OutputIndex(dims, reduced);
        var groups = Groups(x, target, dy.Length);
        double[] y = [.. groups.Select(g => Reduce(f, g))];
        var dx = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int o = target[i];
            double v = x[i], r = y[o], g = dy[o];
            List<double> group = groups[o];
            dx[i] = f switch
            {
                ReduceFunction.Sum => g,
                ReduceFunction.Mean => g / group.Count,
                ReduceFunction.SumSquare => 2 * v * g,
                ReduceFunction.L1 => v > 0 ? g : v < 0 ? -g : 0,
                ReduceFunction.L2 => r == 0 ? 0 : v * g / r,
                ReduceFunction.LogSumExp => Math.Exp(v - r) * g,
                ReduceFunction.Max or ReduceFunction.Min => Tie(v, r) ? g / group.Count(u => Tie(u, r)) : 0,
                ReduceFunction.Prod => ProdGradient(group, v, r, g),
                _ => throw new ArgumentOutOfRangeException(nameof(f)),
            };
        }
        return dx;
    }

    private static bool Tie(double v, double r) => v == r || (double.IsNaN(v) && double.IsNaN(r));

    private static double ProdGradient(List<double> group, double v, double y, double g)
    {
        int zeros = group.Count(u => u == 0);
        if (zeros == 0) return g * y / v;
        if (zeros > 1 || v != 0) return 0;
        return g * group.Where(u => u != 0).Aggregate(1.0, (a, u) => a * u);
    }

    private static List<double>[] Groups(double[] x, int[] target, int m)
    {
        var groups = Enumerable.Range(0, m).Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < x.Length; i++) groups[target[i]].Add(x[i]);
        return groups;
    }

    public static double Reduce(ReduceFunction f, List<double> g)
    {
        switch (f)
        {
            case ReduceFunction.Sum: return g.Sum();
            case ReduceFunction.Mean: return g.Count == 0 ? double.NaN : g.Sum() / g.Count;
            case ReduceFunction.L1: return g.Sum(Math.Abs);
            case ReduceFunction.L2: return Math.Sqrt(g.Sum(v => v * v));
            case ReduceFunction.SumSquare: return g.Sum(v => v * v);
            case ReduceFunction.Prod: return g.Aggregate(1.0, (a, v) => a * v);
            case ReduceFunction.Max: return g.Any(double.IsNaN) ? double.NaN : g.Aggregate(double.NegativeInfinity, Math.Max);
            case ReduceFunction.Min: return g.Any(double.IsNaN) ? double.NaN : g.Aggregate(double.PositiveInfinity, Math.Min);
            case ReduceFunction.LogSumExp:
                {
                    if (g.Any(double.IsNaN)) return double.NaN;
                    double max = g.Aggregate(double.NegativeInfinity, Math.Max);
                    double shift = double.IsInfinity(max) ? 0 : max;
                    return shift + Math.Log(g.Sum(v => Math.Exp(v - shift)));
                }
            default: throw new ArgumentOutOfRangeException(nameof(f));
        }
    }
}
