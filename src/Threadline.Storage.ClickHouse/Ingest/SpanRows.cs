using Threadline.Core.Model;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.Embedded.Wal;

namespace Threadline.Storage.ClickHouse.Ingest;

/// <summary>
/// Turns a batch of spans into RowBinary rows of the spans table and of the trace-id lookup
/// table. A span row has typed columns for what queries filter on (intrinsics, attributes by
/// type as parallel key/value arrays) and the whole span, exactly, as its <c>body</c> in the
/// write-ahead log's binary form, which reads decode. Not thread-safe: one per append.
/// </summary>
internal sealed class SpanRows
{
    public const string SpanColumns =
        "timestamp, start_ns, duration_ns, trace_id, span_id, parent_span_id, service_name, name, kind, status_code, status_message, " +
        "span_str_keys, span_str_values, span_int_keys, span_int_values, span_dbl_keys, span_dbl_values, span_bool_keys, span_bool_values, span_other_keys, " +
        "res_str_keys, res_str_values, res_int_keys, res_int_values, res_dbl_keys, res_dbl_values, res_bool_keys, res_bool_values, res_other_keys, " +
        "event_keys, link_keys, body";

    public const string IndexColumns = "timestamp, trace_id, service_name, start_min, start_max, end_max";

    private readonly RowBinaryWriter _spans = new();
    private readonly RowBinaryWriter _index = new(4096);
    private readonly WalBufferWriter _body = new();
    private readonly Span[] _one = new Span[1];
    private readonly Dictionary<(TraceId, string), (ulong StartMin, ulong StartMax, ulong EndMax)> _traces = [];
    private readonly List<KeyValue> _strings = [], _ints = [], _doubles = [], _bools = [];
    private readonly List<string> _others = [];

    public ReadOnlyMemory<byte> Spans => _spans.Written;

    public ReadOnlyMemory<byte> Index => _index.Written;

    public void Add(IReadOnlyList<Span> batch)
    {
        Span<byte> id = stackalloc byte[TraceId.ByteLength];
        foreach (var span in batch)
        {
            var start = span.StartTimeUnixNano;
            _spans.DateTime(start);
            _spans.UInt64(start);
            _spans.UInt64(span.DurationNanos);
            span.TraceId.WriteBytes(id);
            _spans.Fixed(id);
            span.SpanId.WriteBytes(id[..SpanId.ByteLength]);
            _spans.Fixed(id[..SpanId.ByteLength]);
            span.ParentSpanId.WriteBytes(id[..SpanId.ByteLength]);
            _spans.Fixed(id[..SpanId.ByteLength]);
            _spans.String(span.ServiceName);
            _spans.String(span.Name);
            _spans.UInt8((byte)span.Kind);
            _spans.UInt8((byte)span.Status.Code);
            _spans.String(span.Status.Message);
            WriteAttributes(span.Attributes);
            WriteAttributes(span.Resource.Attributes);
            if (span.Events.Length == 0) _spans.ArrayLength(0);
            else WriteKeys(span.Events.SelectMany(e => e.Attributes));
            if (span.Links.Length == 0) _spans.ArrayLength(0);
            else WriteKeys(span.Links.SelectMany(l => l.Attributes));

            _one[0] = span;
            _body.Clear();
            SpanBatchCodec.Encode(_one, _body);
            _spans.Blob(_body.WrittenSpan);

            var key = (span.TraceId, span.ServiceName);
            var end = Math.Max(span.EndTimeUnixNano, start);
            _traces[key] = _traces.TryGetValue(key, out var t)
                ? (Math.Min(t.StartMin, start), Math.Max(t.StartMax, start), Math.Max(t.EndMax, end))
                : (start, start, end);
        }

        foreach (var ((traceId, service), (startMin, startMax, endMax)) in _traces)
        {
            _index.DateTime(startMin);
            traceId.WriteBytes(id);
            _index.Fixed(id);
            _index.String(service);
            _index.UInt64(startMin);
            _index.UInt64(startMax);
            _index.UInt64(endMax);
        }
        _one[0] = null!;
    }

    private void WriteAttributes(KeyValue[] attributes)
    {
        _strings.Clear(); _ints.Clear(); _doubles.Clear(); _bools.Clear(); _others.Clear();
        foreach (var attribute in attributes)
        {
            switch (attribute.Value.Type)
            {
                case AttributeType.String: _strings.Add(attribute); break;
                case AttributeType.Int: _ints.Add(attribute); break;
                case AttributeType.Double: _doubles.Add(attribute); break;
                case AttributeType.Bool: _bools.Add(attribute); break;
                default: _others.Add(attribute.Key); break;
            }
        }
        WriteKeys(_strings);
        _spans.ArrayLength(_strings.Count);
        foreach (var a in _strings) _spans.String(a.Value.AsString());
        WriteKeys(_ints);
        _spans.ArrayLength(_ints.Count);
        foreach (var a in _ints) _spans.Int64(a.Value.AsInt());
        WriteKeys(_doubles);
        _spans.ArrayLength(_doubles.Count);
        foreach (var a in _doubles) _spans.Float64(a.Value.AsDouble());
        WriteKeys(_bools);
        _spans.ArrayLength(_bools.Count);
        foreach (var a in _bools) _spans.UInt8(a.Value.AsBool() ? (byte)1 : (byte)0);
        _spans.ArrayLength(_others.Count);
        foreach (var key in _others) _spans.String(key);
    }

    private void WriteKeys(List<KeyValue> attributes)
    {
        _spans.ArrayLength(attributes.Count);
        foreach (var a in attributes) _spans.String(a.Key);
    }

    private void WriteKeys(IEnumerable<KeyValue> attributes)
    {
        var keys = attributes.Select(a => a.Key).Distinct(StringComparer.Ordinal).ToList();
        _spans.ArrayLength(keys.Count);
        foreach (var key in keys) _spans.String(key);
    }
}
