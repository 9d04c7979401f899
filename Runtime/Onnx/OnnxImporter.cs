using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;
using Simd.Runtime.Models;

namespace Simd.Runtime.Onnx;

/// <summary>
/// Imports an ONNX multilayer perceptron into a sequential <see cref="Model"/>: a chain of Gemm (or MatMul with an
/// optional Add of a bias), the activations our kernels implement with ONNX's attribute values, BatchNormalization
/// over features, Flatten (axis 1), Dropout, Identity, and an optional trailing Softmax. Weights come from the
/// graph's initializers. Anything else raises an <see cref="OnnxImportException"/> naming the node and its op.
/// </summary>
public static class OnnxImporter
{
    /// <summary>The operators the importer maps.</summary>
    public static IReadOnlyList<string> SupportedOps { get; } =
    [
        "Gemm", "MatMul", "Add", "Relu", "LeakyRelu", "Elu", "Selu", "Sigmoid", "Tanh", "Gelu", "Softplus", "Softsign",
        "HardSigmoid", "HardSwish", "Mish", "BatchNormalization", "Flatten", "Dropout", "Identity", "Softmax",
    ];

    public static OnnxImportResult Load(string path, long seed = 1, int maxBatch = 64) =>
        Import(OnnxModel.Load(path), seed, maxBatch);

    public static OnnxImportResult Import(ReadOnlySpan<byte> bytes, long seed = 1, int maxBatch = 64) =>
        Import(OnnxModel.Read(bytes), seed, maxBatch);

    /// <param name="seed">Seeds the model's dropout stream (the weights all come from the graph).</param>
    /// <param name="maxBatch">Rows the model's activation buffers are first sized for.</param>
    public static OnnxImportResult Import(OnnxModel model, long seed = 1, int maxBatch = 64)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnnxGraph graph = model.Graph;
        var initializers = new Dictionary<string, OnnxTensor>();
        foreach (OnnxTensor t in graph.Initializers) initializers[t.Name] = t;

        var data = graph.Inputs.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (data.Count != 1)
            throw new OnnxImportException("graph", "", $"expected one data input; found {data.Count} ({string.Join(", ", data.Select(d => d.Name))}).");
        if (graph.Outputs.Count != 1)
            throw new OnnxImportException("graph", "", $"expected one output; found {graph.Outputs.Count}.");

