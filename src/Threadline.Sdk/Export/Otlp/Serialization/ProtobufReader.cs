using Threadline.Protobuf;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// Reads the few small messages an exporter receives (ExportTraceServiceResponse,
/// google.rpc.Status and its RetryInfo). Forgiving by design: malformed input ends the read
/// (<see cref="TryReadKey"/> returns false) rather than throwing, because an unreadable answer
/// must never turn a delivered batch into a failure.
/// </summary>
internal ref struct ProtobufReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private bool _broken;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _broken = false;
    }

    /// <summary>Reads the next field key; false at the end or on malformed input.</summary>
    public bool TryReadKey(out int fieldNumber, out int wireType)
    {
        fieldNumber = 0;
        wireType = 0;
        if (_broken || _position >= _data.Length) return false;
        if (!TryReadVarint(out var key) || key >> 3 == 0 || key >> 3 > int.MaxValue)
        {
            _broken = true;
            return false;
        }
        fieldNumber = (int)(key >> 3);
        wireType = (int)(key & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        if (!TryReadVarint(out var value)) _broken = true;
        return value;
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        if (!TryReadVarint(out var length) || length > (ulong)(_data.Length - _position))
        {
            _broken = true;
            return default;
        }
        var value = _data.Slice(_position, (int)length);
        _position += (int)length;
        return value;
    }

    /// <summary>Skips a field of a wire type this reader was not asked about.</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Advance(8);
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            case WireType.Fixed32:
                Advance(4);
                break;
            default:
                // Groups (3, 4) are long obsolete; anything else is corrupt.
                _broken = true;
                break;
        }
    }

    private void Advance(int count)
    {
        if (_data.Length - _position < count) _broken = true;
        else _position += count;
    }

    private bool TryReadVarint(out ulong value) =>
        Varint.TryRead(_data, ref _position, _data.Length, out value) == VarintStatus.Done;
}
