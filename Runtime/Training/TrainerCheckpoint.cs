using System.Buffers.Binary;
using Simd.Runtime.Initializers;
using Simd.Runtime.Models;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Training;

/// <summary>
/// Checkpoints: the model's entries plus <c>checkpoint.*</c> entries for optimizer state, epoch, the shuffle stream,
/// early-stopping state and history, in the same container as model files. Resuming from one and training on gives
/// the same bits as never stopping.
/// </summary>
public sealed partial class Trainer
{
    private const int HistoryFields = 9;

    /// <summary>Writes a checkpoint atomically (see <see cref="ModelContainer.Save(string)"/>); returns the stale
    /// temporary files of interrupted earlier writes of <paramref name="path"/> that it removed.</summary>
    public IReadOnlyList<string> SaveCheckpoint(string path)
    {
        var container = new ModelContainer();
        Model.WriteTo(container);
        var parameters = Model.Parameters;
        container.SetString("checkpoint.optimizer", Optimizer.Name);
        container.SetInt64("checkpoint.optimizer_steps", Optimizer.StepCount);
        container.SetTensor("checkpoint.optimizer_state", [ParameterBlockSlots, parameters.ParameterLength], parameters.AllOptimizerState);
        container.SetInt64("checkpoint.epoch", CompletedEpochs);
        Span<ulong> state = stackalloc ulong[DeterministicRandom.StateLength];
        _shuffleRandom.GetState(state);
        container.SetBytes("checkpoint.shuffle_random", Model.StateBytes(state));
        container.SetDouble("checkpoint.best_loss", _bestLoss);
        container.SetInt64("checkpoint.best_epoch", _bestEpoch);
        container.SetInt64("checkpoint.epochs_since_best", _epochsSinceBest);
        container.SetInt64("checkpoint.stopped_early", _stoppedEarly ? 1 : 0);
        if (_bestState.Length > 0) container.SetTensor("checkpoint.best_state", [_bestState.Length], _bestState);
        container.SetBytes("checkpoint.history", HistoryBytes());
        return container.Save(path);
    }

    /// <summary>Restores a checkpoint into this trainer, its model and optimizer (which must match what was saved).</summary>
    public void LoadCheckpoint(string path)
    {
        var container = ModelContainer.Load(path);
        try
        {
            Restore(container);
        }
        catch (ModelFormatException e)
        {
            throw e.WithPath(path);
        }
        catch (ModelEntryNotFoundException e)
        {
            string what = container.Contains("checkpoint.epoch") ? "the file is not a complete checkpoint" : "the file holds a model but no checkpoint";
            throw new ModelFormatException($"entry '{e.EntryName}'", null, $"is missing: {what}", path);
        }
    }

    private void Restore(ModelContainer container)
    {
        string optimizer = container.GetString("checkpoint.optimizer");
        if (optimizer != Optimizer.Name)
            throw Model.Bad("checkpoint.optimizer", $"is '{optimizer}', this trainer uses '{Optimizer.Name}'");
        // The graph first: a checkpoint of another network is reported by the node that differs, not by a state size.
        Model.CheckSameGraph(container);
        var parameters = Model.Parameters;
        float[] optimizerState = container.GetTensor("checkpoint.optimizer_state", out int[] shape);
        if (shape.Length != 2 || shape[0] != ParameterBlockSlots || shape[1] != parameters.ParameterLength)
            throw Model.Bad("checkpoint.optimizer_state",
                $"has shape [{string.Join(", ", shape)}], expected [{ParameterBlockSlots}, {parameters.ParameterLength}]");
        long steps = container.GetInt64("checkpoint.optimizer_steps");
        if (steps < 0) throw Model.Bad("checkpoint.optimizer_steps", $"is {steps}, expected a count");
        long epoch = container.GetInt64("checkpoint.epoch");
        if (epoch < 0 || epoch > int.MaxValue) throw Model.Bad("checkpoint.epoch", $"is {epoch}, expected a count");
        var shuffle = Model.ReadState(container.GetBytes("checkpoint.shuffle_random"), "checkpoint.shuffle_random");
        var history = ReadHistory(container.GetBytes("checkpoint.history"));
        float[] best = [];
        if (container.Contains("checkpoint.best_state"))
        {
            best = container.GetTensor("checkpoint.best_state", out int[] bestShape);
            if (best.Length != parameters.ParameterLength + parameters.BufferLength)
                throw Model.Bad("checkpoint.best_state", $"has {best.Length} values, expected {parameters.ParameterLength + parameters.BufferLength}");
        }

        Model.ReadStateFrom(container);
        optimizerState.CopyTo(parameters.AllOptimizerState);
        Optimizer.StepCount = steps;
        CompletedEpochs = (int)epoch;
        _shuffleRandom.SetState(shuffle);
        _bestLoss = container.GetDouble("checkpoint.best_loss");
        _bestEpoch = (int)container.GetInt64("checkpoint.best_epoch");
        _epochsSinceBest = (int)container.GetInt64("checkpoint.epochs_since_best");
        _stoppedEarly = container.GetInt64("checkpoint.stopped_early") != 0;
        _bestState = best;
        _history.Clear();
        _history.AddRange(history);
    }

    private const int ParameterBlockSlots = Simd.Runtime.Tensors.ParameterBlock.OptimizerSlots;

    private byte[] HistoryBytes()
    {
        var bytes = new byte[_history.Count * HistoryFields * sizeof(double)];
        var span = bytes.AsSpan();
        int o = 0;
        foreach (var e in _history)
        {
            foreach (double v in (ReadOnlySpan<double>)[e.Epoch, e.TrainLoss, e.TrainAccuracy, e.ValidationLoss, e.ValidationAccuracy,
                         e.ValidationMicroF1, e.LearningRate, e.Improved ? 1 : 0, e.Elapsed.TotalSeconds])
            {
                BinaryPrimitives.WriteDoubleLittleEndian(span.Slice(o), v);
                o += sizeof(double);
            }
        }
        return bytes;
    }

    private static List<EpochResult> ReadHistory(byte[] bytes)
    {
        const int record = HistoryFields * sizeof(double);
        if (bytes.Length % record != 0)
            throw Model.Bad("checkpoint.history", $"has {bytes.Length} bytes, not a multiple of {record}");
        var list = new List<EpochResult>(bytes.Length / record);
        for (int o = 0; o < bytes.Length; o += record)
        {
            double F(int i) => BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(o + i * sizeof(double)));
            list.Add(new EpochResult((int)F(0), F(1), F(2), F(3), F(4), F(5), (float)F(6), F(7) != 0, TimeSpan.FromSeconds(F(8))));
        }
        return list;
    }
}
