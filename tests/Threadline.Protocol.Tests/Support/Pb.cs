namespace Threadline.Protocol.Tests.Support;

/// <summary>
/// A tiny protobuf byte builder for hand-crafting payloads the generated types will not produce:
/// unknown fields, groups, wrong wire types, non-minimal varints, fields out of order.
/// </summary>
internal static class Pb
{
    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        while (value >= 0x80)
        {
            bytes.Add((byte)(value | 0x80));
            value >>= 7;
        }
        bytes.Add((byte)value);
        return [.. bytes];
    }

    public static byte[] Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    public static byte[] VarintField(int field, ulong value) => [.. Tag(field, 0), .. Varint(value)];

    public static byte[] Fixed64Field(int field, ulong value) => [.. Tag(field, 1), .. BitConverter.GetBytes(value)];

    public static byte[] Fixed32Field(int field, uint value) => [.. Tag(field, 5), .. BitConverter.GetBytes(value)];

    public static byte[] LenField(int field, params byte[][] parts)
    {
        var body = parts.SelectMany(p => p).ToArray();
        return [.. Tag(field, 2), .. Varint((ulong)body.Length), .. body];
    }

    public static byte[] StringField(int field, string value) => LenField(field, System.Text.Encoding.UTF8.GetBytes(value));

    public static byte[] Group(int field, params byte[][] parts) => [.. Tag(field, 3), .. parts.SelectMany(p => p), .. Tag(field, 4)];

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>One unknown field of every wire type, including a group holding nested fields and a nested group.</summary>
    public static byte[] UnknownFields(int firstFieldNumber) => Concat(
        VarintField(firstFieldNumber, 300),
        Fixed64Field(firstFieldNumber + 1, 0x0102030405060708),
        LenField(firstFieldNumber + 2, [1, 2, 3, 4]),
        Fixed32Field(firstFieldNumber + 3, 0xDEADBEEF),
        Group(firstFieldNumber + 4, VarintField(1, 1), LenField(2, [9, 9]), Group(3, Fixed32Field(4, 7))));
}
