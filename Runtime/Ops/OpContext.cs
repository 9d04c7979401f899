using Simd.Runtime.Graphs;
using Simd.Runtime.Initializers;

namespace Simd.Runtime.Ops;

/// <summary>
/// What one forward or backward call of a node sees: its inputs, outputs, their gradients and its scratch, as
/// spans of the rows of this call, cut from the arena the plan laid out (or from the caller's own input and output
/// buffers at inference). A ref struct over spans: handing it out allocates nothing.
/// </summary>
public readonly ref struct OpContext
{
    private readonly Span<float> _arena;
    private readonly ReadOnlySpan<float> _graphInput;
    private readonly Span<float> _graphOutput;
    private readonly ArenaLayout _layout;
    private readonly Node _node;
    private readonly bool _graphInputGradient;

    internal OpContext(Span<float> arena, ReadOnlySpan<float> graphInput, Span<float> graphOutput, ArenaLayout layout, Node node,
        int rows, bool training, int threads, DeterministicRandom? random, bool graphInputGradient = false)
    {
        _graphInputGradient = graphInputGradient;
        _arena = arena;
        _graphInput = graphInput;
        _graphOutput = graphOutput;
        _layout = layout;
        _node = node;
        Rows = rows;
        Training = training;
        Threads = threads;
        Random = random;
    }

    /// <summary>Samples in this call.</summary>
    public int Rows { get; }

    /// <summary>Training mode: batch statistics in BatchNorm, a fresh mask in Dropout.</summary>
    public bool Training { get; }

    /// <summary>Threads handed to GEMM (results are bitwise equal for any count).</summary>
    public int Threads { get; }

    /// <summary>The model's dropout stream, advanced in graph order; null at inference.</summary>
    public DeterministicRandom? Random { get; }

    public ReadOnlySpan<float> Input(int index) => Slice(_node.Inputs[index], _layout.ValueOffsets);

    public Span<float> Output(int index) => SliceWritable(_node.Outputs[index], _layout.ValueOffsets);

    /// <summary>dLoss/d(output); the op may overwrite it, nothing reads it after this node's backward.</summary>
    public Span<float> OutputGradient(int index) => SliceWritable(_node.Outputs[index], _layout.GradientOffsets);

    /// <summary>
    /// False where no one reads the gradient (no node upstream of the input has parameters, and the graph input's
    /// gradient is not asked for or not upstream): the op skips it.
    /// </summary>
    public bool NeedsInputGradient(int index) => _layout.InputGradientOffset(_node.Index, index, _graphInputGradient) != ArenaLayout.None;

    /// <summary>Where the op writes dLoss/d(input) (overwriting); empty when not needed.</summary>
    public Span<float> InputGradient(int index)
    {
        int offset = _layout.InputGradientOffset(_node.Index, index, _graphInputGradient);
        return offset == ArenaLayout.None ? default : _arena.Slice(offset, Rows * _node.Inputs[index].SampleLength);
    }

    /// <summary>True when the planner gave output <paramref name="output"/> the buffer of input <paramref name="input"/> (a view).</summary>
    public bool SharesBuffer(int output, int input) =>
        _layout.ValueOffsets[_node.Outputs[output].Id] == _layout.ValueOffsets[_node.Inputs[input].Id];

    /// <summary>Scratch region <paramref name="index"/> as planned (its full length; the op cuts what this call needs).</summary>
    public Span<float> Scratch(int index)
    {
        var (offset, length) = _layout.Scratch(_node.Index, index);
        return _arena.Slice(offset, length);
    }

    private ReadOnlySpan<float> Slice(Value value, int[] offsets)
    {
        int offset = offsets[value.Id];
        int length = Rows * value.SampleLength;
        return offset switch
        {
            ArenaLayout.GraphInput => _graphInput[..length],
            ArenaLayout.GraphOutput => _graphOutput[..length],
            _ => _arena.Slice(offset, length),
        };
    }

    private Span<float> SliceWritable(Value value, int[] offsets)
    {
        int offset = offsets[value.Id];
        int length = Rows * value.SampleLength;
        return offset switch
        {
            ArenaLayout.GraphOutput => _graphOutput[..length],
            ArenaLayout.GraphInput => throw new InvalidOperationException($"Node '{_node.Name}' would write the caller's input."),
            _ => _arena.Slice(offset, length),
        };
    }
}
