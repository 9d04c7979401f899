using Simd.Models.Cli;

namespace Simd.Runtime.Tests.Models;

/// <summary>Runs the app's entry point in process and captures what it printed.</summary>
internal static class AppRun
{
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = ModelsApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
}
