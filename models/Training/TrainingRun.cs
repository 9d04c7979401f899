using Simd.Models.Cli;
using Simd.Runtime.Intrinsics;

namespace Simd.Models.Training;

/// <summary>The one place where the command line hands a prepared dataset and options to the training runtime.</summary>
internal static class TrainingRun
{
    public static int Execute(TrainOptions options, AppConsole console, CancellationToken cancellation)
    {
        console.Output.WriteLine(Isa.Describe());
        TrainingData data = TrainingData.Prepare(options);
        console.Output.WriteLine(Describe(data));
        throw new NotSupportedException("This build has no training runtime yet.");
    }

    internal static string Describe(TrainingData data)
    {
        string output = data.IsBinary ? "1 sigmoid output" : $"{data.Train.ClassCount} classes";
        string validation = data.Validation is null ? "" : $", validation {data.Validation.Count}";
        return $"data: {data.Name}, {data.Train.FeatureCount} features, {output}; train {data.Train.Count}{validation}, test {data.Test.Count}";
    }
}
