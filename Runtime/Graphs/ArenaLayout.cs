namespace Simd.Runtime.Graphs;

/// <summary>
/// Where every value, value gradient and scratch region of a graph lives in its activation arena, planned once for
/// a maximum batch: a smaller batch uses the first rows of each region. Training keeps every forward value for the
/// backward pass and gives gradients only the span of the backward pass that needs them; inference keeps a value
/// from the node that writes it to the last node that reads it, and the caller's own buffers stand in for the
/// graph's input and output (where it has one of each; several are staged in regions of their own).
/// </summary>
internal sealed class ArenaLayout
{
    /// <summary>Offset of a value that is the caller's input (inference).</summary>
    public const int GraphInput = -1;

    /// <summary>Offset of a value that is the caller's output (inference).</summary>
    public const int GraphOutput = -2;

    /// <summary>Offset of a gradient nobody needs.</summary>
    public const int None = -3;

    private readonly int[] _inputGradientStart;
    private readonly int[] _inputGradientOffsets;
    private readonly bool[] _slotForInputGradient;
    private readonly bool[][] _runsBackward;
    private readonly int[] _scratchStart;
    private readonly (int Offset, int Length)[] _scratch;
    private readonly (int From, int To, int SampleLength)[][][] _accumulations;

    private ArenaLayout(int[] valueOffsets, int[] gradientOffsets, int[] inputGradientStart, int[] inputGradientOffsets, bool[] slotForInputGradient,
        bool[][] runsBackward, int[] scratchStart, (int, int)[] scratch, (int, int, int)[][][] accumulations, int length, int lengthWithoutInputGradient,
        int maxBatch)
    {
        ValueOffsets = valueOffsets;
        GradientOffsets = gradientOffsets;
        _inputGradientStart = inputGradientStart;
        _inputGradientOffsets = inputGradientOffsets;
        _slotForInputGradient = slotForInputGradient;
        _runsBackward = runsBackward;
        _scratchStart = scratchStart;
        _scratch = scratch;
        _accumulations = accumulations;
        Length = length;
        LengthWithoutInputGradient = lengthWithoutInputGradient;
        MaxBatch = maxBatch;
    }

    public int[] ValueOffsets { get; }

    /// <summary>Where each value's gradient lives, or <see cref="None"/> where no backward pass needs it.</summary>
    public int[] GradientOffsets { get; }

    /// <summary>Floats the arena holds, the input gradient's region included.</summary>
    public int Length { get; }

    /// <summary>
    /// Floats of the prefix of the arena that training without the input gradient uses: the gradients that only the
    /// graph input's gradient needs lie after it, so a model allocates them when that gradient is first asked for.
    /// </summary>
    public int LengthWithoutInputGradient { get; }

    public int MaxBatch { get; }

    /// <summary>
    /// Where node's input gradient goes, or <see cref="None"/>. A gradient is needed where a node upstream has
    /// parameters, or the graph input is upstream and <paramref name="graphInputs"/> asks for its gradient.
    /// </summary>
    public int InputGradientOffset(int node, int input, bool graphInputs)
    {
        int slot = _inputGradientStart[node] + input;
        return !graphInputs && _slotForInputGradient[slot] ? None : _inputGradientOffsets[slot];
    }

    /// <summary>False where the node's backward has nothing to write: no parameters and no input whose gradient is needed.</summary>
    public bool RunsBackward(int node, bool graphInputs) => _runsBackward[graphInputs ? 1 : 0][node];

    public (int Offset, int Length) Scratch(int node, int index) => _scratch[_scratchStart[node] + index];

    /// <summary>After node's backward: add each From region into its To region (a value with several consumers).</summary>
    public ReadOnlySpan<(int From, int To, int SampleLength)> Accumulations(int node, bool graphInputs = true) =>
        _accumulations[graphInputs ? 1 : 0][node];

