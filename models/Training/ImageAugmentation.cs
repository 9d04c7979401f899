using Simd.Runtime.Data;

namespace Simd.Models.Training;

/// <summary>
/// <c>--augment</c>: torchvision's <c>RandomCrop(side, padding)</c> (a shift of up to the padding in each direction,
/// the pixels shifted in black) and <c>RandomHorizontalFlip()</c>, drawn afresh for every sample in every epoch.
/// </summary>
/// <param name="Flip">Mirror left to right with probability one half.</param>
/// <param name="CropPadding">Largest shift in pixels, up and down and sideways; 0 for no crop.</param>
internal readonly record struct AugmentChoice(bool Flip, int CropPadding)
{
    /// <summary>The padding of <c>crop</c>: torchvision's usual choice for 28×28 images.</summary>
    public const int DefaultCropPadding = 2;

    public static AugmentChoice None => default;

    public bool Any => Flip || CropPadding > 0;

    public const string Expected = "none, or a comma-separated list of flip and crop (e.g. flip,crop)";

    public static bool TryParse(string? text, out AugmentChoice choice)
    {
        choice = None;
        if (string.IsNullOrWhiteSpace(text)) return false;
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        bool flip = false, crop = false;
        foreach (string part in text.Split(','))
        {
            switch (part.Trim().ToLowerInvariant())
            {
                case "flip" when !flip: flip = true; break;
                case "crop" when !crop: crop = true; break;
                default: return false;
            }
        }
        choice = new AugmentChoice(flip, crop ? DefaultCropPadding : 0);
        return true;
    }

    public override string ToString() =>
        !Any ? "none" : string.Join(",", new[] { Flip ? "flip" : null, CropPadding > 0 ? "crop" : null }.OfType<string>());
}

/// <summary>
/// The training images of one epoch, augmented from the originals: the trainer reads its samples from
/// <see cref="Train"/> batch by batch, so rewriting them between epochs gives every epoch its own draw.
/// Each epoch's draw depends on the seed and the epoch only, so a resumed run sees the same images.
/// </summary>
internal sealed class ImageAugmentation
{
    private readonly float[] _original;
    private readonly int _side;
    private readonly AugmentChoice _choice;
    private readonly int _seed;

    private ImageAugmentation(Dataset train, int side, AugmentChoice choice, int seed)
    {
        _original = train.Features;
        _side = side;
        _choice = choice;
        _seed = seed;
        Train = train.IsMultiClass
            ? new Dataset(train.Name, new float[_original.Length], train.FeatureCount, train.Labels!, train.ClassCount)
            : new Dataset(train.Name, new float[_original.Length], train.FeatureCount, train.Targets!, train.TargetCount);
    }

    /// <summary>The samples the trainer reads: the epoch's augmented copy of the training images.</summary>
    public Dataset Train { get; }

    /// <summary>
    /// Null when <c>--augment</c> asks for nothing; otherwise checks that the data are unscaled square images (a
    /// shift moves a pixel onto a position whose per-pixel scaling was fitted on other values).
    /// </summary>
    public static ImageAugmentation? For(TrainOptions options, TrainingData data)
    {
        if (!options.Augment.Any) return null;
        int features = data.Train.FeatureCount, side = (int)Math.Round(Math.Sqrt(features));
        string augment = $"--augment {options.Augment}";
        if (side * side != features || side < 2)
            throw new ArgumentException($"{augment} flips and shifts square images, but '{data.Name}' has {features} features, not a square number of at least 4.");
        if (data.Scaler.Kind != FeatureScaling.None)
            throw new ArgumentException(
                $"{augment} moves pixels to other positions, whose --scaling {TrainChoices.Scalings.NameOf(data.Scaler.Kind)} was fitted per pixel on the " +
                "images as they are: give --scaling none (IDX images are already divided by 255).");
        return new ImageAugmentation(data.Train, side, options.Augment, options.Seed);
    }

    /// <summary>Writes the images epoch <paramref name="epoch"/> (from 1) trains on into <see cref="Train"/>.</summary>
    public void Prepare(int epoch)
    {
        var random = new Random(unchecked(_seed * 486_187_739 + epoch));
        int n = _side, size = n * n, pad = _choice.CropPadding;
        float[] target = Train.Features;
        for (int s = 0; s < Train.Count; s++)
        {
            bool flip = _choice.Flip && random.Next(2) == 1;
            int dy = pad > 0 ? random.Next(-pad, pad + 1) : 0;
            int dx = pad > 0 ? random.Next(-pad, pad + 1) : 0;
            ReadOnlySpan<float> from = _original.AsSpan(s * size, size);
            Span<float> to = target.AsSpan(s * size, size);
            for (int y = 0; y < n; y++)
            {
                int sy = y + dy;
                Span<float> row = to.Slice(y * n, n);
                if ((uint)sy >= (uint)n)
                {
                    row.Clear();
                    continue;
                }
                for (int x = 0; x < n; x++)
                {
                    // The crop, then the flip: output (y, x) is the crop's (y, n-1-x) when flipped.
                    int sx = (flip ? n - 1 - x : x) + dx;
                    row[x] = (uint)sx < (uint)n ? from[sy * n + sx] : 0f;
                }
            }
        }
    }
}
