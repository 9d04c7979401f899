using Simd.Runtime.Data;
using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Losses;
using Simd.Runtime.Models;
using Simd.Runtime.Ops;
using Simd.Runtime.Optimization;
using Simd.Runtime.Tensors;
using Simd.Runtime.Training;

namespace Simd.Runtime.Tests.Onnx;

/// <summary>
/// The networks the ONNX export is checked on, each trained for three steps of Adam on 96 of the 8×8 digits (so that
/// the weights have moved and BatchNorm's running statistics are no longer 0 and 1), and inputs to run them on.
/// Only the public API is used: Runtime.OnnxRuntimeTests compiles this file too.
/// </summary>
internal static class ExportNetworks
{
    private const int Side = 8, Features = Side * Side, Classes = 10, Hidden = 6;

    /// <summary>Every network; "silu" is written as Sigmoid and Mul, which import back as two nodes rather than the activation.</summary>
    public static readonly string[] Names =
        ["mlp", "batchnorm", "lenet", "resnet", "lstm", "gru", "rnn", "convolutions", "activations", "recurrent-variants", "dilated-avgpool", "ends-with-softmax", "elementwise", "silu", "upsampling", "select", "attention", "volumes"];

    /// <summary>The networks our importer reads back into the same graph of ops.</summary>
    public static IEnumerable<string> Importable => Names.Where(n => n is not ("silu" or "ends-with-softmax"));

