using Simd.Runtime.Graphs;
using Simd.Runtime.Intrinsics;
using Simd.Runtime.Ops;

namespace Simd.Runtime.Onnx.Export;

/// <summary>
/// Products over the last axis: a Dense over tokens (a sample of several rows, which Gemm, 2-D only, cannot take) as
/// MatMul with W [inputs, outputs] and an Add of the bias, the pattern PyTorch writes for a Linear on [N, T, D] and
/// the importer joins back into one Dense; a MatMul of two values as MatMul, whose broadcasting over the leading
/// axes is numpy's as ours is.
/// </summary>
internal static class MatMulExport
{
    public static void TokenWiseDense(ExportContext context, Node node)
    {
        var op = (DenseOp)node.Op;
        string y = ActivationExport.Before(context, node, op.Activation);
        string w = context.Tensor(node, "weights", [op.Inputs, op.Outputs]), b = context.Tensor(node, "bias", [op.Outputs]);
        string product = context.Fresh(node, "/product");
        context.Add(node, "MatMul", [context.Name(node.Inputs[0]), w], [product]);
        context.Add(node, "Add", [product, b], [y]);
        if (op.Activation != ActivationKind.Identity) ActivationExport.Write(context, node, op.Activation, op.ActivationAlpha, y, context.Name(node.Outputs[0]));
    }

    public static void MatMul(ExportContext context, Node node) =>
        context.Add(node, "MatMul", [context.Name(node.Inputs[0]), context.Name(node.Inputs[1])], [context.Name(node.Outputs[0])]);
}
