using Simd.Runtime.Ops;
using Simd.Runtime.Tensors;
using Simd.Runtime.Tests.Ops;

namespace Simd.Runtime.Tests.Recurrent;

/// <summary>
/// LSTM, GRU (both placements of the reset gate) and RNN (tanh, ReLU) through the op tester: forward against the
/// plain loops of <see cref="RecurrentReference"/>, backward against finite differences through time, at batches
/// 1 and 7, over sequences of 1, 2 and 17 steps, forward, reverse and both directions, every choice of outputs (the sequence, the final state, an LSTM's final cell), with
/// and without initial states, and with uneven lengths (a length of 0 among them).
/// </summary>
public sealed class RecurrentOpTests
{
    private static readonly int[] Batches = [1, 7];

    public sealed record Setting(string Name, int Steps, int Features, int Hidden, RecurrentDirection Direction = RecurrentDirection.Forward, RecurrentOutputs Outputs = RecurrentOutputs.Sequence,
        bool InitialState = false, bool Lengths = false)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<string, Setting> Settings()
    {
        Setting[] settings =
        [
            new("1 step", 1, 3, 4),
            new("2 steps last", 2, 2, 5, Outputs: RecurrentOutputs.FinalState),
            new("17 steps", 17, 3, 3),
            new("17 steps bidirectional last initial", 17, 2, 3, Direction: RecurrentDirection.Bidirectional, Outputs: RecurrentOutputs.FinalState, InitialState: true),
            new("uneven lengths bidirectional", 6, 3, 2, Direction: RecurrentDirection.Bidirectional, Lengths: true),
            new("uneven lengths last initial", 5, 2, 3, Outputs: RecurrentOutputs.FinalState, InitialState: true, Lengths: true),
            new("hidden 19 initial", 2, 5, 19, InitialState: true),
            new("17 steps reverse", 17, 2, 3, Direction: RecurrentDirection.Reverse),
            new("every output bidirectional lengths initial", 7, 2, 3, Direction: RecurrentDirection.Bidirectional, InitialState: true, Lengths: true,
                Outputs: RecurrentOutputs.Sequence | RecurrentOutputs.FinalState | RecurrentOutputs.FinalCell),
            new("final cell only", 4, 2, 3, Outputs: RecurrentOutputs.FinalCell),
            new("uneven lengths reverse last initial", 5, 3, 2, Direction: RecurrentDirection.Reverse, Outputs: RecurrentOutputs.FinalState, InitialState: true, Lengths: true),
        ];
        var data = new TheoryData<string, Setting>();
        foreach (string cell in new[] { "lstm", "gru", "gru-reset-first", "rnn", "rnn-relu" })
            foreach (var s in settings) data.Add(cell, s);
        return data;
    }

    internal static RecurrentOp Create(string cell, Setting s) => cell switch
    {
        "lstm" => new LstmOp(s.Hidden, s.Direction, CellOutputs(cell, s.Outputs), s.InitialState, s.Lengths),
        "gru" => new GruOp(s.Hidden, linearBeforeReset: true, s.Direction, CellOutputs(cell, s.Outputs), s.InitialState, s.Lengths),
        "gru-reset-first" => new GruOp(s.Hidden, linearBeforeReset: false, s.Direction, CellOutputs(cell, s.Outputs), s.InitialState, s.Lengths),
        "rnn" => new RnnOp(s.Hidden, relu: false, s.Direction, CellOutputs(cell, s.Outputs), s.InitialState, s.Lengths),
        "rnn-relu" => new RnnOp(s.Hidden, relu: true, s.Direction, CellOutputs(cell, s.Outputs), s.InitialState, s.Lengths),
        _ => throw new ArgumentException(cell),
    };

    /// <summary>The outputs a cell has: only an LSTM has a cell state (the others output their final hidden state in its place).</summary>
    private static RecurrentOutputs CellOutputs(string cell, RecurrentOutputs outputs) =>
        cell == "lstm" || (outputs & RecurrentOutputs.FinalCell) == 0 ? outputs : (outputs & ~RecurrentOutputs.FinalCell) | RecurrentOutputs.FinalState;

    /// <summary>Lengths that cover the whole sequence, one step, none, and those between.</summary>
    internal static float[] Lengths(int rows, int steps)
    {
        var lengths = new float[rows];
        for (int n = 0; n < rows; n++) lengths[n] = n == 0 ? steps - 1 : (n * 3 + 1) % (steps + 1);
        return lengths;
    }

    public static TheoryData<string, Setting> FrozenSettings()
    {
        var data = new TheoryData<string, Setting>();
        foreach (string cell in new[] { "lstm", "gru", "gru-reset-first", "rnn", "rnn-relu" })
        {
            data.Add(cell, new("frozen 17 steps bidirectional initial lengths", 17, 3, 5, Direction: RecurrentDirection.Bidirectional, InitialState: true, Lengths: true));
            data.Add(cell, new("frozen hidden 33 last", 3, 4, 33, Outputs: RecurrentOutputs.FinalState));
        }
        return data;
    }

    /// <summary>Frozen (packed weights), the op still agrees with the reference.</summary>
    [Theory]
    [MemberData(nameof(FrozenSettings))]
    public void FrozenMatchesTheReference(string cell, Setting s) => Check(cell, s, frozen: true);

    [Theory]
    [MemberData(nameof(Settings))]
    public void MatchesTheReferenceAndFiniteDifferences(string cell, Setting s) => Check(cell, s, frozen: false);

    private static void Check(string cell, Setting s, bool frozen)
    {
        var probe = Create(cell, s);
        var shapes = new List<TensorShape> { new(s.Steps, s.Features) };
        int states = probe.StateCount;
        if (s.InitialState) shapes.AddRange(Enumerable.Repeat(new TensorShape(probe.Directions * s.Hidden), states));
        if (s.Lengths) shapes.Add(new TensorShape(1));
        int lengthsInput = probe.LengthsInput;
        OpTester.Check(new OpCase($"{cell} {s.Name}", () => Create(cell, s), [.. shapes], RecurrentReference.Run)
        {
            Batches = Batches,
            InputValues = (input, rows) => s.Lengths && input == lengthsInput ? Lengths(rows, s.Steps) : null,
            NonSmooth = cell == "rnn-relu",
            Training = !frozen,
            Prepared = frozen,
            CheckBackward = !frozen,
        });
    }
}