        var chain = new Chain(data[0], initializers, model.Opset(""));
        for (int i = 0; i < graph.Nodes.Count; i++)
            chain.Add(graph.Nodes[i], last: i == graph.Nodes.Count - 1);
        if (chain.Current != graph.Outputs[0].Name)
            throw new OnnxImportException("graph", "", $"the output '{graph.Outputs[0].Name}' is not the end of the node chain ('{chain.Current}').");
        return new OnnxImportResult(chain.Build(seed, maxBatch), chain.EndsWithSoftmax);
    }

    /// <summary>Walks the nodes as one chain, collecting layer steps; the model is built once the input width is known.</summary>
    private sealed class Chain
    {
        private readonly Dictionary<string, OnnxTensor> _initializers;
        private readonly long _opset;
        private readonly List<Action<ModelBuilder>> _steps = [];
        private readonly List<DenseWeights> _dense = [];
        private readonly List<BatchNormWeights> _batchNorms = [];
        private readonly IReadOnlyList<long?>? _inputShape;
        private int? _inputSize;
        private int? _width;
        private DenseWeights? _openDense;
        private bool _flat;

        public Chain(OnnxValueInfo input, Dictionary<string, OnnxTensor> initializers, long opset)
        {
            _initializers = initializers;
            _opset = opset;
            Current = input.Name;
            _inputShape = input.Shape;
            if (_inputShape is { Count: >= 2 } && _inputShape.Skip(1).All(d => d is > 0))
                _inputSize = _width = checked((int)_inputShape.Skip(1).Aggregate(1L, (p, d) => p * d!.Value));
            else if (_inputShape is { Count: < 2 })
                throw new OnnxImportException("graph", "", $"input '{input.Name}' has rank {_inputShape.Count}; expected [batch, features…].");
        }

        public string Current { get; private set; }

        public bool EndsWithSoftmax { get; private set; }

        public void Add(OnnxNode node, bool last)
        {
            if (EndsWithSoftmax)
                throw Fail(node, "a node after Softmax; Softmax is supported only as the last node.");
            if (node.Domain is not ("" or "ai.onnx"))
                throw Fail(node, $"domain '{node.Domain}' is not supported.");
            DenseWeights? open = _openDense;
            _openDense = null;
            switch (node.OpType)
            {
                case "Gemm": Gemm(node); break;
                case "MatMul": MatMul(node); break;
                case "Add": AddBias(node, open); break;
                case "Relu": Activation(node, ActivationKind.Relu, float.NaN); break;
                case "LeakyRelu": Activation(node, ActivationKind.LeakyRelu, node.Float("alpha", 0.01f)); break;
                case "Elu": Activation(node, ActivationKind.Elu, node.Float("alpha", 1f)); break;
                case "Selu":
                    Require(node, Near(node.Float("alpha", SeluAlpha), SeluAlpha) && Near(node.Float("gamma", SeluGamma), SeluGamma),
                        "Selu with alpha/gamma other than the standard constants has no layer.");
                    Activation(node, ActivationKind.Selu, float.NaN);
                    break;
                case "Sigmoid": Activation(node, ActivationKind.Sigmoid, float.NaN); break;
                case "Tanh": Activation(node, ActivationKind.Tanh, float.NaN); break;
                case "Gelu":
                    string approximate = node.String("approximate", "none");
                    Activation(node, approximate switch
                    {
                        "none" => ActivationKind.GeluErf,
                        "tanh" => ActivationKind.GeluTanh,
                        _ => throw Fail(node, $"approximate '{approximate}' is not 'none' or 'tanh'."),
                    }, float.NaN);
                    break;
                case "Softplus": Activation(node, ActivationKind.Softplus, float.NaN); break;
                case "Softsign": Activation(node, ActivationKind.Softsign, float.NaN); break;
                case "HardSigmoid":
                    // Our HardSigmoid is PyTorch's x/6 + 1/2 (what torch exports as alpha 1/6, beta 0.5).
                    Require(node, Near(node.Float("alpha", 0.2f), 1f / 6) && Near(node.Float("beta", 0.5f), 0.5f),
                        $"HardSigmoid alpha {node.Float("alpha", 0.2f)}, beta {node.Float("beta", 0.5f)}; only alpha 1/6, beta 0.5 has a layer.");
                    Activation(node, ActivationKind.HardSigmoid, float.NaN);
                    break;
                case "HardSwish": Activation(node, ActivationKind.HardSwish, float.NaN); break;
                case "Mish": Activation(node, ActivationKind.Mish, float.NaN); break;
                case "BatchNormalization": BatchNorm(node); break;
                case "Flatten": Flatten(node); break;
                case "Dropout": Dropout(node); break;
                case "Identity": Pass(node); break;
                case "Softmax":
                    Require(node, last, "Softmax is supported only as the last node.");
                    long axis = node.Int("axis", _opset >= 13 ? -1 : 1);
                    Require(node, axis is -1 or 1, $"Softmax axis {axis}; only the feature axis (1 or -1) is supported.");
                    Pass(node);
                    EndsWithSoftmax = true;
                    break;
                default:
                    throw Fail(node, $"op is not supported; the importer maps {string.Join(", ", SupportedOps)}.");
            }
        }

        public Model Build(long seed, int maxBatch)
        {
            if (_inputSize is not int inputs)
                throw new OnnxImportException("graph", "", "the input width is unknown: give the input a shape or start with Gemm/MatMul.");
            if (_steps.Count == 0)
                throw new OnnxImportException("graph", "", "the graph has no layer to import.");
            var builder = new ModelBuilder(inputs);
            foreach (Action<ModelBuilder> step in _steps) step(builder);
            Model model = builder.Build(seed, maxBatch);
            int dense = 0, batchNorm = 0;
            foreach (var node in model.Nodes)
            {
                if (node.Op is DenseOp d)
                {
                    DenseWeights w = _dense[dense++];
                    w.Weights.CopyTo(d.Weights);
                    w.Bias.CopyTo(d.Bias);
                }
                else if (node.Op is BatchNormOp b)
                {
                    BatchNormWeights w = _batchNorms[batchNorm++];
                    w.Gamma.CopyTo(b.Gamma);
                    w.Beta.CopyTo(b.Beta);
                    w.Mean.CopyTo(b.RunningMean);
                    w.Variance.CopyTo(b.RunningVariance);
                }
            }
            // Subnormal initializers would slow every product they enter (no flush-to-zero mode in .NET).
            Subnormals.FlushToZero(model.Parameters.Parameters);
            Subnormals.FlushToZero(model.Parameters.Buffers);
            return model;
        }

        private void Gemm(OnnxNode node)
        {
            TakeData(node, 0);
            RequireFlat(node);
            Require(node, node.Int("transA", 0) == 0, "transA = 1 (a transposed batch) is not supported.");
            bool transB = node.Int("transB", 0) != 0;
            float alpha = node.Float("alpha", 1f), beta = node.Float("beta", 1f);
            OnnxTensor b = Weight(node, 1, rank: 2);
            int inputs = (int)(transB ? b.Dims[1] : b.Dims[0]), outputs = (int)(transB ? b.Dims[0] : b.Dims[1]);
            ReadOnlySpan<float> stored = b.Floats;
            var w = new float[inputs * outputs];
            // Dense keeps W as [inputs × outputs]; Gemm with transB = 1 stores [outputs × inputs].
            for (int i = 0; i < inputs; i++)
                for (int o = 0; o < outputs; o++)
                    w[i * outputs + o] = alpha * (transB ? stored[o * inputs + i] : stored[i * outputs + o]);
            var bias = new float[outputs];
            if (node.HasInput(2))
            {
                OnnxTensor c = Weight(node, 2, rank: null);
                Broadcast(node, c, outputs, bias);
                for (int o = 0; o < outputs; o++) bias[o] *= beta;
            }
            AddDense(node, inputs, outputs, w, bias);
        }

        private void MatMul(OnnxNode node)
        {
            TakeData(node, 0);
            RequireFlat(node);
            OnnxTensor b = Weight(node, 1, rank: 2);
            AddDense(node, (int)b.Dims[0], (int)b.Dims[1], b.Floats.ToArray(), new float[(int)b.Dims[1]]);
        }

        /// <summary>Add of a bias right after MatMul (or Gemm) joins that Dense's bias.</summary>
        private void AddBias(OnnxNode node, DenseWeights? open)
        {
            Require(node, node.Inputs.Count == 2, $"Add with {node.Inputs.Count} inputs.");
            int data = node.Inputs[0] == Current ? 0 : node.Inputs[1] == Current ? 1 : -1;
            Require(node, data >= 0, $"neither input is the chain's current value '{Current}' (a branch).");
            Require(node, open is not null, "Add is supported only as the bias of a preceding MatMul or Gemm.");
            OnnxTensor c = Weight(node, 1 - data, rank: null);
            var add = new float[open!.Bias.Length];
            Broadcast(node, c, add.Length, add);
            for (int o = 0; o < add.Length; o++) open.Bias[o] += add[o];
            Advance(node);
            _openDense = open;
        }

        private void AddDense(OnnxNode node, int inputs, int outputs, float[] weights, float[] bias)
        {
            Require(node, inputs > 0 && outputs > 0, $"weights of {inputs} × {outputs}.");
            if (_width is int width)
                Require(node, width == inputs, $"weights take {inputs} features, but {width} arrive.");
            _inputSize ??= inputs;
            _width = outputs;
            var dense = new DenseWeights(weights, bias);
            _dense.Add(dense);
            _steps.Add(b => b.Dense(outputs));
            Advance(node);
            _openDense = dense;
        }

        private void Activation(OnnxNode node, ActivationKind kind, float alpha)
        {
            TakeData(node, 0);
            _steps.Add(b => b.Activation(kind, alpha));
            Advance(node);
        }

        private void BatchNorm(OnnxNode node)
        {
            TakeData(node, 0);
            RequireFlat(node);
            Require(node, node.Outputs.Count(o => o.Length > 0) == 1, "running-statistics outputs (training mode) are not supported.");
            int features = RequireWidth(node);
            OnnxTensor gamma = Weight(node, 1, rank: 1), beta = Weight(node, 2, rank: 1), mean = Weight(node, 3, rank: 1), variance = Weight(node, 4, rank: 1);
            foreach (OnnxTensor t in new[] { gamma, beta, mean, variance })
                Require(node, t.ElementCount == features, $"'{t.Name}' has {t.ElementCount} values for {features} features.");
            float epsilon = node.Float("epsilon", 1e-5f), momentum = node.Float("momentum", 0.9f);
            Require(node, momentum is >= 0 and <= 1, $"momentum {momentum} is outside [0, 1].");
            // ONNX's momentum weighs the old running value, ours the batch.
            _steps.Add(b => b.BatchNorm(epsilon, 1 - momentum));
            _batchNorms.Add(new BatchNormWeights(gamma.Floats.ToArray(), beta.Floats.ToArray(), mean.Floats.ToArray(), variance.Floats.ToArray()));
            Advance(node);
        }

        private void Flatten(OnnxNode node)
        {
            TakeData(node, 0);
            Require(node, node.Int("axis", 1) == 1, $"axis {node.Int("axis", 1)}; only axis 1 (keep the batch) is supported.");
            _flat = true;
            _steps.Add(b => b.Flatten());
            Advance(node);
        }

        private void Dropout(OnnxNode node)
        {
            TakeData(node, 0);
            float rate = 0.5f;
            if (_opset < 12) rate = node.Float("ratio", 0.5f);
            else if (node.HasInput(1))
            {
                OnnxTensor ratio = Weight(node, 1, rank: null);
                Require(node, ratio.ElementCount == 1, "ratio is not a scalar.");
                rate = ratio.Floats[0];
            }
            Require(node, rate is >= 0 and < 1, $"ratio {rate} is outside [0, 1).");
            _steps.Add(b => b.Dropout(rate));
            Advance(node);
        }

        private void Pass(OnnxNode node)
        {
            TakeData(node, 0);
            Advance(node);
        }

        private void TakeData(OnnxNode node, int index)
        {
            Require(node, node.HasInput(index) && node.Inputs[index] == Current,
                $"input {index} is '{(index < node.Inputs.Count ? node.Inputs[index] : "")}', not the chain's current value '{Current}' (the graph is not one chain).");
        }

        /// <summary>Dense and batch-norm layers see [batch, features]; an input of higher rank needs a Flatten first.</summary>
        private void RequireFlat(OnnxNode node) =>
            Require(node, _flat || _inputShape is null or { Count: <= 2 },
                $"the input has rank {_inputShape?.Count}; a Flatten (axis 1) must come before {node.OpType}.");

        private void Advance(OnnxNode node)
        {
            Require(node, node.Outputs.Count >= 1 && node.Outputs[0].Length > 0, "the node has no output.");
            Current = node.Outputs[0];
        }

        private int RequireWidth(OnnxNode node) =>
            _width ?? throw Fail(node, "the feature count is unknown here: give the graph input a shape.");

        private OnnxTensor Weight(OnnxNode node, int index, int? rank)
        {
            Require(node, node.HasInput(index), $"input {index} is missing.");
            string name = node.Inputs[index];
            if (!_initializers.TryGetValue(name, out OnnxTensor? t))
                throw Fail(node, $"input {index} '{name}' is not an initializer; weights must be constants.");
            Require(node, t.DataType == OnnxDataType.Float, $"initializer '{name}' holds {t.DataType}; expected Float.");
            if (rank is int r)
                Require(node, t.Dims.Count == r, $"initializer '{name}' has shape [{string.Join(",", t.Dims)}]; expected rank {r}.");
            return t;
        }

        /// <summary>A bias of shape [], [1], [n] or [1, n] spread over n outputs.</summary>
        private static void Broadcast(OnnxNode node, OnnxTensor c, int n, float[] bias)
        {
            bool row = c.Dims.Count <= 2 && (c.Dims.Count < 2 || c.Dims[0] == 1);
            Require(node, row && (c.ElementCount == n || c.ElementCount == 1),
                $"bias '{c.Name}' of shape [{string.Join(",", c.Dims)}] does not broadcast over one row of {n}.");
            ReadOnlySpan<float> v = c.Floats;
            for (int o = 0; o < n; o++) bias[o] = v.Length == 1 ? v[0] : v[o];
        }

        private static void Require(OnnxNode node, bool condition, string detail)
        {
            if (!condition) throw Fail(node, detail);
        }

        private static OnnxImportException Fail(OnnxNode node, string detail) => new(node.DisplayName, node.OpType, detail);

        private static bool Near(float a, float b) => MathF.Abs(a - b) <= 1e-6f * MathF.Max(1, MathF.Abs(b));

        private const float SeluAlpha = 1.67326319217681884765625f, SeluGamma = 1.05070102214813232421875f;
    }

    private sealed record DenseWeights(float[] Weights, float[] Bias);

    private sealed record BatchNormWeights(float[] Gamma, float[] Beta, float[] Mean, float[] Variance);
}
