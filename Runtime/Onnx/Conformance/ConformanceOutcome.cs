namespace Simd.Runtime.Onnx.Conformance;

/// <summary>What running one ONNX test case through the importer and the frozen model came to.</summary>
public enum ConformanceOutcome
{
    /// <summary>Every output the import produces matches the case's expected output, in every data set.</summary>
    Pass,

    /// <summary>An output is off, has another shape, or the import or the run threw something other than an import refusal.</summary>
    Fail,

    /// <summary>The importer refused the case (an <see cref="OnnxImportException"/>): the reason is its message.</summary>
    Skip,
}