    private static readonly Lazy<Dataset> Digits = new(() =>
    {
        Dataset all = DatasetRegistry.Get("digits").Load();
        const int rows = 96 + 8;
        var features = new float[rows * Features];
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            // Digits' pixels are 0…16: scaled to [0, 1] as a trainer's input would be.
            ReadOnlySpan<float> sample = all.Sample(i);
            for (int j = 0; j < Features; j++) features[i * Features + j] = sample[j] / 16f;
            labels[i] = all.Labels![i];
        }
        return new Dataset("digits", features, Features, labels, Classes);
    });

    /// <summary>
    /// The elementwise ops: a PyTorch-style GELU (x·½·(1 + erf(x/√2))) written out, a trainable scale on the left,
    /// Sub, Max and Min of two values, a row broadcast against a matrix, Clip, Abs, Neg, Exp of a clipped value, and
    /// Log, Sqrt and Reciprocal of positive ones.
    /// </summary>
    private static Model Elementwise()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(Features));
        Value h = g.Dense(x, 12);
        Value erf = g.Unary(UnaryFunction.Erf, g.Binary(BinaryFunction.Divide, h, new TensorShape(1), [MathF.Sqrt(2)]));
        Value gelu = g.Binary(BinaryFunction.Multiply, g.Binary(BinaryFunction.Multiply, h, new TensorShape(1), [0.5f]),
            g.Binary(BinaryFunction.Add, erf, new TensorShape(1), [1f]));
        Value scaled = g.Binary(BinaryFunction.Multiply, gelu, new TensorShape(12), [.. Enumerable.Range(0, 12).Select(i => 0.5f + 0.1f * i)], constantFirst: true, trainable: true);
        Value grid = g.Reshape(scaled, 3, 4);
        Value rows = g.Binary(BinaryFunction.Subtract, grid, g.Reshape(g.Dense(x, 4), 1, 4));
        Value mixed = g.Binary(BinaryFunction.Maximum, rows, g.Unary(UnaryFunction.Negate, g.Unary(UnaryFunction.Abs, grid)));
        Value bounded = g.Clip(g.Binary(BinaryFunction.Minimum, mixed, grid), -2f, 2f);
        Value positive = g.Binary(BinaryFunction.Add, g.Unary(UnaryFunction.Exp, bounded), new TensorShape(1), [0.5f]);
        Value logs = g.Unary(UnaryFunction.Reciprocal, g.Unary(UnaryFunction.Sqrt, g.Binary(BinaryFunction.Add, g.Unary(UnaryFunction.Log, positive), new TensorShape(1), [2f])));
        g.Output(g.Dense(g.Flatten(logs), Classes));
        return g.Build(seed: 10, maxBatch: 32);
    }

    /// <summary>
    /// The comparison, logical and selection ops: And of two comparisons choosing between a value and a constant row
    /// (Where), Min and Max of two values (ties split), Expand, Tile and Pad in every mode.
    /// </summary>
    private static Model Select()
    {
        var g = new GraphBuilder();
        Value x = g.Input(new TensorShape(Features));
        Value h = g.Reshape(g.Dense(x, 12), 3, 4);
        Value inside = g.Single(new BinaryOp(BinaryFunction.And),
            g.Binary(BinaryFunction.Greater, h, new TensorShape(1), [-0.5f]), g.Binary(BinaryFunction.LessOrEqual, h, new TensorShape(4), [0.5f, 1, 0, 2]));
        Value either = g.Single(new BinaryOp(BinaryFunction.Or), inside, g.Binary(BinaryFunction.Equal, h, new TensorShape(1), [0f]));
        var where = new WhereOp(b: new TensorShape(4));
        Value chosen = g.Single(where, either, h);
        chosen = g.Binary(BinaryFunction.Minimum, g.Binary(BinaryFunction.Maximum, chosen, h), g.Single(new BinaryOp(BinaryFunction.Xor), inside, either));
        Value e = g.Single(new TileOp(1, 1, 2), g.Single(new ExpandOp(2, 3, 4), chosen));
        e = g.Single(new PadOp([0, 1, 1], [1, 0, 2], PadMode.Reflect), e);
        e = g.Single(new PadOp([0, 0, 2], [0, 1, 0], PadMode.Edge), e);
        e = g.Single(new PadOp([1, 0, 0], [0, 0, 1], PadMode.Constant, -0.5f), e);
        e = g.Single(new PadOp([0, 1, 0], [0, 0, 1], PadMode.Wrap), e);
        g.Output(g.Dense(g.Flatten(e), Classes));
        Model model = g.Build(seed: 12, maxBatch: 32);
        float[] row = [-1, 0.25f, 2, -3];
        row.CopyTo(where.Constant(2));
        return model;
    }

    /// <summary>
    /// Self-attention over the image's rows as 8 tokens of 8 pixels: one Dense over tokens split into Q, K and V, the
    /// keys transposed, the scores' softmax times V, the residual and LayerNorm, then a Dense over the flattened tokens.
    /// </summary>
    private static Model Attention()
    {
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(Features)), Side, Side);
        IReadOnlyList<Value> qkv = g.Split(g.Dense(x, 3 * Side), -1, Side, Side, Side);
        Value scores = g.Softmax(g.MatMul(qkv[0], g.Transpose(qkv[1], 1, 0)));
        Value h = g.LayerNorm(g.Add(x, g.MatMul(scores, qkv[2])));
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed: 11, maxBatch: 32);
    }

    /// <summary>The network <paramref name="name"/>, trained for three steps.</summary>
    public static Model Create(string name)
    {
        Model model = name switch
        {
            "mlp" => new ModelBuilder(Features).Dense(32, ActivationKind.Relu).Dropout(0.2f).Dense(16, ActivationKind.Tanh).Dense(Classes).Build(seed: 1, maxBatch: 32),
            "batchnorm" => new ModelBuilder(Features).Dense(32).BatchNorm().Activation(ActivationKind.Relu).Dropout(0.1f).Dense(Classes).Build(seed: 2, maxBatch: 32),
            "lenet" => ReferenceNetworks.LeNet(Side, Classes, seed: 3, maxBatch: 32),
            "resnet" => ReferenceNetworks.ResNet(Side, Classes, seed: 4, maxBatch: 32),
            "lstm" => ReferenceNetworks.Lstm(Side, Classes, seed: 5, maxBatch: 32),
            "gru" => ReferenceNetworks.Gru(Side, Classes, seed: 6, maxBatch: 32),
            "rnn" => ReferenceNetworks.Rnn(Side, Classes, seed: 7, maxBatch: 32),
            "convolutions" => Convolutions(),
            "activations" => Activations(),
            "recurrent-variants" => RecurrentVariants(),
            "dilated-avgpool" => DilatedAveragePool(),
            "ends-with-softmax" => EndsWithSoftmax(),
            "elementwise" => Elementwise(),
            "upsampling" => Upsampling(),
            "volumes" => Volumes(),
            "select" => Select(),
            "attention" => Attention(),
            "silu" => new ModelBuilder(Features).Dense(16, ActivationKind.Silu).Activation(ActivationKind.Silu).Dense(Classes).Build(seed: 9, maxBatch: 32),
            _ => throw new ArgumentException($"No export network '{name}'."),
        };
        var trainer = new Trainer(model, new SoftmaxCrossEntropyLoss(), new Adam(), new TrainerOptions { Epochs = 1, BatchSize = 32, LearningRate = 0.01f });
        trainer.Fit(Digits.Value.Subset([.. Enumerable.Range(0, 96)]));
        return model;
    }

    /// <summary><paramref name="rows"/> samples the networks did not train on (fewer than 9 rows).</summary>
    public static float[] Inputs(int rows) => Digits.Value.Features.AsSpan(96 * Features, rows * Features).ToArray();

    public const int InputFeatures = Features;

    public const int Outputs = Classes;

    /// <summary>
    /// Transposed convolutions: stride 2 with padding and output padding, groups, dilation, asymmetric pads, no bias;
    /// between strided convolutions, as a decoder upsamples.
    /// </summary>
    private static Model Upsampling()
    {
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(Features)), 1, Side, Side);
        Value h = g.Conv2D(x, 4, kernel: 3, stride: 2, pad: 1, activation: ActivationKind.Relu);
        h = g.Single(new ConvTranspose2DOp(6, Window2D.Square(3, stride: 2, pad: 1), groups: 2, outputPaddingHeight: 1, outputPaddingWidth: 1), h);
        h = g.Single(new ConvTranspose2DOp(3, new Window2D(2, 3, 1, 2, 0, 1, 1, 0, 2, 1), bias: false, outputPaddingWidth: 1), h);
        h = g.Conv2D(h, 2, kernel: 3, stride: 2, activation: ActivationKind.Tanh);
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed: 11, maxBatch: 32);
    }

    /// <summary>The 3-D ops over the digits read as one 4×4×4 volume: ConvTranspose up, MaxPool and a padded AveragePool down.</summary>
    private static Model Volumes()
    {
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(Features)), 1, 4, 4, 4);
        Value h = g.Single(new ConvTranspose3DOp(2, Window3D.Cube(3, stride: 2, pad: 1), outputPaddingDepth: 1, outputPaddingHeight: 1, outputPaddingWidth: 1), x);
        h = g.Single(new MaxPool3DOp(new Window3D(new(2, 2), new(2, 2), new(3, 2, 1, 0))), h);
        h = g.Single(new AvgPool3DOp(new Window3D(new(3, 1, 1, 1), new(2, 1, 0, 1), new(3, 2, 1, 1)), countIncludePad: true), h);
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed: 12, maxBatch: 32);
    }

    /// <summary>Probabilities out: our importer reads a final Softmax as the flag EndsWithSoftmax and no node.</summary>
    private static Model EndsWithSoftmax()
    {
        var g = new GraphBuilder();
        g.Output(g.Softmax(g.Dense(g.Dense(g.Input(new TensorShape(Features)), 16, ActivationKind.Elu, 0.5f), Classes)));
        return g.Build(seed: 8, maxBatch: 32);
    }

    /// <summary>
    /// Conv2D with groups (and depthwise), asymmetric pads, stride, dilation, SAME_UPPER and SAME_LOWER padding, with
    /// and without bias; both pools (padding counted or not, ceil mode, dilation); Concat; global max pool; LayerNorm;
    /// Add of a bias; Softmax inside.
    /// </summary>
    private static Model Convolutions()
    {
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(Features)), 1, Side, Side);
        Value h = g.Conv2D(x, 8, kernel: 3, pad: 1, activation: ActivationKind.Relu);
        h = g.Single(new Conv2DOp(8, new Window2D(3, 3, padTop: 1, padLeft: 2, padBottom: 3, padRight: 2, dilationHeight: 2, dilationWidth: 2), groups: 4), h);
        Value max = g.Single(new MaxPool2DOp(new Window2D(3, 3, 2, 2, 1, 1, 1, 1)), h);
        Value mean = g.Single(new AvgPool2DOp(new Window2D(3, 3, 2, 2, 1, 1, 1, 1), countIncludePad: true), h);
        Value meanNoPad = g.Single(new AvgPool2DOp(new Window2D(2, 2, 2, 2), ceilMode: true), h);
        Value dilatedMax = g.Single(new MaxPool2DOp(new Window2D(2, 2, 2, 2, dilationHeight: 2, dilationWidth: 2), ceilMode: true), h);
        Value lower = g.Single(new Conv2DOp(8, new Window2D(2, 2, 2, 2, autoPad: AutoPad.SameLower), activation: ActivationKind.Sigmoid), h);
        h = g.Concat(0, max, mean, meanNoPad, dilatedMax, lower);
        h = g.Single(new Conv2DOp(8, new Window2D(3, 3, 2, 2, autoPad: AutoPad.SameUpper), activation: ActivationKind.LeakyRelu), h);
        h = g.Single(new Conv2DOp(8, new Window2D(1, 1), groups: 8, bias: false), h);
        h = g.Flatten(g.Single(new GlobalMaxPoolOp(), h));
        h = g.LayerNorm(g.Single(new AddOp(withBias: true), h));
        h = g.Dense(g.Softmax(g.Dense(h, 12)), Classes);
        g.Output(h);
        return g.Build(seed: 10, maxBatch: 32);
    }

    /// <summary>Every activation kind but SiLU, each fused into a Dense and as a node of its own.</summary>
    private static Model Activations()
    {
        var g = new GraphBuilder();
        Value h = g.Input(new TensorShape(Features));
        foreach (ActivationKind kind in Enum.GetValues<ActivationKind>().Where(k => k is not (ActivationKind.Silu or ActivationKind.Identity)))
        {
            float alpha = kind is ActivationKind.LeakyRelu ? 0.2f : kind is ActivationKind.Elu ? 0.7f : float.NaN;
            h = g.Activation(g.Dense(h, 12, kind, alpha), kind, alpha);
        }
        g.Output(g.Dense(g.Activation(h, ActivationKind.Identity), Classes));
        return g.Build(seed: 11, maxBatch: 32);
    }

    /// <summary>
    /// A bidirectional LSTM's sequence, a reverse GRU with the reset before the product, two ReLU RNN layers, an LSTM
    /// with computed initial states, a bidirectional RNN, and a reverse LSTM whose Y, Y_h and Y_c are all read.
    /// </summary>
    private static Model RecurrentVariants()
    {
        var g = new GraphBuilder();
        Value rows = g.Reshape(g.Input(new TensorShape(Features)), Side, Side);
        Value both = g.Flatten(g.Lstm(rows, Hidden, direction: RecurrentDirection.Bidirectional));
        Value gru = g.Gru(rows, Hidden, direction: RecurrentDirection.Reverse, returnSequence: false, linearBeforeReset: false);
        Value rnn = g.Rnn(rows, Hidden, layers: 2, relu: true, returnSequence: false);
        Value flat = g.Flatten(rows);
        Value lstm = g.Lstm(rows, Hidden, returnSequence: false, initialHidden: g.Dense(flat, Hidden, ActivationKind.Tanh), initialCell: g.Dense(flat, Hidden));
        Value birnn = g.Rnn(rows, Hidden, direction: RecurrentDirection.Bidirectional, returnSequence: false);
        IReadOnlyList<Value> all = g.Node(new LstmOp(Hidden, RecurrentDirection.Reverse, RecurrentOutputs.Sequence | RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell), rows);
        g.Output(g.Dense(g.Concat(0, both, gru, rnn, lstm, birnn, g.Flatten(all[0]), all[1], all[2]), Classes));
        return g.Build(seed: 12, maxBatch: 32);
    }

    /// <summary>An average pool with dilations, which ONNX has from opset 19.</summary>
    private static Model DilatedAveragePool()
    {
        var g = new GraphBuilder();
        Value x = g.Reshape(g.Input(new TensorShape(Features)), 1, Side, Side);
        Value h = g.Single(new AvgPool2DOp(new Window2D(2, 2, 1, 1, dilationHeight: 2, dilationWidth: 2)), g.Conv2D(x, 4, kernel: 3));
        g.Output(g.Dense(g.Flatten(h), Classes));
        return g.Build(seed: 13, maxBatch: 32);
    }
}
