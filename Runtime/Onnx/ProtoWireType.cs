namespace Simd.Runtime.Onnx;

/// <summary>The protobuf wire types. Groups (3 and 4) are deprecated and ONNX never writes them.</summary>
internal enum ProtoWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
