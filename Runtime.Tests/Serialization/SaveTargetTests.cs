using Simd.Runtime.Models;
using Simd.Runtime.Serialization;

namespace Simd.Runtime.Tests.Serialization;

/// <summary>
/// Saving checks its target first and names the path it was given, never its hidden temporary file; and it
/// clears away the temporary files that killed saves of the same target left, but not one a live save is writing.
/// </summary>
public class SaveTargetTests
{
    private const string Stale = "0123456789abcdef";

    [Fact]
    public void AFolderIsRefusedByName()
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<IOException>(() => ModelFiles.Sample().Save(dir.Path));
        Assert.Contains($"'{dir.Path}' is a folder", e.Message);
        Assert.DoesNotContain(".tmp", e.Message);
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => ModelContainer.CheckCanSave(dir.Path)).Message);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AFileWhereAFolderShouldBeIsNamed()
    {
        using var dir = new TempDirectory();
        string file = Path.Combine(dir.Path, "plain.txt");
        File.WriteAllText(file, "not a folder");
        string target = Path.Combine(file, "sub", "model.simd");

        var e = Assert.Throws<IOException>(() => ModelContainer.CheckCanSave(target));
        Assert.Contains($"'{target}' cannot be written: '{file}' is a file, not a folder", e.Message);
        Assert.Throws<IOException>(() => ModelFiles.Sample().Save(target));
        Assert.Equal([file], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AMissingFolderIsNamed()
    {
        using var dir = new TempDirectory();
        string target = Path.Combine(dir.Path, "absent", "model.simd");

        var e = Assert.Throws<IOException>(() => ModelContainer.CheckCanSave(target));
        Assert.Contains($"the folder '{Path.Combine(dir.Path, "absent")}' does not exist", e.Message);
    }

    [Fact]
    public void AReadOnlyTargetIsNotReplaced()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        File.WriteAllText(path, "keep me");
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            Assert.Contains($"'{path}' is read-only", Assert.Throws<IOException>(() => ModelContainer.CheckCanSave(path)).Message);
            Assert.Contains($"'{path}' is read-only", Assert.Throws<IOException>(() => ModelFiles.Sample().Save(path)).Message);
            Assert.Equal("keep me", File.ReadAllText(path));
            Assert.Equal([path], Directory.GetFileSystemEntries(dir.Path));
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    /// <summary>Permission bits do not stop root, so the check creates a file; as root this test has nothing to refuse.</summary>
    [Fact]
    public void AFolderThatRefusesNewFilesIsFoundBeforeWriting()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string locked = Path.Combine(dir.Path, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            string probe = Path.Combine(locked, "probe");
            try
            {
                File.WriteAllText(probe, "");
                File.Delete(probe);
                return; // Running as root: the folder accepts files whatever its mode says.
            }
            catch (UnauthorizedAccessException)
            {
            }
            string target = Path.Combine(locked, "model.simd");
            var e = Assert.Throws<IOException>(() => ModelContainer.CheckCanSave(target));
            Assert.Contains($"'{target}' cannot be written: the folder '{locked}' does not accept new files", e.Message);
            Assert.Contains(target, Assert.Throws<IOException>(() => ModelFiles.Sample().Save(target)).Message);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void CheckingLeavesNothingBehind()
    {
        using var dir = new TempDirectory();
        ModelContainer.CheckCanSave(Path.Combine(dir.Path, "model.simd"));
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void TheNextSaveRemovesWhatAKilledSaveOfTheSameTargetLeft()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        string stale = Path.Combine(dir.Path, $".model.simd.{Stale}.tmp");
        File.WriteAllBytes(stale, new byte[4096]);
        // Not temporary files of this target: another target's, other names, the target itself.
        string[] others =
        [
            Path.Combine(dir.Path, $".other.simd.{Stale}.tmp"),
            Path.Combine(dir.Path, ".model.simd.not-random-hex.tmp"),
            Path.Combine(dir.Path, $".model.simd.{Stale}.tmp.bak"),
            Path.Combine(dir.Path, $"model.simd.{Stale}.tmp"),
        ];
        foreach (string other in others) File.WriteAllText(other, "keep");

        IReadOnlyList<string> removed = ModelFiles.Sample().Save(path);

        Assert.Equal([stale], removed);
        Assert.False(File.Exists(stale));
        Assert.All(others, o => Assert.True(File.Exists(o), o));
        ModelFiles.AssertBitwiseEqual(ModelFiles.Sample(), ModelContainer.Load(path));
        Assert.Empty(ModelFiles.Sample().Save(path));
    }

    [Fact]
    public void ATemporaryFileThatALiveSaveHoldsIsKept()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        string live = Path.Combine(dir.Path, $".model.simd.{Stale}.tmp");
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            writer.Write(new byte[100]);
            Assert.Empty(ModelFiles.Sample().Save(path));
            Assert.Empty(ModelContainer.RemoveStaleTemporaryFiles(path));
            Assert.True(File.Exists(live));
        }
        // Once its writer is gone (as when killed), it is stale.
        Assert.Equal([live], ModelContainer.RemoveStaleTemporaryFiles(path));
        Assert.False(File.Exists(live));
    }

    [Fact]
    public void ABrokenFileIsNamedWithTheByteWhereReadingStopped()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        var e = Assert.Throws<ModelFormatException>(() => ModelContainer.Load(path));
        Assert.Equal(path, e.Path);
        Assert.StartsWith($"Invalid model file '{path}': ", e.Message);
        Assert.Contains("at byte 0", e.Message);
    }

    [Fact]
    public void AnIncompleteModelNamesTheFileAndTheEntryWithoutAnOffset()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "model.simd");
        var container = new ModelContainer();
        container.SetString("model.format", Model.FormatName);
        container.Save(path);

        var e = Assert.Throws<ModelFormatException>(() => Model.ReadFrom(ModelContainer.Load(path)));
        Assert.Equal(path, e.Path);
        Assert.Null(e.Offset);
        Assert.Equal($"Invalid model file '{path}': entry 'model.version' is missing: the file does not hold a complete model", e.Message);
        // Judged without the path: a temporary folder's random name may itself hold "-1".
        Assert.DoesNotContain("-1", e.Message.Replace(path, "", StringComparison.Ordinal));

        var lookup = Assert.Throws<ModelEntryNotFoundException>(() => ModelContainer.Load(path).GetInt64("data.seed"));
        Assert.Contains($"'{path}'", lookup.Message);
    }
}