    /// <summary>
    /// Layout for training: forward at times 2i, the loss at 2n, backward of node i at 2n + 2 + 2(n − 1 − i).
    /// Only the gradients a backward pass reads get memory: a value's, where some node upstream of it has parameters
    /// (or it is the graph output, which the loss writes); the ones only the graph input's gradient needs are planned
    /// apart, after <see cref="LengthWithoutInputGradient"/>. The gradient of a value is written first by its last
    /// consumer (which overwrites it) and read last by its producer; a consumer that is not the first writer writes
    /// into a region of its own that is then added.
    /// </summary>
    public static ArenaLayout ForTraining(Graph graph, int maxBatch)
    {
        int n = graph.Nodes.Count;
        int lossTime = 2 * n, end = 2 * n + 2 * n;
        int BackwardTime(int node) => 2 * n + 2 + 2 * (n - 1 - node);
        var values = graph.Values;
        // From the tensors the ops declare: a loader plans a graph before any op has its tensors.
        var parameters = graph.Nodes.Select(node => node.Op.TensorSpecs().Any(t => t.Trainable)).ToArray();
        var (forParameters, forInput) = GradientsNeeded(graph, parameters);
        // Buffers every step uses, then those only the input gradient needs, offset past the first plan.
        var planner = new ArenaPlanner();
        var inputPlanner = new ArenaPlanner();
        var valueHandles = new int[values.Count];
        var gradientHandles = new int[values.Count];
        var gradientForInput = new bool[values.Count];
        Array.Fill(gradientHandles, -1);
        foreach (var v in values)
        {
            long length = (long)maxBatch * v.SampleLength;
            valueHandles[v.Id] = IsAliased(v) ? -1 : planner.Add(length, 0, end);
            if (!forParameters[v.Id] && !forInput[v.Id] && !v.IsGraphOutput) continue;
            // Born when its last consumer (the first to run backward, so the earliest backward time) writes it:
            // with several consumers, the latest time would let the planner hand its memory to gradients written in between.
            int born = v.IsGraphOutput ? lossTime : v.Consumers.Min(c => BackwardTime(c.Index));
            int dies = v.Producer is null ? end : BackwardTime(v.Producer.Index);
            gradientForInput[v.Id] = !forParameters[v.Id] && !v.IsGraphOutput;
            gradientHandles[v.Id] = (gradientForInput[v.Id] ? inputPlanner : planner).Add(length, born, dies);
        }
        var (inputStart, inputSlots) = InputSlots(graph);
        var slotHandles = new int[inputSlots];
        var slotForInput = new bool[inputSlots];
        var slotIsAccumulation = new bool[inputSlots];
        var firstWriter = new Dictionary<int, (int Node, int Input)>();
        foreach (var v in values)
        {
            if (v.Consumers.Count == 0) continue;
            var last = v.Consumers[^1];
            int input = Enumerable.Range(0, last.Inputs.Count).First(j => last.Inputs[j] == v);
            firstWriter[v.Id] = (last.Index, input);
        }
        foreach (var node in graph.Nodes)
        {
            for (int j = 0; j < node.Inputs.Count; j++)
            {
                var v = node.Inputs[j];
                int slot = inputStart[node.Index] + j;
                slotHandles[slot] = -1;
                if (!forParameters[v.Id] && !forInput[v.Id]) continue;
                slotForInput[slot] = !forParameters[v.Id];
                if (!v.IsGraphOutput && firstWriter[v.Id] == (node.Index, j)) { slotHandles[slot] = gradientHandles[v.Id]; continue; }
                int t = BackwardTime(node.Index);
                slotHandles[slot] = (slotForInput[slot] ? inputPlanner : planner).Add((long)maxBatch * v.SampleLength, t, t + 1);
                slotIsAccumulation[slot] = true;
            }
        }
        var (scratchStart, scratchHandles, scratchLengths) = ScratchSlots(graph, maxBatch, training: true, planner,
            node => (2 * node.Index, BackwardTime(node.Index)));
        var (offsets, common) = planner.Plan();
        var (inputOffsets, inputOnly) = inputPlanner.Plan();
        int total = ArenaPlanner.CheckedLength((long)common + inputOnly);
        int Offset(int handle, bool forInputGradient) => handle < 0 ? None : forInputGradient ? common + inputOffsets[handle] : offsets[handle];

        var valueOffsets = ResolveAliases(graph, valueHandles, offsets, graphInputExternal: false);
        var gradientOffsets = values.Select(v => Offset(gradientHandles[v.Id], gradientForInput[v.Id])).ToArray();
        var slotOffsets = Enumerable.Range(0, inputSlots).Select(s => Offset(slotHandles[s], slotForInput[s])).ToArray();
        var accumulations = new (int, int, int)[2][][];
        var runsBackward = new bool[2][];
        for (int mode = 0; mode < 2; mode++)
        {
            accumulations[mode] = new (int, int, int)[n][];
            runsBackward[mode] = new bool[n];
            foreach (var node in graph.Nodes)
            {
                var list = new List<(int, int, int)>();
                bool runs = parameters[node.Index];
                for (int j = 0; j < node.Inputs.Count; j++)
                {
                    int slot = inputStart[node.Index] + j;
                    if (slotHandles[slot] < 0 || (mode == 0 && slotForInput[slot])) continue;
                    runs = true;
                    if (slotIsAccumulation[slot])
                        list.Add((slotOffsets[slot], gradientOffsets[node.Inputs[j].Id], node.Inputs[j].SampleLength));
                }
                accumulations[mode][node.Index] = [.. list];
                runsBackward[mode][node.Index] = runs;
            }
        }
        var scratch = Array.ConvertAll(scratchHandles.Zip(scratchLengths).ToArray(), p => (offsets[p.First], p.Second));
        return new ArenaLayout(valueOffsets, gradientOffsets, inputStart, slotOffsets, slotForInput, runsBackward, scratchStart, scratch,
            accumulations, total, common, maxBatch);
    }

