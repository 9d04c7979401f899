namespace Simd.Runtime.Tensors;

/// <summary>
/// Element type of a tensor. Everything computes in <see cref="Float32"/> today; the other values are reserved for
/// quantized inference and integer shape tensors, and their numbers are part of the model file (never renumber).
/// </summary>
public enum DataType : byte
{
    Float32 = 1,
    Int8 = 2,
    UInt8 = 3,
    Int32 = 4,
}

/// <summary>Stable lower-case names of the data types, as model files and messages spell them.</summary>
public static class DataTypeNames
{
    public static string Name(DataType type) => type switch
    {
        DataType.Float32 => "f32",
        DataType.Int8 => "i8",
        DataType.UInt8 => "u8",
        DataType.Int32 => "i32",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a data type."),
    };

    public static bool TryParse(string name, out DataType type)
    {
        type = name switch
        {
            "f32" => DataType.Float32,
            "i8" => DataType.Int8,
            "u8" => DataType.UInt8,
            "i32" => DataType.Int32,
            _ => 0,
        };
        return type != 0;
    }
}
