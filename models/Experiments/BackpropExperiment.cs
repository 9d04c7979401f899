using System.Globalization;
using System.Text;
using Simd.Models.Plotting;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;

namespace Simd.Models.Experiments;

/// <summary>
/// Matt Mazur's "A Step by Step Backpropagation Example" (2015) through the runtime's own Dense, sigmoid and MSE
/// kernels: every intermediate value of the first step beside the post's, then 10,000 steps of the same update.
/// The reference values are recomputed in double precision (Runtime.Tests/Conformance/Data/mazur-backprop.json,
/// which a test checks this table against); they round to the figures the post prints.
/// </summary>
internal sealed class BackpropExperiment : Experiment
{
    /// <summary>Float32 against double references, as the conformance test allows.</summary>
    public const double Tolerance = 1e-6;

    public const int Steps = 10_000;
    private const float LearningRate = 0.5f;

    private static readonly float[] Input = [0.05f, 0.10f];
    private static readonly float[] Target = [0.01f, 0.99f];

    /// <summary>The reference values (double precision) and, where the post prints one, the post's figure.</summary>
    internal static readonly (string Name, double Reference, double? Post)[] References =
    [
        ("net_h1", 0.3775, 0.3775),
        ("net_h2", 0.39249999999999996, 0.3925),
        ("out_h1", 0.5932699921071872, 0.593269992),
        ("out_h2", 0.596884378259767, 0.596884378),
        ("net_o1", 1.10590596705977, 1.105905967),
        ("net_o2", 1.2249214040964653, null),
        ("out_o1", 0.7513650695523157, 0.75136507),
        ("out_o2", 0.7729284653214625, 0.772928465),
        ("E_o1", 0.274811083176155, 0.274811083),
        ("E_o2", 0.023560025583847746, 0.023560026),
        ("E_total", 0.2983711087600027, 0.298371109),
        ("delta_o1", 0.13849856162855698, 0.138498562),
        ("delta_o2", -0.03809823651655623, null),
        ("delta_h1", 0.008771354689486937, null),
        ("delta_h2", 0.009954254705217202, null),
        ("dE/dw1", 0.00043856773447434685, 0.000438568),
        ("dE/dw2", 0.0008771354689486937, null),
        ("dE/dw3", 0.0004977127352608601, null),
        ("dE/dw4", 0.0009954254705217202, null),
        ("dE/dw5", 0.08216704056423078, 0.082167041),
        ("dE/dw6", 0.08266762784753326, null),
        ("dE/dw7", -0.022602540477475067, null),
        ("dE/dw8", -0.02274024221597822, null),
        ("w1 after", 0.1497807161327628, 0.149780716),
        ("w2 after", 0.19956143226552567, 0.19956143),
        ("w3 after", 0.24975114363236958, 0.24975114),
        ("w4 after", 0.29950228726473915, 0.29950229),
        ("w5 after", 0.35891647971788465, 0.35891648),
        ("w6 after", 0.4086661860762334, 0.408666186),
        ("w7 after", 0.5113012702387375, 0.51130127),
        ("w8 after", 0.5613701211079891, 0.561370121),
        ("E_total after 1 step", 0.29102777369359933, 0.291027924),
        ("E_total after 10000 steps", 3.510187782978859e-05, 0.0000351085),
    ];

    public override string Name => "backprop";

    public override string Title => "Backpropagation, step by step";

    public override string Question =>
        "Does the runtime reproduce the published worked example of backpropagation (a 2-2-2 sigmoid network, inputs 0.05/0.10, " +
        "targets 0.01/0.99, learning rate 0.5) value by value, and how does the error fall over 10,000 steps?";

    public override bool FullRunNeedsFashionMnist => false;

