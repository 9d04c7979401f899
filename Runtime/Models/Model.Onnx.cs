using Simd.Runtime.Onnx.Export;

namespace Simd.Runtime.Models;

public sealed partial class Model
{
    /// <summary>
    /// Writes the model as ONNX (opset 17, or the later one an op needs; IR version 8) for inference: the weights and
    /// running statistics as initializers, a dynamic batch dimension "batch" on the input and output, Dropout left
    /// out. A node with no ONNX form raises <see cref="OnnxExportException"/> before the file is touched; the file
    /// is written beside the target and renamed into place, so a failure leaves none half-written.
    /// </summary>
    public void ExportOnnx(string path) => OnnxExporter.Save(this, path);

    /// <summary>Writes the model as ONNX to <paramref name="stream"/> (see <see cref="ExportOnnx(string)"/>); nothing is written if a node is refused.</summary>
    public void ExportOnnx(Stream stream) => OnnxExporter.Write(this, stream);
}
