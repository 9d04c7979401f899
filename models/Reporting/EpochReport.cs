namespace Simd.Models.Reporting;

/// <summary>What one epoch of training achieved; validation figures are null without a validation split.</summary>
internal sealed record EpochReport(
    int Epoch, int Epochs, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
    float LearningRate, TimeSpan Elapsed, bool IsBest);
