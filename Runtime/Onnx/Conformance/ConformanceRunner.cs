using System.Globalization;
using Simd.Runtime.Inference;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Models;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Onnx.Conformance;

/// <summary>
/// Runs ONNX test cases (<see cref="ConformanceCaseFolder"/>) through <see cref="OnnxImporter"/> and the imported
/// model frozen (<see cref="InferenceModel"/>), and compares each output with the case's as ONNX's backend tests do
/// (<see cref="Rtol"/>, <see cref="Atol"/>; shapes must match). Each import reads the graph with a batch axis first
/// and, where that is refused, as one sample (<see cref="OnnxBatchMode.OneSample"/>: node tests feed rank-1 inputs
/// and ops over axis 0); when both are refused, the reason names the real problem (see <see cref="Refusal"/>). A case is imported as it is first, every input fed and every output compared. Where that is refused, the case's weights (graph inputs in the node tests) become
/// initializers (<see cref="BoundInputs"/>), its first input is fed and each graph output is imported on its own:
/// those the importer refuses are left out, and named in the result. An import refusal of every output is a skip with
/// the importer's message; any other exception is a failure naming its message.
/// </summary>
public sealed class ConformanceRunner
{
    /// <summary>ONNX's backend-test relative bound for float32 outputs.</summary>
    public const double DefaultRtol = 1e-3;

    /// <summary>The absolute bound: 1e-5, for outputs near zero that float32 reaches through other rounding.</summary>
    public const double DefaultAtol = 1e-5;

