using System.Diagnostics;
using Simd.Runtime.Serialization;
using Xunit.Abstractions;

namespace Simd.Runtime.Tests.Serialization;

/// <summary>
/// A training process killed outright (SIGKILL: no finally blocks, no cleanup) while it writes a checkpoint, over
/// and over, never leaves a checkpoint that fails to load, and each restart resumes from it. The model is large
/// (two 1024-wide layers, a 12 MB checkpoint) so that a write lasts long enough to be caught in the act.
/// </summary>
public class KilledCheckpointTests(ITestOutputHelper output)
{
    private const int MidSaveKillsWanted = 3, MaxKills = 12;

    [Fact]
    public void KilledMidCheckpointTheLastCheckpointStillLoads()
    {
        using var dir = new TempDirectory();
        string checkpoint = Path.Combine(dir.Path, "run.ckpt");
        long lastEpoch = 0;
        int kills = 0, midSave = 0;
        while (midSave < MidSaveKillsWanted && kills < MaxKills)
        {
            var leftovers = TemporaryFiles(dir.Path);
            bool killedDuringWrite;
            using (var child = StartTraining(checkpoint))
            {
                try
                {
                    WaitForNewerCheckpoint(child, checkpoint, lastEpoch);
                    // Kill the moment the next save's temporary file appears: the write is under way.
                    var clock = Stopwatch.StartNew();
                    while (!TemporaryFiles(dir.Path).Except(leftovers).Any() && clock.Elapsed < TimeSpan.FromSeconds(10)) { }
                }
                finally
                {
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit();
                }
                kills++;
                // A save cut short leaves its hidden temporary file beside the checkpoint; the next run removes it,
                // so they never pile up (each kill's file is gone once its successor has saved).
                killedDuringWrite = TemporaryFiles(dir.Path).Except(leftovers).Any();
                Assert.True(TemporaryFiles(dir.Path).Length <= 1, $"kill {kills}: {string.Join(", ", TemporaryFiles(dir.Path))}");
            }
            if (killedDuringWrite) midSave++;
            var container = ModelContainer.Load(checkpoint);
            long epoch = container.GetInt64("checkpoint.epoch");
            Assert.True(epoch > lastEpoch, $"kill {kills}: the checkpoint is at epoch {epoch}, the last one seen was {lastEpoch}");
            lastEpoch = epoch;
        }
        output.WriteLine($"{kills} kills, {midSave} of them while a checkpoint was being written; last checkpoint at epoch {lastEpoch}");
        Assert.True(midSave > 0, $"none of {kills} kills landed while a checkpoint was being written");
    }

    private static string[] TemporaryFiles(string directory) => Directory.GetFiles(directory, "*.tmp");

    private static Process StartTraining(string checkpoint)
    {
        string app = Path.Combine(AppContext.BaseDirectory, "Simd.Models.dll");
        Assert.True(File.Exists(app), $"{app} is missing: the test project references the models project to get it");
        string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["exec", app, "train", "--data", "iris", "--layers", "1024,1024", "--epochs", "100000",
                     "--threads", "1", "--checkpoint", checkpoint])
            start.ArgumentList.Add(arg);
        var child = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        child.OutputDataReceived += (_, _) => { };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        return child;
    }

    /// <summary>Waits until the child has written a checkpoint past <paramref name="epoch"/> (so each kill finds it training).</summary>
    private static void WaitForNewerCheckpoint(Process child, string checkpoint, long epoch)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(child.HasExited, $"training exited early with code {(child.HasExited ? child.ExitCode : 0)}");
            if (File.Exists(checkpoint))
            {
                try
                {
                    if (ModelContainer.Load(checkpoint).GetInt64("checkpoint.epoch") > epoch) return;
                }
                catch (IOException)
                {
                    // Replaced while being read: look again.
                }
            }
            Thread.Sleep(10);
        }
        Assert.Fail($"no checkpoint past epoch {epoch} within 60 s");
    }
}
