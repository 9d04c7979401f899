using static Simd.Runtime.Tests.CommandLine.CliRun;

namespace Simd.Runtime.Tests.CommandLine;

/// <summary>
/// --save and --checkpoint targets that cannot be written are refused before training starts, naming the path
/// the user gave; a temporary file that a killed save left is removed, and the run says so.
/// </summary>
public sealed class SaveTargetOptionTests : IDisposable
{
    private readonly TempDirectory _dir = new("simd-save-target-tests-");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Options => new() { "--save", "--checkpoint" };

    private static void AssertRefusedBeforeTraining(int code, string output, string error, string option, string path, string reason)
    {
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {option}: '{path}'", error);
        Assert.Contains(reason, error);
        Assert.DoesNotContain(".tmp", error);
        Assert.DoesNotContain("epoch", output);
        Assert.Empty(output);
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void AFolderIsRefused(string option)
    {
        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", option, _dir.Path);

        AssertRefusedBeforeTraining(code, output, error, option, _dir.Path, "is a folder");
        Assert.Empty(Directory.GetFileSystemEntries(_dir.Path));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void APathUnderARegularFileIsRefused(string option)
    {
        string file = _dir.PathOf("notes.txt");
        File.WriteAllText(file, "");
        string path = Path.Combine(file, "model.simd");

        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", option, path);

        AssertRefusedBeforeTraining(code, output, error, option, path, $"'{file}' is a file, not a folder");
        Assert.Equal([file], Directory.GetFileSystemEntries(_dir.Path));
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void AReadOnlyTargetIsRefused(string option)
    {
        string path = _dir.PathOf("model.simd");
        File.WriteAllText(path, "keep");
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", option, path);

            AssertRefusedBeforeTraining(code, output, error, option, path, "is read-only");
            Assert.Equal("keep", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFileSystemEntries(_dir.Path));
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void AStaleTemporaryFileOfTheTargetIsRemovedAndReported(string option)
    {
        string path = _dir.PathOf("model.simd");
        string stale = _dir.PathOf(".model.simd.00000000deadbeef.tmp");
        string otherTarget = _dir.PathOf(".other.simd.00000000deadbeef.tmp");
        File.WriteAllBytes(stale, new byte[1 << 16]);
        File.WriteAllBytes(otherTarget, new byte[16]);

        var (code, output, error) = Run("train", "--data", "iris", "--epochs", "1", "--layers", "8", option, path);

        Assert.True(code == 0, error);
        Assert.Contains($"removed stale temporary file {stale}", output.Replace("\n  ", " ", StringComparison.Ordinal));
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(path));
        Assert.DoesNotContain(Directory.GetFiles(_dir.Path), f => f != otherTarget && f.EndsWith(".tmp", StringComparison.Ordinal));
    }
}
