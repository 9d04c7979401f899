using System.Globalization;

namespace Simd.Runtime.Training;

/// <summary>
/// A NaN or infinity where training needs finite numbers: in a batch's inputs (the data holds one), or in the
/// model's output or the loss (training diverged). Says where in the run it happened and at which learning rate.
/// </summary>
public sealed class NonFiniteValueException : ArithmeticException
{
    public NonFiniteValueException(string where, int row, int column, float value)
        : this(where, row, column, value, epoch: 0, step: 0, steps: 0, learningRate: float.NaN)
    {
    }

    internal NonFiniteValueException(string where, int row, int column, float value, int epoch, int step, int steps, float learningRate)
        : base(Format(where, row, column, value, epoch, step, steps, learningRate))
    {
        Where = where;
        Row = row;
        Column = column;
        Value = value;
        Epoch = epoch;
        Step = step;
        StepsPerEpoch = steps;
        LearningRate = learningRate;
    }

    /// <summary>The tensor that held it: "input", "output" or "loss".</summary>
    public string Where { get; }

    public int Row { get; }

    public int Column { get; }

    public float Value { get; }

    /// <summary>The epoch (from 1) whose step failed; 0 for a step run outside <see cref="Trainer.Fit"/>.</summary>
    public int Epoch { get; }

    /// <summary>The step (mini-batch, from 1) within <see cref="Epoch"/>; 0 outside <see cref="Trainer.Fit"/>.</summary>
    public int Step { get; }

    /// <summary>Steps in each epoch of the run; 0 outside <see cref="Trainer.Fit"/>.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>The learning rate of the failed step; NaN when not known.</summary>
    public float LearningRate { get; }

    /// <summary>True when the data, not the training, holds the value.</summary>
    public bool IsInInput => Where == "input";

    /// <summary>Where in the run, e.g. "epoch 3, step 17 of 41 (learning rate 0.003)"; empty when not known.</summary>
    public string Position => FormatPosition(Epoch, Step, StepsPerEpoch, LearningRate);

    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }

    private static string Format(string where, int row, int column, float value, int epoch, int step, int steps, float learningRate)
    {
        string position = FormatPosition(epoch, step, steps, learningRate);
        string at = position.Length == 0 ? "" : $" in {position}";
        string v = value.ToString(CultureInfo.InvariantCulture);
        return where switch
        {
            "input" => $"The training data holds {v} (batch row {row}, feature {column}){at}; " +
                       "remove or fill in such values before training.",
            "loss" => $"Training diverged{at}: the loss is {v}. " +
                      "Try a lower learning rate, gradient clipping, or check that the features are scaled.",
            _ => $"Training diverged{at}: {where} row {row} column {column} is {v}. " +
                 "Try a lower learning rate, gradient clipping, or check that the features are scaled.",
        };
    }

    private static string FormatPosition(int epoch, int step, int steps, float learningRate)
    {
        var c = CultureInfo.InvariantCulture;
        string rate = float.IsNaN(learningRate) ? "" : $"learning rate {learningRate.ToString("G3", c)}";
        if (epoch <= 0) return rate.Length == 0 ? "" : $"a step at {rate}";
        string where = steps > 0 ? $"epoch {epoch}, step {step} of {steps}" : $"epoch {epoch}, step {step}";
        return rate.Length == 0 ? where : $"{where} ({rate})";
    }
}
