using System.Globalization;
using Simd.Models.Plotting;
using Simd.Runtime.Data;
using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Training;

namespace Simd.Models.Experiments;

/// <summary>
/// Vanishing gradients, measured: the norm of each Dense layer's weight gradient through the training of a deep MLP
/// with sigmoid, tanh, ReLU and ReLU + BatchNorm; then dLoss/dx_t of a plain RNN, an LSTM and a GRU on a task
/// that needs the first input of a long sequence, and their accuracy against the sequence length.
/// The gradients are read where the runtime keeps them (<see cref="DenseOp.WeightGradients"/>,
/// <see cref="Model.InputGradient(int)"/>), after the step that computed them.
/// </summary>
internal sealed class VanishingGradientsExperiment : Experiment
{
    public static readonly string[] Variants = ["sigmoid", "tanh", "relu", "relu + batchnorm"];

    /// <summary>
    /// The recurrent cells compared: each gated cell twice, with PyTorch's initialisation and with its gates set to
    /// remember (<see cref="RememberBias"/>).
    /// </summary>
    public static readonly string[] Cells = ["rnn", "lstm", "gru", "lstm-remember", "gru-remember"];

    /// <summary>
    /// The gate bias of the "-remember" cells: an LSTM's forget gate at +5 and its input gate at −5 (the chrono
    /// initialisation of Tallec and Ollivier 2018 for dependencies of about e⁵ ≈ 150 steps; Gers et al. 2000 and
    /// Jozefowicz et al. 2015 set the forget bias alone), a GRU's update gate at +5, so that at initialisation
    /// the state is kept (σ(5) = 0.993 per step) rather than halved (σ(0) = 0.5).
    /// </summary>
    public const float RememberBias = 5f;

    public override string Name => "vanishing-gradients";

    public override string Title => "Vanishing gradients: deep MLPs and recurrent cells";

    public override string Question =>
        "How does the gradient norm change from the last layer to the first in a deep MLP with sigmoid, tanh, ReLU and ReLU + BatchNorm, " +
        "and how far back in time does the gradient reach in a plain RNN against an LSTM and a GRU?";

    public override void Run(ExperimentContext context)
    {
        var mlp = context.Quick ? MlpSettings.Quick : MlpSettings.Full;
        var rnn = context.Quick ? RnnSettings.Quick : RnnSettings.Full;
        var data = ExperimentData.Load(context.Quick);
        var train = data.Train.Count > mlp.MaxTrain ? data.Train.Subset(Enumerable.Range(0, mlp.MaxTrain).ToArray()) : data.Train;
        context.Setup = string.Create(CultureInfo.InvariantCulture,
            $"MLP: {data.Describe()} (training on the first {train.Count}); {mlp.Depth} hidden Dense layers of {mlp.Width} and a Dense output, " +
            $"default initialisation (Xavier uniform for sigmoid/tanh, He uniform for ReLU), SGD momentum 0.9, learning rate {mlp.LearningRate}, batch {mlp.Batch}, " +
            $"{mlp.Epochs} epochs. Recurrent: a synthetic task, the class is the sign of the first input, then T − 1 steps of uniform noise in [−1, 1]; " +
            $"hidden size {rnn.Hidden}, final state into a Dense classifier, Adam learning rate {rnn.LearningRate}, {rnn.Train} training sequences, {rnn.Epochs} epochs, " +
            $"T = {string.Join(", ", rnn.Lengths)}; chance is 0.5. Each gated cell runs with PyTorch's initialisation (every weight and bias uniform in ±1/√hidden) " +
            $"and, as LSTM-remember and GRU-remember, with its gates set to keep the state at first: LSTM forget-gate bias +{RememberBias} and input-gate bias −{RememberBias}, " +
            $"GRU update-gate bias +{RememberBias}.");
        RunMlps(context, mlp, train, data.Validation);
        RunRecurrent(context, rnn);
    }

    internal sealed record MlpSettings(int Depth, int Width, int Epochs, int Batch, float LearningRate, int MaxTrain)
    {
        public static readonly MlpSettings Quick = new(12, 32, 4, 32, 0.02f, int.MaxValue);
        public static readonly MlpSettings Full = new(12, 128, 8, 64, 0.02f, 20_000);

