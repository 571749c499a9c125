namespace Threadline.Protobuf;

/// <summary>The protobuf wire types (the low three bits of a field tag).</summary>
/// <remarks>Linked as source into the SDK and Protocol (src/Shared), so neither references the other.</remarks>
internal static class WireType
{
    public const int Varint = 0;
    public const int Fixed64 = 1;
    public const int LengthDelimited = 2;
    public const int StartGroup = 3;
    public const int EndGroup = 4;
    public const int Fixed32 = 5;

    /// <summary>A field tag: the field number shifted past the three wire-type bits.</summary>
    public static uint Tag(int field, int wireType) => (uint)((field << 3) | wireType);

    public static string Describe(uint wireType) => wireType switch
    {
        Varint => "0 (varint)",
        Fixed64 => "1 (64-bit)",
        LengthDelimited => "2 (length-delimited)",
        StartGroup => "3 (start group)",
        EndGroup => "4 (end group)",
        Fixed32 => "5 (32-bit)",
        _ => $"{wireType} (not a protobuf wire type)",
    };
}
