using Simd.Perf.Report;

// onnx-first-load <model.onnx>: the milliseconds from the file to the first answer, as the report's child process.
return OnnxFirstAnswer.RunCommand(args);
