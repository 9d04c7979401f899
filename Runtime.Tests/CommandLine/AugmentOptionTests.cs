using Simd.Models.Training;
using Simd.Runtime.Data;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary><c>train --augment flip,crop</c>: random flips and shifts of the training images, drawn afresh every epoch.</summary>
public sealed class AugmentOptionTests : IDisposable
{
    private const int Side = 4;

    private readonly CliRun _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>Samples whose pixels are 1..16, each image distinct, so that every move shows.</summary>
    private static TrainingData Images(int count)
    {
        var features = new float[count * Side * Side];
        for (int i = 0; i < features.Length; i++) features[i] = i % (Side * Side) + 1 + 100 * (i / (Side * Side));
        var labels = new int[count];
        var train = new Dataset("images", features, Side * Side, labels, 1);
        var scaler = new FeatureScaler(FeatureScaling.None, new float[Side * Side], [.. Enumerable.Repeat(1f, Side * Side)]);
        return new TrainingData("images", train, null, train, scaler);
    }

    private static float Pixel(ReadOnlySpan<float> image, int y, int x) => (uint)y < Side && (uint)x < Side ? image[y * Side + x] : 0f;

    private static ImageAugmentation Augment(TrainingData data, string augment, int seed = 1)
    {
        Assert.True(AugmentChoice.TryParse(augment, out AugmentChoice choice));
        return ImageAugmentation.For(new TrainOptions { Augment = choice, Scaling = FeatureScaling.None, Seed = seed }, data)!;
    }

    [Fact]
    public void FlipMirrorsAboutHalfTheImagesAndLeavesTheRestAndTheOriginalsAsTheyWere()
    {
        TrainingData data = Images(200);
        float[] before = [.. data.Train.Features];
        ImageAugmentation augmentation = Augment(data, "flip");
        augmentation.Prepare(1);

        int flipped = 0;
        for (int s = 0; s < 200; s++)
        {
            ReadOnlySpan<float> from = data.Train.Sample(s), to = augmentation.Train.Sample(s);
            bool same = true, mirrored = true;
            for (int y = 0; y < Side; y++)
            for (int x = 0; x < Side; x++)
            {
                same &= to[y * Side + x] == from[y * Side + x];
                mirrored &= to[y * Side + x] == from[y * Side + Side - 1 - x];
            }
            Assert.True(same || mirrored, $"sample {s} is neither itself nor its mirror image");
            if (mirrored) flipped++;
        }
        Assert.InRange(flipped, 70, 130);
        Assert.Equal(before, data.Train.Features);
    }

    [Fact]
    public void CropShiftsEachImageByAtMostTwoPixelsFillingWithBlack()
    {
        TrainingData data = Images(300);
        ImageAugmentation augmentation = Augment(data, "crop");
        augmentation.Prepare(1);

        var shifts = new HashSet<(int, int)>();
        for (int s = 0; s < 300; s++)
        {
            ReadOnlySpan<float> from = data.Train.Sample(s), to = augmentation.Train.Sample(s);
            var matches = new List<(int, int)>();
            for (int dy = -2; dy <= 2; dy++)
            for (int dx = -2; dx <= 2; dx++)
            {
                bool match = true;
                for (int y = 0; y < Side; y++)
                for (int x = 0; x < Side; x++)
                    match &= to[y * Side + x] == Pixel(from, y + dy, x + dx);
                if (match) matches.Add((dy, dx));
            }
            Assert.Single(matches);
            shifts.Add(matches[0]);
        }
        Assert.Equal(25, shifts.Count);
    }

    [Fact]
    public void EachEpochDrawsAgainAndTheSameSeedAndEpochDrawTheSame()
    {
        TrainingData data = Images(64);
        ImageAugmentation a = Augment(data, "flip,crop"), b = Augment(data, "crop,flip");
        a.Prepare(3);
        b.Prepare(3);
        Assert.Equal(a.Train.Features, b.Train.Features);
        float[] third = [.. a.Train.Features];
        a.Prepare(4);
        Assert.NotEqual(third, a.Train.Features);
        ImageAugmentation other = Augment(data, "flip,crop", seed: 2);
        other.Prepare(3);
        Assert.NotEqual(third, other.Train.Features);
    }

    [Fact]
    public void AugmentedTrainingResumedFromACheckpointEndsAsAnUninterruptedRun()
    {
        // A constant rate, so that the one-epoch run's schedule is the first epoch of the three-epoch one.
        string[] args = ["train", "--model", "lenet", "--scaling", "none", "--schedule", "constant", "--lr", "0.001", "--batch-size", "64"];
        string checkpoint = _cli.PathOf("run.ckpt");

        var (code, whole, error) = CliRun.Run([.. args, "--augment", "flip,crop", "--epochs", "3"]);
        Assert.True(code == 0, error);
        Assert.Contains("augment flip,crop", whole);
        (code, _, error) = CliRun.Run([.. args, "--augment", "flip,crop", "--epochs", "1", "--checkpoint", checkpoint]);
        Assert.True(code == 0, error);
        (code, string resumed, error) = CliRun.Run([.. args, "--augment", "flip,crop", "--epochs", "3", "--checkpoint", checkpoint]);
        Assert.True(code == 0, error);
        Assert.Contains("resumed from", resumed);
        Assert.Equal(CliRun.Last(whole, "test loss"), CliRun.Last(resumed, "test loss"));

        (code, string plain, error) = CliRun.Run([.. args, "--epochs", "3"]);
        Assert.True(code == 0, error);
        Assert.NotEqual(CliRun.Last(whole, "test loss"), CliRun.Last(plain, "test loss"));
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("flip,flip")]
    [InlineData("flip,")]
    [InlineData("")]
    public void AnUnknownAugmentationNamesTheChoices(string value)
    {
        var (code, _, error) = CliRun.Run("train", "--model", "lenet", "--augment", value, "--epochs", "1");

        Assert.Equal(2, code);
        Assert.Contains($"error: --augment: '{value}' is not valid; expected none, or a comma-separated list of flip and crop (e.g. flip,crop).", error);
    }

    [Fact]
    public void PerPixelScalingIsRefusedWithWhatToGive()
    {
        string save = _cli.PathOf("model.simd");
        var (code, output, error) = CliRun.Run("train", "--model", "lenet", "--augment", "crop", "--epochs", "1", "--save", save);

        Assert.Equal(1, code);
        Assert.Contains("error: --augment crop moves pixels to other positions, whose --scaling standardize was fitted per pixel on the images " +
                        "as they are: give --scaling none (IDX images are already divided by 255).", error);
        Assert.DoesNotContain("test accuracy", output);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_cli.Dir));
    }

    [Fact]
    public void DataThatIsNotASquareImageIsRefused()
    {
        var (code, _, error) = CliRun.Run("train", "--data", "wine", "--scaling", "none", "--augment", "flip", "--epochs", "1");

        Assert.Equal(1, code);
        Assert.Contains("error: --augment flip flips and shifts square images, but 'wine' has 13 features, not a square number of at least 4.", error);
    }

    [Fact]
    public void NoneIsTheDefaultAndTrainsOnTheImagesAsTheyAre()
    {
        var (code, output, error) = CliRun.Run("train", "--model", "lenet", "--augment", "none", "--epochs", "1");

        Assert.True(code == 0, error);
        Assert.DoesNotContain("augment", output);
    }
}
