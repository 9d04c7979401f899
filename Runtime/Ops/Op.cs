using Simd.Runtime.Initializers;
using Simd.Runtime.Tensors;

namespace Simd.Runtime.Ops;

/// <summary>
/// What a node computes: one file per op, forward beside backward (llm.c). An op learns its input shapes once
/// (<see cref="InferShapes"/>, the one place sizes are checked), declares its named tensors (trainable parameters
/// and buffers such as running statistics, which live in the model's <see cref="ParameterBlock"/>) and the scratch
/// its backward needs (which lives in the activation arena), and then runs over spans the runtime hands it. It
/// holds no memory of its own, so one op instance serves training, and a frozen copy serves any number of threads.
/// Ops are created by name through <see cref="OpRegistry"/>; a runtime never switches over op kinds.
/// </summary>
public abstract class Op
{
    private OpTensor[] _tensors = [];
    private Tensor[] _values = [];
    private Tensor[] _gradients = [];
    private int[] _handles = [];

    /// <summary>The op's registry name: stable, lower-case, the name model files store.</summary>
    public abstract string Kind { get; }

    /// <summary>Named tensors, in declaration order (parameters train; buffers are kept state).</summary>
    public IReadOnlyList<OpTensor> Tensors => _tensors;

    /// <summary>Trainable parameters of this op.</summary>
    public int ParameterCount => _tensors.Where(t => t.Trainable).Sum(t => t.Shape.Length);

    /// <summary>
    /// Checks the sample shapes of the inputs (without batch dimension) and returns the outputs'. Throws an
    /// <see cref="ArgumentException"/> that says, in the user's terms, what does not fit.
    /// </summary>
    public abstract TensorShape[] InferShapes(ReadOnlySpan<TensorShape> inputs);

    /// <summary>The op's settings by stable lower-case names (model files, ONNX, cloning for freezing).</summary>
    public virtual void WriteAttributes(OpAttributes attributes) { }

    /// <summary>The named tensors the op needs, known once the shapes are: called after <see cref="InferShapes"/>.</summary>
    protected virtual OpTensor[] DeclareTensors() => [];

    /// <summary>Floats of each scratch region for batches of up to <paramref name="maxBatch"/> rows.</summary>
    internal virtual int[] ScratchLengths(int maxBatch, bool training) => [];

    /// <summary>True when output 0 is input 0 viewed with another shape: the planner may give both one buffer.</summary>
    internal virtual bool IsView => false;

    /// <summary>Fresh initial values (weights drawn from the model's seeded stream, in graph order).</summary>
    internal virtual void Initialize(DeterministicRandom random) { }

    /// <summary>Writes the outputs from the inputs. In evaluation mode it must not change any field of the op.</summary>
    internal abstract void Forward(in OpContext context);

    /// <summary>
    /// Writes the gradients of the inputs that <see cref="OpContext.NeedsInputGradient"/> asks for (overwriting:
    /// the runtime accumulates where a value feeds several nodes) and of the op's parameters (overwriting). The
    /// output gradients may be overwritten; the forward call's inputs, outputs and scratch are intact.
    /// </summary>
    internal abstract void Backward(in OpContext context);

    /// <summary>Readies a frozen op for serving (packs weights, folds statistics); the op is immutable afterwards.</summary>
    internal virtual void Prepare() { }

    /// <summary>Frees what <see cref="Prepare"/> made.</summary>
    internal virtual void ReleasePrepared() { }

    /// <summary>Index of the named tensor, or -1.</summary>
    public int TensorIndex(string name)
    {
        for (int i = 0; i < _tensors.Length; i++)
            if (_tensors[i].Name == name) return i;
        return -1;
    }

    /// <summary>The values of named tensor <paramref name="index"/>.</summary>
    public Span<float> TensorData(int index) => _values[index].Span;

    /// <summary>The gradient of trainable tensor <paramref name="index"/> (empty for buffers and frozen models).</summary>
    public Span<float> TensorGradient(int index) => _gradients[index].Span;

    /// <summary>The tensors the op would declare, without reserving them (a loader checks a file's shapes against these).</summary>
    internal OpTensor[] TensorSpecs() => DeclareTensors();

    internal void ReserveTensors(ParameterBlock block)
    {
        _tensors = DeclareTensors();
        _handles = new int[_tensors.Length];
        for (int i = 0; i < _tensors.Length; i++)
            _handles[i] = _tensors[i].Trainable ? block.ReserveParameter(_tensors[i].Shape) : block.ReserveBuffer(_tensors[i].Shape);
    }

    internal void BindTensors(ParameterBlock block)
    {
        _values = new Tensor[_tensors.Length];
        _gradients = new Tensor[_tensors.Length];
        for (int i = 0; i < _tensors.Length; i++)
        {
            _values[i] = _tensors[i].Trainable ? block.Parameter(_handles[i]) : block.Buffer(_handles[i]);
            _gradients[i] = _tensors[i].Trainable ? block.Gradient(_handles[i]) : default;
        }
        OnTensorsBound();
    }

    /// <summary>Called once the named tensors have memory: ops cache their views here.</summary>
    protected virtual void OnTensorsBound() { }

    private protected Span<float> Data(int index) => _values[index].Span;

    private protected Span<float> Gradient(int index) => _gradients[index].Span;

    public override string ToString() => Kind;
}

/// <summary>A named tensor an op keeps: a trainable parameter, or a buffer (running statistics).</summary>
public readonly record struct OpTensor(string Name, TensorShape Shape, bool Trainable);