    public ConformanceRunner(double rtol = DefaultRtol, double atol = DefaultAtol)
    {
        if (!(rtol >= 0) || !(atol >= 0) || !double.IsFinite(rtol) || !double.IsFinite(atol))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"the bounds must be finite and not negative; got rtol {rtol}, atol {atol}."));
        Rtol = rtol;
        Atol = atol;
    }

    public double Rtol { get; }

    public double Atol { get; }

    /// <summary>Every case at or below <paramref name="root"/>, in name order, each run when enumerated.</summary>
    public IEnumerable<ConformanceResult> RunAll(string root) => ConformanceCaseFolder.Find(root).Select(Run);

    public ConformanceResult Run(ConformanceCaseFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        try
        {
            return RunCase(folder);
        }
        catch (OnnxImportException e)
        {
            return Skip(folder, Flat(e.Message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever broke (a damaged file, a defect of the importer or a kernel) is this case's failure, not the run's.
            return Fail(folder, Flat(e.Message));
        }
    }

    private ConformanceResult RunCase(ConformanceCaseFolder folder)
    {
        OnnxModel model;
        try
        {
            model = OnnxModel.Load(folder.ModelPath);
        }
        catch (OnnxFormatException e)
        {
            return Fail(folder, $"{ConformanceCaseFolder.ModelFile}: {Flat(e.Message)}");
        }
        OnnxGraph graph = model.Graph;
        if (graph.Outputs.Count == 0 || BoundInputs.DataInputs(graph).Count == 0)
        {
            // Nothing to bind or compare: the importer says what it makes of the graph.
            using Model _ = OnnxImporter.Import(model).Model;
            return Fail(folder, "the graph has no input or no output to compare.");
        }

        IReadOnlyList<string> sets = folder.DataSets();
        if (sets.Count == 0)
            return Fail(folder, $"no test_data_set_* folder beside {ConformanceCaseFolder.ModelFile}.");
        IReadOnlyList<OnnxValueInfo> dataInputs = BoundInputs.DataInputs(graph);
        // In output order: the reasons read the same on every run.
        var refused = new List<(string Output, string Reason)>();
        bool compared = false;
        foreach (string set in sets)
        {
            string where = sets.Count > 1 ? $"{Path.GetFileName(set)}: " : "";
            OnnxTensor[] inputs = [.. dataInputs.Select((input, i) => Tensor(set, $"input_{i}.pb", $"input '{input.Name}'"))];
            OnnxTensor[] outputs = [.. graph.Outputs.Select((output, i) => Tensor(set, $"output_{i}.pb", $"output '{output.Name}'"))];
            // The graph as it is first: every input fed, every output compared.
            OnnxModel declared = BoundInputs.Declare(model, inputs);
            OnnxImportResult? whole = ImportEither(declared, out _);
            if (whole is not null)
            {
                bool? result;
                string problem;
                using (Model _ = whole.Model) result = RunWhole(whole, inputs, outputs, dataInputs, graph.Outputs, out problem);
                // Data no batch reading fits (inputs of different batch sizes: numpy broadcasting of a batch of 1, as
                // MatMul's cases feed) are whole tensors: one sample, where the importer takes the graph so.
                if (result is null && !OneSample(whole) && ImportOneSample(declared) is { } alone)
                {
                    using Model _ = alone.Model;
                    if (RunWhole(alone, inputs, outputs, dataInputs, graph.Outputs, out string aloneProblem) is bool aloneOk)
                        (result, problem) = (aloneOk, aloneProblem);
                }
                if (result is bool ok)
                {
                    if (!ok) return Fail(folder, where + problem);
                    compared = true;
                    continue;
                }
                return Skip(folder, where + problem);
            }
            for (int o = 0; o < graph.Outputs.Count; o++)
            {
                OnnxImportResult? imported = ImportEither(BoundInputs.Bind(model, inputs, o), out string refusal);
                if (imported is null)
                {
                    if (!refused.Any(r => r.Output == graph.Outputs[o].Name)) refused.Add((graph.Outputs[o].Name, refusal));
                    continue;
                }
                using Model _ = imported.Model;
                if (RunOutput(imported, inputs[0], outputs[o], graph.Outputs[o].Name, dataInputs[0].Name, out string problem) is bool ok)
                {
                    if (!ok) return Fail(folder, where + problem);
                    compared = true;
                }
                else
                {
                    return Skip(folder, where + problem);
                }
            }
        }
        if (!compared)
        {
            string reason = refused.Select(r => r.Reason).Distinct().Count() == 1 ? refused[0].Reason
                : string.Join("; ", refused.Select(r => $"output '{r.Output}': {r.Reason}"));
            return Skip(folder, reason);
        }
        if (refused.Count == 0) return new ConformanceResult(folder.Name, ConformanceOutcome.Pass, null);
        string left = string.Join("; ", refused.Select(r => $"output '{r.Output}' not produced: {r.Reason}"));
        return new ConformanceResult(folder.Name, ConformanceOutcome.Pass, left);
    }

    /// <summary>
    /// The graph imported with a batch axis or, where that is refused, as one sample; null with the refusal that
    /// tells what the graph holds: the one-sample import's, unless it refused only what makes a graph no one sample
    /// (<see cref="OnnxImportException.OneSampleOnly"/>), where the batch import's names the real problem.
    /// </summary>
    private static OnnxImportResult? ImportEither(OnnxModel model, out string refusal)
    {
        refusal = "";
        try
        {
            return OnnxImporter.Import(model);
        }
        catch (OnnxImportException batched)
        {
            try
            {
                return OnnxImporter.Import(model, batchMode: OnnxBatchMode.OneSample);
            }
            catch (OnnxImportException alone)
            {
                refusal = Flat(Refusal(batched, alone));
                return null;
            }
        }
    }

    /// <summary>The graph imported as one sample; null where the importer refuses it so.</summary>
    private static OnnxImportResult? ImportOneSample(OnnxModel model)
    {
        try
        {
            return OnnxImporter.Import(model, batchMode: OnnxBatchMode.OneSample);
        }
        catch (OnnxImportException)
        {
            return null;
        }
    }

    /// <summary>
    /// Why neither import took the graph. A node both refuse, or a node the batch import refuses where the other
    /// refuses only what makes a graph no one sample: the batch import's words, in the graph's own shapes. The batch
    /// import refusing the inputs' shapes and the other a node for want of a batch axis: both. Else the one-sample
    /// import's, which read the graph as it is meant.
    /// </summary>
    private static string Refusal(OnnxImportException batched, OnnxImportException alone)
    {
        bool sameNode = alone.Node == batched.Node && alone.OpType == batched.OpType;
        if (sameNode || (alone.OneSampleOnly && batched.OpType.Length > 0)) return batched.Message;
        return alone.OneSampleOnly ? $"{batched.Message} As one sample: {alone.Message}" : alone.Message;
    }

    /// <summary>
    /// Feeds the first input to the frozen model and compares its output: true when it matches, false with the
    /// mismatch, null with the reason when the data cannot be fed (a batch of no samples).
    /// </summary>
    private bool? RunOutput(OnnxImportResult imported, OnnxTensor x, OnnxTensor expected, string outputName, string inputName, out string problem)
    {
        int inputAxis = imported.InputBatchAxis, outputAxis = imported.OutputBatchAxis;
        int batch = OneSample(imported) ? 1 : (int)x.Dims[inputAxis];
        if (batch == 0)
        {
            problem = $"input '{inputName}' holds no samples (its batch dimension, axis {inputAxis}, is 0).";
            return null;
        }
        using InferenceModel frozen = InferenceModel.Freeze(imported.Model, new InferenceOptions { MaxBatch = batch });
        float[] input = BatchAxisOrder.ToFront(x.Floats, x.Dims, inputAxis);
        if (input.Length != (long)batch * frozen.InputSize)
        {
            problem = $"input '{inputName}' has shape {Shape(x.Dims)}: {input.Length} values for {batch} samples of {frozen.InputSize}.";
            return false;
        }
        var y = new float[(long)batch * frozen.OutputSize];
        frozen.Predict(input, batch, y);
        problem = CompareOutput(imported, y, batch, frozen.Graph.Outputs[0].SampleShape, outputAxis, expected, outputName) ?? "";
        return problem.Length == 0;
    }

    /// <summary>
    /// One output's rows (batch first; softmax applied where the import left the graph's trailing one out) against
    /// the case's, with the batch put back where ONNX has it: null when shape, element type and values match, else
    /// what is wrong.
    /// </summary>
    private string? CompareOutput(OnnxImportResult imported, float[] y, int batch, TensorShape sample, int axis, OnnxTensor expected, string name)
    {
        if (imported.EndsWithSoftmax) Softmax.Forward(y, y, batch, sample.Length);
        int[] dimsOfSample = sample.ToArray();
        // One sample: the model's sample is the ONNX tensor, and its batch of 1 is no ONNX axis.
        long[] dims = OneSample(imported) ? [.. dimsOfSample.Select(d => (long)d)]
            : [.. dimsOfSample.Take(axis).Select(d => (long)d), batch, .. dimsOfSample.Skip(axis).Select(d => (long)d)];
        if (!dims.SequenceEqual(expected.Dims)) return $"output '{name}' has shape {Shape(dims)}; expected {Shape(expected.Dims)}.";
        if (expected.DataType != OnnxDataType.Float) return $"output '{name}' is expected as {expected.DataType}; the model computes Float (float32).";
        return OutputComparison.Mismatch(name, dims, expected.Floats, BatchAxisOrder.FromFront(y, dims, axis), Rtol, Atol);
    }

    /// <summary>
    /// Feeds every input of a graph imported whole (each moved batch-first) and compares every output: true when all
    /// match, false with the first mismatch, null with the reason when the data cannot be fed.
    /// </summary>
    private bool? RunWhole(OnnxImportResult imported, OnnxTensor[] inputs, OnnxTensor[] expected, IReadOnlyList<OnnxValueInfo> inputInfo,
        IReadOnlyList<OnnxValueInfo> outputInfo, out string problem)
    {
        Model model = imported.Model;
        int batch = -1;
        var fed = new ReadOnlyMemory<float>[inputs.Length];
        for (int k = 0; k < inputs.Length; k++)
        {
            OnnxTensor x = inputs[k];
            int axis = imported.InputBatchAxes[k];
            int samples = OneSample(imported) ? 1 : (int)x.Dims[axis];
            if (batch >= 0 && samples != batch)
            {
                problem = $"input '{inputInfo[k].Name}' holds {samples} samples (axis {axis}), input '{inputInfo[0].Name}' {batch}.";
                return null;
            }
            batch = samples;
            // Lengths arrive as Int32 (read as whole numbers); the model takes them as floats.
            float[] values = x.DataType == OnnxDataType.Float ? x.Floats.ToArray() : [.. x.Int64s.ToArray().Select(v => (float)v)];
            fed[k] = BatchAxisOrder.ToFront(values, x.Dims, axis);
        }
        if (batch == 0)
        {
            problem = $"input '{inputInfo[0].Name}' holds no samples (its batch dimension, axis {imported.InputBatchAxes[0]}, is 0).";
            return null;
        }
        using InferenceModel frozen = InferenceModel.Freeze(model, new InferenceOptions { MaxBatch = batch });
        for (int k = 0; k < inputs.Length; k++)
        {
            int width = model.Graph.Inputs[k].SampleLength;
            if (fed[k].Length != (long)batch * width)
            {
                problem = $"input '{inputInfo[k].Name}' has shape {Shape(inputs[k].Dims)}: {fed[k].Length} values for {batch} samples of {width}.";
                return false;
            }
        }
        var ys = new Memory<float>[expected.Length];
        for (int o = 0; o < ys.Length; o++) ys[o] = new float[(long)batch * model.Graph.Outputs[o].SampleLength];
        frozen.Predict(fed, batch, ys);
        for (int o = 0; o < ys.Length; o++)
        {
            string? mismatch = CompareOutput(imported, ys[o].ToArray(), batch, model.Graph.Outputs[o].SampleShape, imported.OutputBatchAxes[o], expected[o], outputInfo[o].Name);
            if (mismatch is not null)
            {
                problem = mismatch;
                return false;
            }
        }
        problem = "";
        return true;
    }

    private static bool OneSample(OnnxImportResult imported) => imported.BatchMode == OnnxBatchMode.OneSample;

    private static OnnxTensor Tensor(string set, string file, string what)
    {
        string path = Path.Combine(set, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{Path.GetFileName(set)} has no {file} for {what}.");
        try
        {
            return OnnxTensor.Load(path);
        }
        catch (OnnxFormatException e)
        {
            throw new InvalidDataException($"{Path.GetFileName(set)}/{file}: {Flat(e.Message)}", e);
        }
    }

    private static string Shape(IEnumerable<long> dims) => $"[{string.Join(", ", dims.Select(d => d.ToString(CultureInfo.InvariantCulture)))}]";

    /// <summary>One line per case: a message's line breaks become spaces.</summary>
    private static string Flat(string message) => message.ReplaceLineEndings(" ").Trim();

    private static ConformanceResult Fail(ConformanceCaseFolder folder, string reason) => new(folder.Name, ConformanceOutcome.Fail, reason);

    private static ConformanceResult Skip(ConformanceCaseFolder folder, string reason) => new(folder.Name, ConformanceOutcome.Skip, reason);
}