    /// <summary>
    /// Which values' gradients a backward pass reads: those downstream of a node with parameters (its parameter
    /// gradients need them), and, apart, those downstream of the graph input alone (only its gradient needs them).
    /// </summary>
    private static (bool[] ForParameters, bool[] ForInput) GradientsNeeded(Graph graph, bool[] parameters)
    {
        var forParameters = new bool[graph.Values.Count];
        var forInput = new bool[graph.Values.Count];
        foreach (var v in graph.Inputs) forInput[v.Id] = true;
        foreach (var node in graph.Nodes)
        {
            bool upstream = parameters[node.Index] || node.Inputs.Any(v => forParameters[v.Id]);
            bool input = !upstream && node.Inputs.Any(v => forInput[v.Id]);
            foreach (var v in node.Outputs)
            {
                forParameters[v.Id] = upstream;
                forInput[v.Id] = input;
            }
        }
        return (forParameters, forInput);
    }

    /// <summary>Layout for inference: node i runs at time i; the graph's input and output are the caller's buffers.</summary>
    public static ArenaLayout ForInference(Graph graph, int maxBatch)
    {
        var planner = new ArenaPlanner();
        var values = graph.Values;
        var handles = new int[values.Count];
        var lastUse = new int[values.Count];
        foreach (var v in values)
            lastUse[v.Id] = v.Consumers.Count == 0 ? v.Producer?.Index ?? 0 : v.Consumers[^1].Index;
        // A view and what it views share one buffer: it lives from the first producer to the last reader of either.
        foreach (var v in values.Reverse())
            if (IsAliased(v)) lastUse[Root(v).Id] = Math.Max(lastUse[Root(v).Id], lastUse[v.Id]);
        // One input and one output: the caller's buffers are read and written in place. Otherwise every input and
        // output has a region of its own, which the call fills from and copies to the caller's buffers.
        bool external = graph.Inputs.Count == 1 && graph.Outputs.Count == 1;
        int end = Math.Max(0, graph.Nodes.Count - 1);
        foreach (var v in values)
        {
            handles[v.Id] = -1;
            if (IsAliased(v) || (external && (v.Producer is null || v.IsGraphOutput))) continue;
            int born = v.Producer?.Index ?? 0, dies = v.IsGraphOutput ? end : lastUse[v.Id];
            handles[v.Id] = planner.Add((long)maxBatch * v.SampleLength, born, dies);
        }
        var (inputStart, inputSlots) = InputSlots(graph);
        var (scratchStart, scratchHandles, scratchLengths) = ScratchSlots(graph, maxBatch, training: false, planner,
            node => (node.Index, node.Index));
        var (offsets, total) = planner.Plan();
        var valueOffsets = ResolveAliases(graph, handles, offsets, graphInputExternal: external);
        var gradients = new int[values.Count];
        Array.Fill(gradients, None);
        var slots = new int[inputSlots];
        Array.Fill(slots, None);
        var none = Enumerable.Repeat(Array.Empty<(int, int, int)>(), graph.Nodes.Count).ToArray();
        var idle = new bool[graph.Nodes.Count];
        var scratch = Array.ConvertAll(scratchHandles.Zip(scratchLengths).ToArray(), p => (offsets[p.First], p.Second));
        return new ArenaLayout(valueOffsets, gradients, inputStart, slots, new bool[inputSlots], [idle, idle], scratchStart, scratch, [none, none],
            total, total, maxBatch);
    }

    /// <summary>Output 0 of a view op shares its input's buffer (unless it is the graph's output, which the caller owns).</summary>
    private static bool IsAliased(Value v) =>
        v.Producer is { Op.IsView: true } p && p.Outputs[0] == v && !v.IsGraphOutput;

    private static Value Root(Value v)
    {
        while (IsAliased(v)) v = v.Producer!.Inputs[0];
        return v;
    }

    private static int[] ResolveAliases(Graph graph, int[] handles, int[] offsets, bool graphInputExternal)
    {
        var result = new int[handles.Length];
        foreach (var v in graph.Values)
        {
            var root = Root(v);
            result[v.Id] = root.Producer is null && graphInputExternal ? GraphInput
                : graphInputExternal && root.IsGraphOutput ? GraphOutput
                : offsets[handles[root.Id]];
        }
        return result;
    }

    private static (int[] Start, int Count) InputSlots(Graph graph)
    {
        var start = new int[graph.Nodes.Count];
        int count = 0;
        foreach (var node in graph.Nodes)
        {
            start[node.Index] = count;
            count += node.Inputs.Count;
        }
        return (start, count);
    }

    private static (int[] Start, List<int> Handles, List<int> Lengths) ScratchSlots(Graph graph, int maxBatch, bool training,
        ArenaPlanner planner, Func<Node, (int Start, int End)> lifetime)
    {
        var start = new int[graph.Nodes.Count];
        var handles = new List<int>();
        var lengths = new List<int>();
        foreach (var node in graph.Nodes)
        {
            start[node.Index] = handles.Count;
            var (from, to) = lifetime(node);
            foreach (int length in node.Op.ScratchLengths(maxBatch, training))
            {
                handles.Add(planner.Add(length, from, to));
                lengths.Add(length);
            }
        }
        return (start, handles, lengths);
    }
}
