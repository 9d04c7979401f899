using System.Reflection;
using System.Runtime.InteropServices;

namespace Simd.Perf.OpenBlas;

/// <summary>
/// The two OpenBLAS entry points the comparison needs. The library is found by a resolver so that a machine
/// without it gets a message on how to install it, not a DllNotFoundException in the middle of a run.
/// </summary>
internal static unsafe partial class OpenBlasNative
{
    private const string Library = "openblas";

    // Debian's libopenblas0 ships only the versioned name; -dev adds the plain one.
    private static readonly string[] Candidates =
        ["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas.dll"];

    public const int RowMajor = 101;
    public const int NoTrans = 111;
    public const int Trans = 112;

    private static nint s_handle;

    public static string? LoadedFrom { get; private set; }

    /// <summary>Loads the library once; false (with nothing thrown) when no candidate name loads.</summary>
    public static bool TryLoad()
    {
        if (s_handle != 0) return true;
        foreach (string name in Candidates)
        {
            if (NativeLibrary.TryLoad(name, out s_handle))
            {
                LoadedFrom = name;
                NativeLibrary.SetDllImportResolver(typeof(OpenBlasNative).Assembly, Resolve);
                return true;
            }
        }
        return false;
    }

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path) =>
        name == Library ? s_handle : 0;

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_config")]
    public static partial nint GetConfig();

    public static string Config => Marshal.PtrToStringAnsi(GetConfig()) ?? "";
}
