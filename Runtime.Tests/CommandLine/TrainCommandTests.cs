using System.CommandLine;
using Simd.Models.Training;
using Simd.Runtime.Data;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Tests.CommandLine;

public sealed class TrainCommandTests
{
    private static (TrainCommand Command, ParseResult Result) Parse(params string[] args)
    {
        var command = new TrainCommand();
        var root = new RootCommand { command.Command };
        return (command, root.Parse(["train", .. args]));
    }

    private static TrainOptions Bind(params string[] args)
    {
        var (command, result) = Parse(args);
        Assert.Empty(result.Errors);
        return command.Bind(result);
    }

    [Fact]
    public void NoArgumentsGiveTheDefaults()
    {
        TrainOptions o = Bind();

        Assert.Equal(new TrainOptions() with { Layers = o.Layers }, o);
        Assert.Equal([256, 128], o.Layers);
        Assert.Equal("digits", o.Data);
        Assert.Equal(OptimizerChoice.Adam, o.Optimizer);
        Assert.Equal(0.003f, o.EffectiveLearningRate);
        Assert.Null(o.LabelSmoothing);
        Assert.Equal(0.1f, o.Dropout);
        Assert.True(o.BatchNorm);
        Assert.Null(o.SavePath);
    }

    [Fact]
    public void EveryOptionMapsOntoTheRecord()
    {
        string save = Path.Combine(Path.GetTempPath(), "model.simd");
        TrainOptions o = Bind("--data", "iris", "--label-column", "0", "--test-fraction", "0.3", "--validation-fraction", "0",
            "--scaling", "minmax", "--layers", "256, 128,32", "--activation", "gelu-tanh", "--batch-norm", "false", "--dropout", "0.25",
            "--loss", "hinge", "--label-smoothing", "0", "--optimizer", "nesterov", "--lr", "0.02", "--schedule", "step",
            "--step-epochs", "5", "--gamma", "0.5", "--weight-decay", "0.0005", "--clip-norm", "1.5",
            "--batch-size", "64", "--epochs", "12", "--patience", "4", "--seed", "-3", "--threads", "2", "--save", save);

        Assert.Equal("iris", o.Data);
        Assert.Equal(0, o.LabelColumn);
        Assert.Equal(0.3, o.TestFraction);
        Assert.Equal(0.0, o.ValidationFraction);
        Assert.Equal(FeatureScaling.MinMax, o.Scaling);
        Assert.Equal([256, 128, 32], o.Layers);
        Assert.Equal(ActivationKind.GeluTanh, o.Activation);
        Assert.False(o.BatchNorm);
        Assert.Equal(0.25f, o.Dropout);
        Assert.Equal(LossChoice.Hinge, o.Loss);
        Assert.Equal(0f, o.LabelSmoothing);
        Assert.Equal(OptimizerChoice.Nesterov, o.Optimizer);
        Assert.Equal(0.02f, o.EffectiveLearningRate);
        Assert.Equal(ScheduleChoice.Step, o.Schedule);
        Assert.Equal(5, o.StepEpochs);
        Assert.Equal(0.5f, o.Gamma);
        Assert.Equal(0.0005f, o.WeightDecay);
        Assert.Equal(1.5f, o.ClipNorm);
        Assert.Equal(64, o.BatchSize);
        Assert.Equal(12, o.Epochs);
        Assert.Equal(4, o.Patience);
        Assert.Equal(-3, o.Seed);
        Assert.Equal(2, o.Threads);
        Assert.Equal(save, o.SavePath);
    }

    [Theory]
    [InlineData("cross-entropy", LossChoice.CrossEntropy)]
    [InlineData("CE", LossChoice.CrossEntropy)]
    [InlineData("bce", LossChoice.BinaryCrossEntropy)]
    [InlineData("hinge", LossChoice.Hinge)]
    [InlineData("mse", LossChoice.MeanSquaredError)]
    [InlineData("l1", LossChoice.L1)]
    [InlineData("huber", LossChoice.Huber)]
    [InlineData("auto", LossChoice.Auto)]
    public void LossNames(string name, LossChoice expected) => Assert.Equal(expected, Bind("--loss", name).Loss);

    [Theory]
    [InlineData("sgd", OptimizerChoice.Sgd, 0.1f)]
    [InlineData("momentum", OptimizerChoice.Momentum, 0.05f)]
    [InlineData("nesterov", OptimizerChoice.Nesterov, 0.05f)]
    [InlineData("adam", OptimizerChoice.Adam, 0.003f)]
    [InlineData("AdamW", OptimizerChoice.AdamW, 0.003f)]
    [InlineData("rmsprop", OptimizerChoice.RmsProp, 0.001f)]
    [InlineData("adagrad", OptimizerChoice.Adagrad, 0.05f)]
    public void OptimizerNamesAndTheirDefaultLearningRates(string name, OptimizerChoice expected, float lr)
    {
        TrainOptions o = Bind("--optimizer", name);
        Assert.Equal(expected, o.Optimizer);
        Assert.Equal(lr, o.EffectiveLearningRate);
    }

    [Theory]
    [InlineData("constant", ScheduleChoice.Constant)]
    [InlineData("step", ScheduleChoice.Step)]
    [InlineData("cosine", ScheduleChoice.Cosine)]
    [InlineData("warmup", ScheduleChoice.Warmup)]
    public void ScheduleNames(string name, ScheduleChoice expected) => Assert.Equal(expected, Bind("--schedule", name).Schedule);

    [Theory]
    [InlineData("relu", ActivationKind.Relu)]
    [InlineData("swish", ActivationKind.Silu)]
    [InlineData("leaky-relu", ActivationKind.LeakyRelu)]
    [InlineData("mish", ActivationKind.Mish)]
    public void ActivationNames(string name, ActivationKind expected) => Assert.Equal(expected, Bind("--activation", name).Activation);

    [Fact]
    public void BareBatchNormFlagMeansTrueAndNoneMeansNoHiddenLayer()
    {
        Assert.True(Bind("--batch-norm").BatchNorm);
        Assert.Empty(Bind("--layers", "none").Layers);
    }

    [Theory]
    [InlineData("--layers", "256,0", "--layers")]
    [InlineData("--layers", "12,x", "'x'")]
    [InlineData("--optimizer", "lbfgs", "adagrad")]
    [InlineData("--loss", "kl", "huber")]
    [InlineData("--activation", "sine", "mish")]
    [InlineData("--schedule", "cyclic", "warmup")]
    [InlineData("--scaling", "log", "minmax")]
    [InlineData("--lr", "0", "--lr")]
    [InlineData("--lr", "-1", "--lr")]
    [InlineData("--lr", "abc", "abc")]
    [InlineData("--epochs", "0", "--epochs")]
    [InlineData("--batch-size", "0", "--batch-size")]
    [InlineData("--dropout", "1", "--dropout")]
    [InlineData("--test-fraction", "1.5", "--test-fraction")]
    [InlineData("--validation-fraction", "-0.1", "--validation-fraction")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--weight-decay", "-1", "--weight-decay")]
    [InlineData("--patience", "-2", "--patience")]
    [InlineData("--save", "/no/such/folder/model.simd", "does not exist")]
    public void BadValuesAreParseErrorsNamingTheOption(string option, string value, string expected)
    {
        var (_, result) = Parse(option, value);

        Assert.NotEmpty(result.Errors);
        Assert.Contains(result.Errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownOptionIsAnError()
    {
        var (_, result) = Parse("--epoch", "3");
        Assert.NotEmpty(result.Errors);
    }
}