    public override void Run(ExperimentContext context)
    {
        context.Setup = "The post's network: weights w1..w8 = 0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55, biases 0.35 (hidden) and 0.60 (output); " +
                        "error ½Σ(target − out)² (the runtime's MSE: the mean over two outputs of (t − o)², whose gradient is the same); " +
                        "the post's update: weights move, biases stay. The quick and full runs are the same (it takes milliseconds).";
        var ours = FirstStep();
        using var model = Network(ActivationKind.Sigmoid);
        var curve = context.Table("points.csv", "step", "E_total", "out_o1", "out_o2", "w1", "w2", "w3", "w4", "w5", "w6", "w7", "w8");
        Record(curve, 0, model);
        var mse = new MeanSquaredErrorLoss();
        for (int step = 1; step <= Steps; step++)
        {
            Step(model, mse);
            if (step <= 10 || IsLogStep(step)) Record(curve, step, model);
        }
        ours["E_total after 10000 steps"] = Error(model);
        context.Log(string.Create(CultureInfo.InvariantCulture, $"E_total {ours["E_total"]:F9} before, {ours["E_total after 10000 steps"]:0.####e0} after {Steps} steps"));

        var values = context.Table("values.csv", "value", "ours", "reference", "post", "difference", "within_tolerance");
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{"value",-26} {"ours (float32)",16} {"reference",16} {"post",14} {"|ours-ref|",10}\n");
        int mismatches = 0;
        foreach (var (name, reference, post) in References)
        {
            double mine = ours[name];
            double difference = Math.Abs(mine - reference);
            bool ok = difference <= Tolerance;
            if (!ok) mismatches++;
            context.Check(ok, string.Create(CultureInfo.InvariantCulture, $"{name}: ours {mine:G9}, reference {reference:G9} (difference {difference:0.##e0} > {Tolerance:0e0})"));
            values.Add(name, mine, reference, post is double p ? p.ToString("R", CultureInfo.InvariantCulture) : "", difference, ok);
            text.Append(CultureInfo.InvariantCulture,
                $"{name,-26} {mine,16:F9} {reference,16:F9} {(post is double q ? q.ToString("0.#########", CultureInfo.InvariantCulture) : "-"),14} {difference,10:0.0e0}{(ok ? "" : "  MISMATCH")}\n");
        }
        context.Detail("Every value of the first step", text.ToString());

        context.Finding(mismatches == 0
            ? string.Create(CultureInfo.InvariantCulture, $"All {References.Length} values match the double-precision reference within {Tolerance:0e0} (float32 arithmetic): E_total {ours["E_total"]:F9} before the step (the post: 0.298371109), w5 {ours["w5 after"]:F8} after it (the post: 0.35891648).")
            : $"{mismatches} of {References.Length} values differ from the reference by more than {Tolerance.ToString("0e0", CultureInfo.InvariantCulture)}: see the table.");
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"After one step the error is {ours["E_total after 1 step"]:F9}; the post prints 0.291027924, because it took the hidden layer's gradients with the already-updated output weights (the reference recomputes with the original ones, as backpropagation does)."));
        context.Finding(string.Create(CultureInfo.InvariantCulture,
            $"After {Steps:N0} steps the error is {ours["E_total after 10000 steps"]:0.####e0} (the post: 3.51085e-5) and the outputs are {curve.Rows[^1][2]} and {curve.Rows[^1][3]} for targets 0.01 and 0.99."));