        /// <summary>The epochs whose last step the small multiples show, besides the first step.</summary>
        public int[] ShownEpochs => new[] { 1, Epochs / 2, Epochs }.Distinct().ToArray();
    }

    internal sealed record RnnSettings(int[] Lengths, int Hidden, int Train, int Test, int Epochs, float LearningRate)
    {
        public static readonly RnnSettings Quick = new([5, 10, 20], 16, 512, 256, 6, 0.01f);
        public static readonly RnnSettings Full = new([10, 25, 50, 100, 200], 32, 4000, 1000, 15, 0.01f);
    }

    private static void RunMlps(ExperimentContext context, MlpSettings settings, Dataset train, Dataset validation)
    {
        var norms = context.Table("mlp-gradients.csv", "variant", "step", "epoch", "layer", "gradient_norm");
        var losses = context.Table("mlp-loss.csv", "variant", "epoch", "train_loss", "validation_loss", "validation_accuracy");
        var panels = new List<Chart>();
        var lossSeries = new List<Series>();
        var summary = new List<(string Variant, double First, double Last, double Accuracy)>();
        foreach (string variant in Variants)
        {
            using var model = Mlp(variant, settings, train.FeatureCount, train.ClassCount);
            var dense = model.Ops.OfType<DenseOp>().ToArray();
            var shown = new List<Series>();
            var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Sgd(momentum: 0.9f), new TrainerOptions
            {
                Epochs = settings.Epochs,
                BatchSize = settings.Batch,
                LearningRate = settings.LearningRate,
                Threads = context.Quick ? 1 : Environment.ProcessorCount,
            });
            long step = 0;
            trainer.Options.BatchCompleted = b =>
            {
                step++;
                bool first = step == 1, epochEnd = b.Batch == b.BatchCount;
                if (!first && !epochEnd) return;
                double[] layerNorms = dense.Select(d => Norm(d.WeightGradients)).ToArray();
                for (int l = 0; l < layerNorms.Length; l++) norms.Add(variant, step, b.Epoch, l + 1, layerNorms[l]);
                string? name = first ? "step 1" : settings.ShownEpochs.Contains(b.Epoch) ? $"end of epoch {b.Epoch}" : null;
                if (name is not null) shown.Add(new Series(name, Enumerable.Range(1, layerNorms.Length).Select(l => (double)l).ToArray(), layerNorms, SeriesKind.LineWithMarkers));
            };
            trainer.Options.EpochCompleted = e => losses.Add(variant, e.Epoch, e.TrainLoss, e.ValidationLoss, e.ValidationAccuracy);
            var history = trainer.Fit(train, validation, context.Cancellation);
            var start = shown[0].Y;
            summary.Add((variant, start[0], start[^2], history.Last!.ValidationAccuracy));
            context.Log(string.Create(CultureInfo.InvariantCulture,
                $"{variant}: layer-1 gradient {start[0]:G3}, layer-{start.Count - 1} {start[^2]:G3} at step 1; validation accuracy {history.Last.ValidationAccuracy:F3}"));
            panels.Add(new Chart { Title = variant, XLabel = "Dense layer (1 = input side)", YLabel = "‖dLoss/dW‖", YScale = AxisScale.Log, Series = shown });
            lossSeries.Add(new Series(variant, history.Epochs.Select(e => (double)e.Epoch).ToArray(), history.Epochs.Select(e => e.TrainLoss).ToArray(), SeriesKind.LineWithMarkers));
        }
        context.Figure("mlp-gradient-norms.svg",
            $"The norm of each Dense layer's weight gradient (log scale) at the first step and at the last step of a few epochs; layer {settings.Depth + 1} is the output layer.",
            new ChartGrid { Title = $"Per-layer gradient norms, {settings.Depth} hidden layers", Panels = panels, Columns = 2 });
        context.Figure("mlp-loss.svg", "Training loss per epoch (the mean over the epoch's steps).", new Chart
        {
            Title = "Training loss",
            XLabel = "epoch",
            YLabel = "cross-entropy",
            Series = lossSeries,
        });

