namespace Simd.Models.Plotting;

/// <summary>
/// Series styles: ten colours (Tableau's, told apart by most colour-blind readers), then the same colours again
/// with another marker and dash, so that every series of a chart is distinct even past ten.
/// </summary>
internal static class Palette
{
    private static readonly string[] Colours =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private static readonly string[] Dashes = ["", "6,3", "2,2"];

    public static string Colour(int index) => Colours[index % Colours.Length];

    public static MarkerShape Marker(int index) => (MarkerShape)((index + index / Colours.Length) % 5);

    public static string Dash(int index) => Dashes[index / Colours.Length % Dashes.Length];
}

internal enum MarkerShape
{
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}
