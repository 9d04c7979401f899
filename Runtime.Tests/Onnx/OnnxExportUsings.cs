// The protobuf and ONNX message writers live in the library (the exporter writes with them); the tests build ONNX
// bytes with the same ones.
global using Simd.Runtime.Onnx.Export;