        foreach (var (variant, first, last, accuracy) in summary)
        {
            double perLayer = Math.Pow(first / last, 1.0 / (settings.Depth - 1));
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"{Capital(variant)}: at the first step layer 1's gradient norm is {first / last:G3} times layer {settings.Depth}'s ({perLayer:F2} per layer); " +
                $"validation accuracy after {settings.Epochs} epochs {accuracy:F3}."));
        }
        var sigmoid = summary[0];
        var tanh = summary[1];
        var relu = summary[2];
        var batchNorm = summary[3];
        double batchNormRatio = batchNorm.First / batchNorm.Last;
        context.Finding(batchNormRatio is > 3 or < 1 / 3.0
            ? string.Create(CultureInfo.InvariantCulture, $"BatchNorm is said to even out the gradient across layers; here layer 1's gradient is {batchNormRatio:G2} times layer {settings.Depth}'s at the first step (without it: {relu.First / relu.Last:G2}), and the net still trains (validation accuracy {batchNorm.Accuracy:F3} against {relu.Accuracy:F3}).")
            : string.Create(CultureInfo.InvariantCulture, $"With BatchNorm the gradient stays within a factor {batchNormRatio:G2} from layer {settings.Depth} to layer 1, as the textbook says (validation accuracy {batchNorm.Accuracy:F3} against {relu.Accuracy:F3} without)."));
        double sigmoidRatio = sigmoid.First / sigmoid.Last, tanhRatio = tanh.First / tanh.Last, reluRatio = relu.First / relu.Last;
        context.Finding(sigmoidRatio < 0.01
            ? string.Create(CultureInfo.InvariantCulture, $"As the textbook says, the sigmoid net's gradient vanishes towards the input (a factor {sigmoidRatio:G2} over {settings.Depth - 1} layers; σ′ ≤ 0.25).")
            : string.Create(CultureInfo.InvariantCulture, $"Unlike the textbook picture, the sigmoid net's first-layer gradient is only {sigmoidRatio:G2} times its last hidden layer's here."));
        context.Finding(tanhRatio > 0.1
            ? string.Create(CultureInfo.InvariantCulture, $"The textbook groups tanh with sigmoid, but with Xavier initialisation its gradient keeps its size through the depth here (a factor {tanhRatio:G2}), much like ReLU with He initialisation ({reluRatio:G2}): tanh′(0) = 1 where σ′(0) = 0.25.")
            : string.Create(CultureInfo.InvariantCulture, $"The tanh net's gradient shrinks too (a factor {tanhRatio:G2}), less than the sigmoid net's and more than ReLU's ({reluRatio:G2})."));
    }

    private static Model Mlp(string variant, MlpSettings settings, int inputs, int classes)
    {
        var builder = new ModelBuilder(inputs);
        for (int l = 0; l < settings.Depth; l++)
        {
            switch (variant)
            {
                case "sigmoid": builder.Dense(settings.Width, ActivationKind.Sigmoid); break;
                case "tanh": builder.Dense(settings.Width, ActivationKind.Tanh); break;
                case "relu": builder.Dense(settings.Width, ActivationKind.Relu); break;
                default: builder.Dense(settings.Width, initializer: WeightInitializer.HeUniform).BatchNorm().Activation(ActivationKind.Relu); break;
            }
        }
        return builder.Dense(classes).Build(seed: 7, maxBatch: settings.Batch);
    }

    private static void RunRecurrent(ExperimentContext context, RnnSettings settings)
    {
        var accuracy = context.Table("rnn-accuracy.csv", "cell", "steps", "train_loss", "test_accuracy", "flipped_first_agreement");
        var gradients = context.Table("rnn-input-gradients.csv", "cell", "steps", "stage", "t", "distance_from_end", "gradient_norm");
        int longest = settings.Lengths[^1];
        var accuracySeries = new List<Series>();
        var panels = new List<Chart>();
        var results = new Dictionary<(string, int), double>();
        var flips = new Dictionary<(string, int), double>();
        var reach = new Dictionary<string, (double Initial, double Trained)>();
        foreach (string cell in Cells)
        {
            var points = new List<double>();
            foreach (int steps in settings.Lengths)
            {
                var train = FirstSignTask(settings.Train, steps, seed: 11 + steps);
                var test = FirstSignTask(settings.Test, steps, seed: 1_000 + steps);
                using var model = Recurrent(cell, steps, settings.Hidden);
                var loss = new SoftmaxCrossEntropyLoss();
                var trainer = new Trainer(model, loss, new Adam(), new TrainerOptions
                {
                    Epochs = settings.Epochs,
                    BatchSize = 32,
                    LearningRate = settings.LearningRate,
                    ClipGradientNorm = 1f,
                    Threads = context.Quick ? 1 : Environment.ProcessorCount,
                });
                double[]? initial = steps == longest ? InputGradientNorms(model, loss, test) : null;
                var history = trainer.Fit(train, cancellationToken: context.Cancellation);
                double testAccuracy = trainer.Evaluate(test).Accuracy;
                // A control: with the first input's sign flipped, a model that reads it gives the other class.
                double flippedAgreement = FlippedFirstAgreement(model, test);
                flips[(cell, steps)] = flippedAgreement;
                accuracy.Add(cell, steps, history.Last!.TrainLoss, testAccuracy, flippedAgreement);
                results[(cell, steps)] = testAccuracy;
                points.Add(testAccuracy);
                context.Log(string.Create(CultureInfo.InvariantCulture, $"{cell}, T = {steps}: test accuracy {testAccuracy:F3}"));
                if (initial is null) continue;
                double[] trained = InputGradientNorms(model, loss, test);
                double[] distance = Enumerable.Range(0, steps).Select(t => (double)(steps - 1 - t)).ToArray();
                for (int t = 0; t < steps; t++)
                {
                    gradients.Add(cell, steps, "initialisation", t, steps - 1 - t, initial[t]);
                    gradients.Add(cell, steps, "trained", t, steps - 1 - t, trained[t]);
                }
                reach[cell] = (initial[0] / initial[^1], trained[0] / trained[^1]);
                panels.Add(new Chart
                {
                    Title = Display(cell),
                    XLabel = "distance from the last step",
                    YLabel = "‖dLoss/dx_t‖",
                    YScale = AxisScale.Log,
                    Series = [new Series("initialisation", distance, initial), new Series("trained", distance, trained)],
                });
            }
            accuracySeries.Add(new Series(Display(cell), settings.Lengths.Select(l => (double)l).ToArray(), points.ToArray(), SeriesKind.LineWithMarkers));
        }
        context.Figure("rnn-input-gradients.svg",
            $"The gradient of the loss with respect to each input step x_t (mean over {settings.Test} test sequences, log scale) for T = {longest}, at initialisation and after training; the class sits at the largest distance.",
            new ChartGrid { Title = $"dLoss/dx_t, T = {longest}", Panels = panels, Columns = 3, PanelWidth = 260 });
        context.Figure("rnn-accuracy.svg", "Test accuracy against the sequence length (chance: 0.5).", new Chart
        {
            Title = "Remembering the first input",
            XLabel = "sequence length T",
            YLabel = "test accuracy",
            YRange = (0.4, 1),
            Series = accuracySeries,
        });

        foreach (string cell in Cells)
        {
            var (initialReach, trainedReach) = reach[cell];
            int? solved = settings.Lengths.Where(l => results[(cell, l)] >= 0.9).Cast<int?>().LastOrDefault();
            context.Finding(string.Create(CultureInfo.InvariantCulture,
                $"{Display(cell)}: at T = {longest} the gradient reaching the first step is {Ratio(initialReach)} times the last step's at initialisation and {Ratio(trainedReach)} after training; " +
                $"test accuracy {string.Join(", ", settings.Lengths.Select(l => string.Create(CultureInfo.InvariantCulture, $"{results[(cell, l)]:F2} (T = {l})")))}; " +
                $"{(solved is int s ? $"≥ 0.9 up to T = {s}" : "never ≥ 0.9")}; with the first input's sign flipped, it keeps its answer on {flips[(cell, longest)]:P0} of the test sequences at T = {longest} (0 % when it reads only the first input, 50 % when it ignores it)."));
        }
        double rnnLong = results[("rnn", longest)], lstmLong = results[("lstm", longest)], gruLong = results[("gru", longest)];
        double lstmKept = results[("lstm-remember", longest)], gruKept = results[("gru-remember", longest)];
        bool gatedWin = lstmLong > rnnLong + 0.1 && gruLong > rnnLong + 0.1;
        bool keptWin = lstmKept > rnnLong + 0.1 && gruKept > rnnLong + 0.1;
        string Solved(string cell) => settings.Lengths.Where(l => results[(cell, l)] >= 0.9).Cast<int?>().LastOrDefault() is int s ? $"T = {s}" : "no T";
        context.Finding(gatedWin
            ? string.Create(CultureInfo.InvariantCulture, $"As the textbook says, the gated cells remember over T = {longest} where the plain RNN does not (accuracy LSTM {lstmLong:F2}, GRU {gruLong:F2}, RNN {rnnLong:F2}), with PyTorch's initialisation.")
            : string.Create(CultureInfo.InvariantCulture,
                $"With PyTorch's initialisation the gated cells do not beat the plain RNN at long range here (at T = {longest}: LSTM {lstmLong:F2}, GRU {gruLong:F2}, RNN {rnnLong:F2}; solved up to {Solved("lstm")}, {Solved("gru")} and {Solved("rnn")}): " +
                $"their gates start at σ(0) = 0.5, which halves the remembered state every step, so the first input is as lost to them as to the RNN, and no gradient reaches it to teach the gates to keep it."));
        context.Finding(keptWin
            ? string.Create(CultureInfo.InvariantCulture,
                $"Initialised to remember (forget or update bias +{RememberBias}), the gated cells do what the textbook promises: at T = {longest} LSTM-remember {lstmKept:F2} and GRU-remember {gruKept:F2} against the plain RNN's {rnnLong:F2} " +
                $"(solved up to {Solved("lstm-remember")} and {Solved("gru-remember")}, the RNN up to {Solved("rnn")}). The gating is the remedy, once the gates start open to the past.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Even initialised to remember, the gated cells do not beat the plain RNN at T = {longest} here (LSTM-remember {lstmKept:F2}, GRU-remember {gruKept:F2}, RNN {rnnLong:F2})."));
        double rnnInitial = reach["rnn"].Initial, lstmInitial = reach["lstm"].Initial, gruInitial = reach["gru"].Initial;
        double lstmKeptInitial = reach["lstm-remember"].Initial, gruKeptInitial = reach["gru-remember"].Initial;
        context.Finding(rnnInitial < Math.Min(lstmInitial, gruInitial)
            ? string.Create(CultureInfo.InvariantCulture, $"At initialisation the plain RNN's gradient decays fastest with distance ({Ratio(rnnInitial)} over {longest - 1} steps, against LSTM {Ratio(lstmInitial)} and GRU {Ratio(gruInitial)}), as the textbook says; set to remember, the gated cells keep {Ratio(lstmKeptInitial)} (LSTM) and {Ratio(gruKeptInitial)} (GRU).")
            : string.Create(CultureInfo.InvariantCulture, $"Unlike the textbook picture, at initialisation the plain RNN's gradient does not decay fastest with distance here (RNN {Ratio(rnnInitial)}, LSTM {Ratio(lstmInitial)}, GRU {Ratio(gruInitial)} over {longest - 1} steps): at initialisation the gates sit near 0.5, which forgets too; set to remember, the gated cells keep {Ratio(lstmKeptInitial)} (LSTM) and {Ratio(gruKeptInitial)} (GRU)."));
    }

    private static Model Recurrent(string cell, int steps, int hidden)
    {
        var g = new GraphBuilder();
        var x = g.Input(new TensorShape(steps, 1));
        var state = cell switch
        {
            "rnn" => g.Rnn(x, hidden, returnSequence: false),
            "lstm" or "lstm-remember" => g.Lstm(x, hidden, returnSequence: false),
            _ => g.Gru(x, hidden, returnSequence: false),
        };
        g.Output(g.Dense(state, 2));
        var model = g.Build(seed: 3, maxBatch: 256);
        // Gates in ONNX's order, biases Wb then Rb (whose sum the cell adds): LSTM i, o, f, c; GRU z, r, h.
        if (cell == "lstm-remember")
        {
            Span<float> bias = model.Ops.OfType<LstmOp>().Single().Bias;
            bias.Slice(0, hidden).Fill(-RememberBias);
            bias.Slice(2 * hidden, hidden).Fill(RememberBias);
            bias.Slice(4 * hidden, hidden).Clear();
            bias.Slice(6 * hidden, hidden).Clear();
        }
        else if (cell == "gru-remember")
        {
            Span<float> bias = model.Ops.OfType<GruOp>().Single().Bias;
            bias.Slice(0, hidden).Fill(RememberBias);
            bias.Slice(3 * hidden, hidden).Clear();
        }
        return model;
    }

    private static string Display(string cell) => cell switch
    {
        "lstm-remember" => "LSTM-remember",
        "gru-remember" => "GRU-remember",
        _ => cell.ToUpperInvariant(),
    };

    /// <summary>The class (0: negative, 1: positive) is the sign of the first step; the other steps are noise.</summary>
    internal static Dataset FirstSignTask(int count, int steps, long seed)
    {
        // Not System.Random: its seeded generator is a lagged subtractive one, whose later draws are sums of earlier
        // ones, so the noise would carry the label.
        var random = new DeterministicRandom(seed);
        var features = new float[count * steps];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.NextInt32(2);
            features[i * steps] = labels[i] == 1 ? 1f : -1f;
            for (int t = 1; t < steps; t++) features[i * steps + t] = (float)(random.NextDouble() * 2 - 1);
        }
        return new Dataset($"first-sign-{steps}", features, steps, labels, 2);
    }

    /// <summary>‖dLoss/dx_t‖ for each step t: the mean over the samples of each one's own gradient.</summary>
    private static double[] InputGradientNorms(Model model, Loss loss, Dataset data)
    {
        int rows = data.Count, steps = data.FeatureCount;
        model.ComputeInputGradient = true;
        var output = model.Forward(data.Features, rows, training: true);
        loss.Compute(output, rows, model.OutputSize, data.Labels, default, model.OutputGradient(rows));
        model.Backward(rows);
        var gradient = model.InputGradient(rows);
        // The loss is the batch mean, so rows · g is each sample's own gradient, and the mean of those over the
        // samples is the sum of |g| (one feature per step: the norm is the absolute value).
        var norms = new double[steps];
        for (int r = 0; r < rows; r++)
            for (int t = 0; t < steps; t++) norms[t] += Math.Abs(gradient[r * steps + t]);
        model.ComputeInputGradient = false;
        return norms;
    }

    internal static double Norm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float v in values) sum += (double)v * v;
        return Math.Sqrt(sum);
    }

    /// <summary>Agreement of the predicted classes before and after negating every sequence's first input.</summary>
    private static double FlippedFirstAgreement(Model model, Dataset test)
    {
        var flipped = (float[])test.Features.Clone();
        for (int i = 0; i < test.Count; i++) flipped[i * test.FeatureCount] = -flipped[i * test.FeatureCount];
        var before = new float[test.Count * model.OutputSize];
        var after = new float[before.Length];
        model.Predict(test.Features, before);
        model.Predict(flipped, after);
        int same = 0;
        for (int i = 0; i < test.Count; i++)
            if (Reductions.ArgMax(before.AsSpan(i * 2, 2)) == Reductions.ArgMax(after.AsSpan(i * 2, 2))) same++;
        return (double)same / test.Count;
    }

    /// <summary>A gradient ratio; exactly 0 where the product of the steps' derivatives underflowed float32.</summary>
    private static string Ratio(double ratio) => ratio == 0 ? "0 (below float32's range)" : ratio.ToString("G3", CultureInfo.InvariantCulture);

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
