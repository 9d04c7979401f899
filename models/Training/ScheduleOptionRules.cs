using System.CommandLine;
using System.CommandLine.Parsing;
using Simd.Models.Cli;

namespace Simd.Models.Training;

/// <summary>
/// Options that tune one learning-rate schedule: given with another schedule they would be silently ignored, so they
/// are refused with the schedule they belong to.
/// </summary>
internal static class ScheduleOptionRules
{
    private static readonly TrainOptions Defaults = new();

    /// <summary>
    /// Adds the checks to the options themselves, after their value checks, so that a bad value is reported first.
    /// </summary>
    public static void Install(TrainCommand train)
    {
        foreach (var (option, owner) in new (Option, ScheduleChoice)[]
                 {
                     (train.StepEpochs, ScheduleChoice.Step), (train.Gamma, ScheduleChoice.Step), (train.WarmupEpochs, ScheduleChoice.Warmup),
                 })
            option.Validators.Add(result => Check(train, result, owner));
    }

    private static void Check(TrainCommand train, OptionResult result, ScheduleChoice owner)
    {
        if (result.Implicit || result.Parent is not CommandResult command ||
            !OptionFactory.TryGetValue(command, train.Schedule, TrainChoices.Schedules.NameOf(Defaults.Schedule), out string? text) ||
            !TrainChoices.Schedules.TryParse(text, out ScheduleChoice schedule) || schedule == owner)
            return;
        string name = result.Option.Name, wanted = TrainChoices.Schedules.NameOf(owner);
        result.AddError($"{name} tunes --schedule {wanted} only; --schedule {TrainChoices.Schedules.NameOf(schedule)} would ignore it: " +
                        $"give --schedule {wanted}, or leave out {name}.");
    }
}
