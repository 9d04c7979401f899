namespace Simd.Runtime.Ops;

/// <summary>
/// Ops by stable name. The model file, the ONNX importer and the command line create ops only through this table,
/// so none of them holds a switch over op kinds, and an op added here is known to all of them at once.
/// </summary>
public static class OpRegistry
{
    private static readonly Dictionary<string, Func<OpAttributes, Op>> Factories = new(StringComparer.Ordinal);

    static OpRegistry()
    {
        Register(DenseOp.Name, DenseOp.Create);
        Register(ActivationOp.Name, ActivationOp.Create);
        Register(BatchNormOp.Name, BatchNormOp.Create);
        Register(LayerNormOp.Name, LayerNormOp.Create);
        Register(DropoutOp.Name, DropoutOp.Create);
        Register(FlattenOp.Name, FlattenOp.Create);
        Register(ReshapeOp.Name, ReshapeOp.Create);
        Register(AddOp.Name, AddOp.Create);
        Register(UnaryMathOp.Name, UnaryMathOp.Create);
        Register(BinaryOp.Name, BinaryOp.Create);
        Register(WhereOp.Name, WhereOp.Create);
        Register(ExpandOp.Name, ExpandOp.Create);
        Register(TileOp.Name, TileOp.Create);
        Register(PadOp.Name, PadOp.Create);
        Register(ConcatOp.Name, ConcatOp.Create);
        Register(SoftmaxOp.Name, SoftmaxOp.Create);
        Register(ReduceOp.Name, ReduceOp.Create);
        Register(PReluOp.Name, PReluOp.Create);
        Register(CeluOp.Name, CeluOp.Create);
        Register(Conv2DOp.Name, Conv2DOp.Create);
        Register(ConvTranspose2DOp.Name, ConvTranspose2DOp.Create);
        Register(MaxPool2DOp.Name, MaxPool2DOp.Create);
        Register(AvgPool2DOp.Name, AvgPool2DOp.Create);
        Register(GlobalAveragePoolOp.Name, GlobalAveragePoolOp.Create);
        Register(GlobalMaxPoolOp.Name, GlobalMaxPoolOp.Create);
        Register(MaxPool3DOp.Name, MaxPool3DOp.Create);
        Register(AvgPool3DOp.Name, AvgPool3DOp.Create);
        Register(ConvTranspose3DOp.Name, ConvTranspose3DOp.Create);
        Register(LstmOp.Name, LstmOp.Create);
        Register(GruOp.Name, GruOp.Create);
        Register(RnnOp.Name, RnnOp.Create);
        Register(MatMulOp.Name, MatMulOp.Create);
        Register(TransposeOp.Name, TransposeOp.Create);
        Register(SplitOp.Name, SplitOp.Create);
        Register(NllLossOp.Name, NllLossOp.Create);
        Register(SoftmaxCrossEntropyLossOp.Name, SoftmaxCrossEntropyLossOp.Create);
        Register(SliceOp.Name, SliceOp.Create);
        Register(GatherElementsOp.Name, GatherElementsOp.Create);
        Register(AdamOp.Name, AdamOp.Create);
        Register(AdagradOp.Name, AdagradOp.Create);
        Register(MomentumOp.Name, MomentumOp.Create);
    }

    /// <summary>The registered names, sorted.</summary>
    public static IReadOnlyList<string> Kinds => [.. Factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Adds an op kind; its name must be new.</summary>
    public static void Register(string kind, Func<OpAttributes, Op> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentNullException.ThrowIfNull(factory);
        lock (Factories)
        {
            if (!Factories.TryAdd(kind, factory)) throw new ArgumentException($"An op named '{kind}' is already registered.", nameof(kind));
        }
    }

    public static bool IsKnown(string kind)
    {
        lock (Factories) return Factories.ContainsKey(kind);
    }

    /// <summary>Creates an op from its settings.</summary>
    /// <exception cref="ArgumentException">Unknown kind, or a setting is missing, of another type or out of range.</exception>
    public static Op Create(OpAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        Func<OpAttributes, Op>? factory;
        lock (Factories) Factories.TryGetValue(attributes.Kind, out factory);
        if (factory is null)
            throw new ArgumentException($"'{attributes.Kind}' is not an op; expected one of {string.Join(", ", Kinds)}.");
        return factory(attributes);
    }

    /// <summary>
    /// A fresh, unbound op with the same settings, after <paramref name="change"/> if given (freezing builds its
    /// graph from these, and its passes change a setting this way: an activation fused in, a bias added).
    /// </summary>
    public static Op Clone(Op op, Action<OpAttributes>? change = null)
    {
        ArgumentNullException.ThrowIfNull(op);
        var attributes = new OpAttributes(op.Kind);
        op.WriteAttributes(attributes);
        change?.Invoke(attributes);
        return Create(attributes);
    }
}
