using Simd.Runtime.Initializers;
using Simd.Runtime.Intrinsics;

namespace Simd.Runtime.Ops;

/// <summary>
/// Stable lower-case names of the enumerations ops store as attributes: a model file never holds a C# enum name,
/// so renaming a member breaks no file.
/// </summary>
public static class OpNames
{
    private static readonly (string Name, ActivationKind Kind)[] ActivationTable =
    [
        ("relu", ActivationKind.Relu), ("leaky-relu", ActivationKind.LeakyRelu),
        ("elu", ActivationKind.Elu), ("selu", ActivationKind.Selu), ("sigmoid", ActivationKind.Sigmoid), ("tanh", ActivationKind.Tanh),
        ("gelu", ActivationKind.GeluErf), ("gelu-tanh", ActivationKind.GeluTanh), ("silu", ActivationKind.Silu),
        ("softplus", ActivationKind.Softplus), ("softsign", ActivationKind.Softsign), ("hard-sigmoid", ActivationKind.HardSigmoid),
        ("hard-swish", ActivationKind.HardSwish), ("mish", ActivationKind.Mish), ("identity", ActivationKind.Identity),
    ];

    /// <summary>Every activation with its stable name (the command line offers these, plus aliases).</summary>
    public static IReadOnlyList<(string Name, ActivationKind Kind)> Activations => ActivationTable;

    private static readonly (string Name, WeightInitializer Kind)[] InitializerTable =
    [
        ("default", WeightInitializer.Default), ("xavier-uniform", WeightInitializer.XavierUniform),
        ("xavier-normal", WeightInitializer.XavierNormal), ("he-uniform", WeightInitializer.HeUniform),
        ("he-normal", WeightInitializer.HeNormal), ("lecun-uniform", WeightInitializer.LeCunUniform),
        ("lecun-normal", WeightInitializer.LeCunNormal),
    ];

    public static string Activation(ActivationKind kind) => Find(ActivationTable, kind);

    public static string Initializer(WeightInitializer kind) => Find(InitializerTable, kind);

    public static ActivationKind ParseActivation(OpAttributes attributes, string name) => Parse(ActivationTable, attributes, name);

    public static WeightInitializer ParseInitializer(OpAttributes attributes, string name) =>
        attributes.Contains(name) ? Parse(InitializerTable, attributes, name) : WeightInitializer.Default;

    /// <summary>An activation by stable name, or null (v1 model files stored the C# names; their reader maps those itself).</summary>
    public static ActivationKind? TryParseActivation(string name)
    {
        foreach (var (n, kind) in ActivationTable)
            if (n == name) return kind;
        return null;
    }

    private static string Find<T>((string Name, T Kind)[] table, T kind) where T : struct, Enum
    {
        foreach (var (name, k) in table)
            if (EqualityComparer<T>.Default.Equals(k, kind)) return name;
        throw new ArgumentOutOfRangeException(nameof(kind), kind, "No stable name.");
    }

    private static T Parse<T>((string Name, T Kind)[] table, OpAttributes attributes, string attribute) where T : struct, Enum
    {
        string value = attributes.GetString(attribute);
        foreach (var (name, kind) in table)
            if (name == value) return kind;
        throw attributes.Bad(attribute, $"is '{value}', expected one of {string.Join(", ", table.Select(t => t.Name))}");
    }
}
