using Simd.Runtime.Ops;
using Simd.Runtime.Tests.Ops;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// The recurrent ops as plain loops in double, straight from ONNX's equations (one sample, one direction, one
/// step at a time), reading the op's settings and its tensors w, r, b in ONNX's layout.
/// </summary>
internal static class RecurrentReference
{
    public static double[][] Run(OpReferenceArgs a)
    {
        var op = (RecurrentOp)a.Op;
        int rows = a.Rows, steps = op.Steps, features = op.Features, hidden = op.Hidden, dirs = op.Directions, gates = op.GateCount;
        double[] x = a.Inputs[0], w = a.Tensor("w"), r = a.Tensor("r"), b = a.Tensor("b");
        var y = new double[rows * steps * dirs * hidden];
        var finalH = new double[rows * dirs * hidden];
        var finalC = new double[rows * dirs * hidden];
        int gh = gates * hidden;
        for (int n = 0; n < rows; n++)
        {
            int length = op.HasLengths ? (int)Math.Round(a.Inputs[op.LengthsInput][n]) : steps;
            for (int d = 0; d < dirs; d++)
            {
                var h = new double[hidden];
                var c = new double[hidden];
                if (op.HasInitialState)
                {
                    for (int j = 0; j < hidden; j++) h[j] = a.Inputs[1][(n * dirs + d) * hidden + j];
                    if (op.StateCount == 2)
                        for (int j = 0; j < hidden; j++) c[j] = a.Inputs[2][(n * dirs + d) * hidden + j];
                }
                for (int s = 0; s < length; s++)
                {
                    int t = d == 1 || op.Direction == RecurrentDirection.Reverse ? length - 1 - s : s;
                    double Wx(int j)
                    {
                        double sum = b[d * 2 * gh + j];
                        for (int f = 0; f < features; f++) sum += w[(d * gh + j) * features + f] * x[(n * steps + t) * features + f];
                        return sum;
                    }
                    double Rh(int j, double[] v)
                    {
                        double sum = b[d * 2 * gh + gh + j];
                        for (int k = 0; k < hidden; k++) sum += r[(d * gh + j) * hidden + k] * v[k];
                        return sum;
                    }
                    var next = new double[hidden];
                    switch (op)
                    {
                        case LstmOp:
                            for (int j = 0; j < hidden; j++)
                            {
                                double i = Sigmoid(Wx(j) + Rh(j, h)), o = Sigmoid(Wx(hidden + j) + Rh(hidden + j, h));
                                double f = Sigmoid(Wx(2 * hidden + j) + Rh(2 * hidden + j, h)), g = Math.Tanh(Wx(3 * hidden + j) + Rh(3 * hidden + j, h));
                                c[j] = f * c[j] + i * g;
                                next[j] = o * Math.Tanh(c[j]);
                            }
                            break;
                        case GruOp gru:
                            var z = new double[hidden];
                            var rh = new double[hidden];
                            var reset = new double[hidden];
                            for (int j = 0; j < hidden; j++)
                            {
                                z[j] = Sigmoid(Wx(j) + Rh(j, h));
                                reset[j] = Sigmoid(Wx(hidden + j) + Rh(hidden + j, h));
                                rh[j] = reset[j] * h[j];
                            }
                            for (int j = 0; j < hidden; j++)
                            {
                                double candidate = gru.LinearBeforeReset
                                    ? Math.Tanh(Wx(2 * hidden + j) + reset[j] * Rh(2 * hidden + j, h))
                                    : Math.Tanh(Wx(2 * hidden + j) + Rh(2 * hidden + j, rh));
                                next[j] = (1 - z[j]) * candidate + z[j] * h[j];
                            }
                            break;
                        case RnnOp rnn:
                            for (int j = 0; j < hidden; j++)
                            {
                                double pre = Wx(j) + Rh(j, h);
                                next[j] = rnn.Relu ? Math.Max(pre, 0) : Math.Tanh(pre);
                            }
                            break;
                        default:
                            throw new ArgumentException($"No reference for {op.Kind}.");
                    }
                    h = next;
                    for (int j = 0; j < hidden; j++) y[((n * steps + t) * dirs + d) * hidden + j] = h[j];
                }
                for (int j = 0; j < hidden; j++)
                {
                    finalH[(n * dirs + d) * hidden + j] = h[j];
                    finalC[(n * dirs + d) * hidden + j] = c[j];
                }
            }
        }
        var outputs = new List<double[]>();
        if (op.ReturnsSequence) outputs.Add(y);
        if (op.FinalOutput(0) >= 0) outputs.Add(finalH);
        if (op.FinalOutput(1) >= 0) outputs.Add(finalC);
        return [.. outputs];
    }

    private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
}