        // Step 0 (before training) has no place on a log axis: the curves start at the post's step.
        var trained = curve.Rows.Where(r => r[0] != "0").ToArray();
        double[] steps = trained.Select(r => Number(r[0])).ToArray();
        double[] Column(int i) => trained.Select(r => Number(r[i])).ToArray();
        context.Figure("error.svg", "Total error over the steps (log scales): the first step is the post's worked example.", new Chart
        {
            Title = "Total error",
            XLabel = "step",
            YLabel = "E_total",
            XScale = AxisScale.Log,
            YScale = AxisScale.Log,
            Series = [new Series("E_total", steps, Column(1), SeriesKind.LineWithMarkers)],
            Markers = [new VerticalMarker(1, "the post's step")],
        });
        context.Figure("outputs.svg", "The two outputs approach their targets 0.01 and 0.99.", new Chart
        {
            Title = "Outputs",
            XLabel = "step",
            YLabel = "output",
            XScale = AxisScale.Log,
            YRange = (0, 1),
            Series =
            [
                new Series("out_o1", steps, Column(2)),
                new Series("out_o2", steps, Column(3)),
                new Series("target o1", [steps[0], steps[^1]], [0.01, 0.01]),
                new Series("target o2", [steps[0], steps[^1]], [0.99, 0.99]),
            ],
        });
        context.Figure("weights.svg", "The eight weights over the steps.", new Chart
        {
            Title = "Weights",
            XLabel = "step",
            YLabel = "weight",
            XScale = AxisScale.Log,
            Series = Enumerable.Range(1, 8).Select(i => new Series($"w{i}", steps, Column(3 + i))).ToArray(),
        });
    }

    /// <summary>Every value the post shows for the first step, computed by the runtime's kernels.</summary>
    private static Dictionary<string, double> FirstStep()
    {
        var values = new Dictionary<string, double>();
        using (var linear = Network(ActivationKind.Identity, ActivationKind.Identity))
        {
            linear.Forward(Input, 1, training: false);
            values["net_h1"] = linear.NodeOutput(0, 1)[0];
            values["net_h2"] = linear.NodeOutput(0, 1)[1];
        }
        using (var netOutput = Network(ActivationKind.Sigmoid, ActivationKind.Identity))
        {
            var net = netOutput.Forward(Input, 1, training: false);
            values["net_o1"] = net[0];
            values["net_o2"] = net[1];
        }
        using var model = Network(ActivationKind.Sigmoid);
        var mse = new MeanSquaredErrorLoss();
        var output = model.Forward(Input, 1, training: true);
        values["out_h1"] = model.NodeOutput(0, 1)[0];
        values["out_h2"] = model.NodeOutput(0, 1)[1];
        values["out_o1"] = output[0];
        values["out_o2"] = output[1];
        values["E_o1"] = 0.5 * Math.Pow(Target[0] - output[0], 2);
        values["E_o2"] = 0.5 * Math.Pow(Target[1] - output[1], 2);
        values["E_total"] = mse.Compute(output, 1, 2, default, Target, model.OutputGradient(1));
        model.Backward(1);
        var (hidden, outputLayer) = Layers(model);
        // A bias's gradient is its neuron's delta, dE/dnet.
        values["delta_o1"] = outputLayer.BiasGradients[0];
        values["delta_o2"] = outputLayer.BiasGradients[1];
        values["delta_h1"] = hidden.BiasGradients[0];
        values["delta_h2"] = hidden.BiasGradients[1];
        for (int w = 1; w <= 8; w++) values[$"dE/dw{w}"] = Weight(model, w, gradient: true);
        Update(model);
        for (int w = 1; w <= 8; w++) values[$"w{w} after"] = Weight(model, w, gradient: false);
        values["E_total after 1 step"] = Error(model);
        return values;
    }

    private static Model Network(ActivationKind hiddenActivation, ActivationKind? outputActivation = null)
    {
        var model = new ModelBuilder(2).Dense(2, hiddenActivation).Dense(2, outputActivation ?? hiddenActivation).Build(maxBatch: 1);
        var (hidden, output) = Layers(model);
        // Dense weights are [inputs × outputs]: W[i][o] holds the weight from input i to neuron o.
        float[] hw = [0.15f, 0.25f, 0.20f, 0.30f]; // w1 i1→h1, w3 i1→h2, w2 i2→h1, w4 i2→h2
        float[] ow = [0.40f, 0.50f, 0.45f, 0.55f]; // w5 h1→o1, w7 h1→o2, w6 h2→o1, w8 h2→o2
        hw.CopyTo(hidden.Weights);
        ow.CopyTo(output.Weights);
        hidden.Bias.Fill(0.35f);
        output.Bias.Fill(0.60f);
        return model;
    }

    private static (DenseOp Hidden, DenseOp Output) Layers(Model model) => ((DenseOp)model.Nodes[0].Op, (DenseOp)model.Nodes[1].Op);

    /// <summary>The post's w1..w8 in the runtime's layout (see <see cref="Network"/>).</summary>
    private static double Weight(Model model, int w, bool gradient)
    {
        var (hidden, output) = Layers(model);
        DenseOp layer = w <= 4 ? hidden : output;
        int index = ((w - 1) % 4) switch { 0 => 0, 1 => 2, 2 => 1, _ => 3 };
        return gradient ? layer.WeightGradients[index] : layer.Weights[index];
    }

    private static void Step(Model model, Loss loss)
    {
        var output = model.Forward(Input, 1, training: true);
        loss.Compute(output, 1, 2, default, Target, model.OutputGradient(1));
        model.Backward(1);
        Update(model);
    }

    /// <summary>The post's update: W ← W − 0.5·dE/dW for the weights, the biases left as they are.</summary>
    private static void Update(Model model)
    {
        var (hidden, output) = Layers(model);
        Elementwise.Axpy(-LearningRate, hidden.WeightGradients, hidden.Weights);
        Elementwise.Axpy(-LearningRate, output.WeightGradients, output.Weights);
    }

    private static double Error(Model model) => new MeanSquaredErrorLoss().Compute(model.Forward(Input, 1, training: false), 1, 2, default, Target, default);

    private static void Record(CsvTable table, int step, Model model)
    {
        double error = Error(model);
        var output = model.Forward(Input, 1, training: false);
        var row = new object[12];
        (row[0], row[1], row[2], row[3]) = (step, error, output[0], output[1]);
        for (int w = 1; w <= 8; w++) row[3 + w] = (float)Weight(model, w, gradient: false);
        table.Add(row);
    }

    /// <summary>About 20 steps per decade: enough for a smooth curve on a log axis without 10,000 rows.</summary>
    private static bool IsLogStep(int step)
    {
        double position = Math.Log10(step) * 20;
        return Math.Abs(position - Math.Round(position)) < 20 * Math.Log10(1 + 0.5 / step) || step == Steps;
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
