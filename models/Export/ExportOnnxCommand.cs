using System.CommandLine;
using System.Globalization;
using Simd.Models.Cli;
using Simd.Runtime.Models;
using Simd.Runtime.Onnx;
using Simd.Runtime.Serialization;

namespace Simd.Models.Export;

/// <summary>`export-onnx`: a model file written as ONNX, for ONNX Runtime or any other ONNX consumer.</summary>
internal sealed class ExportOnnxCommand
{
    public readonly Argument<string> ModelFile = new("model") { Description = "Model file (written by train --save, or Model.Save)" };

    public readonly Argument<string> Output = new("output") { Description = "The ONNX file to write (replaced whole if it exists)" };

    public ExportOnnxCommand()
    {
        Command = new Command("export-onnx", "Write a model file as ONNX (opset 17, dynamic batch) for inference elsewhere.") { ModelFile, Output };
    }

    public Command Command { get; }

    public int Execute(ParseResult result, AppConsole console)
    {
        string modelPath = result.GetRequiredValue(ModelFile), output = result.GetRequiredValue(Output);
        if (Directory.Exists(modelPath)) throw new ArgumentException($"Model file '{modelPath}' is a folder; expected a file written by train --save.");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"Model file '{modelPath}' does not exist.", modelPath);
        if (string.Equals(Path.GetFullPath(modelPath), Path.GetFullPath(output), StringComparison.Ordinal))
            throw new ArgumentException($"The output '{output}' is the model file itself; writing the ONNX file there would replace the model. Choose another output path.");
        ModelContainer container = ModelContainer.Load(modelPath);
        using Model model = Model.ReadFrom(container, maxBatch: 1);
        model.ExportOnnx(output);

        OnnxModel written = OnnxModel.Load(output);
        console.Output.WriteLine($"wrote {output}: {written.Graph.Nodes.Count} ONNX nodes, opset {written.Opset("")}, " +
                                 $"input {Shape(written.Graph.Inputs[0])} → output {Shape(written.Graph.Outputs[0])}, {model.ParameterCount.ToString("N0", CultureInfo.InvariantCulture)} parameters");
        if (container.Contains("data.scaling") && container.GetString("data.scaling") != "none")
            console.Output.WriteLine($"note: the model was trained on features scaled by '{container.GetString("data.scaling")}'; the ONNX graph takes them scaled " +
                                     "the same way, each feature as (x − offset) · scale with the offsets and scales train fitted " +
                                     "(data.scaling.offset and data.scaling.scale in the model file). evaluate and predict apply it for you.");
        return 0;
    }

    private static string Shape(OnnxValueInfo value) =>
        $"[{string.Join(", ", value.Shape!.Select(d => d?.ToString(CultureInfo.InvariantCulture) ?? "batch"))}]";
}
