using System.Diagnostics;
using System.Globalization;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// OTLP field keys (field number and wire type, pre-shifted) and the Activity → OTLP value
/// mappings shared by the protobuf and JSON writers.
/// </summary>
internal static class OtlpWire
{
    // Wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. Key = field << 3 | type.
    public const byte Request_ResourceSpans = (1 << 3) | 2;

    public const byte ResourceSpans_Resource = (1 << 3) | 2;
    public const byte ResourceSpans_ScopeSpans = (2 << 3) | 2;

    public const byte Resource_Attributes = (1 << 3) | 2;

    public const byte ScopeSpans_Scope = (1 << 3) | 2;
    public const byte ScopeSpans_Spans = (2 << 3) | 2;
    public const byte ScopeSpans_SchemaUrl = (3 << 3) | 2;

    public const byte Scope_Name = (1 << 3) | 2;
    public const byte Scope_Version = (2 << 3) | 2;
    public const byte Scope_Attributes = (3 << 3) | 2;

    public const byte Span_TraceId = (1 << 3) | 2;
    public const byte Span_SpanId = (2 << 3) | 2;
    public const byte Span_TraceState = (3 << 3) | 2;
    public const byte Span_ParentSpanId = (4 << 3) | 2;
    public const byte Span_Name = (5 << 3) | 2;
    public const byte Span_Kind = (6 << 3) | 0;
    public const byte Span_StartTimeUnixNano = (7 << 3) | 1;
    public const byte Span_EndTimeUnixNano = (8 << 3) | 1;
    public const byte Span_Attributes = (9 << 3) | 2;
    public const byte Span_DroppedAttributesCount = (10 << 3) | 0;
    public const byte Span_Events = (11 << 3) | 2;
    public const byte Span_DroppedEventsCount = (12 << 3) | 0;
    public const byte Span_Links = (13 << 3) | 2;
    public const byte Span_DroppedLinksCount = (14 << 3) | 0;
    public const byte Span_Status = (15 << 3) | 2;
    public const ushort Span_Flags = (16 << 3) | 5;

    public const byte Event_TimeUnixNano = (1 << 3) | 1;
    public const byte Event_Name = (2 << 3) | 2;
    public const byte Event_Attributes = (3 << 3) | 2;
    public const byte Event_DroppedAttributesCount = (4 << 3) | 0;

    public const byte Link_TraceId = (1 << 3) | 2;
    public const byte Link_SpanId = (2 << 3) | 2;
    public const byte Link_TraceState = (3 << 3) | 2;
    public const byte Link_Attributes = (4 << 3) | 2;
    public const byte Link_DroppedAttributesCount = (5 << 3) | 0;
    public const byte Link_Flags = (6 << 3) | 5;

    public const byte Status_Message = (2 << 3) | 2;
    public const byte Status_Code = (3 << 3) | 0;

    public const byte KeyValue_Key = (1 << 3) | 2;
    public const byte KeyValue_Value = (2 << 3) | 2;

    public const byte AnyValue_String = (1 << 3) | 2;
    public const byte AnyValue_Bool = (2 << 3) | 0;
    public const byte AnyValue_Int = (3 << 3) | 0;
    public const byte AnyValue_Double = (4 << 3) | 1;
    public const byte AnyValue_Array = (5 << 3) | 2;
    public const byte AnyValue_Bytes = (7 << 3) | 2;

    public const byte ArrayValue_Values = (1 << 3) | 2;

    // SpanFlags: the W3C trace flags in the low byte, then whether the parent (or linked)
    // context's remoteness is known, and whether it is remote.
    private const uint HasIsRemote = 0x100;
    private const uint IsRemote = 0x200;

    public static uint SpanFlags(ActivityTraceFlags traceFlags, bool isRemote) =>
        ((uint)traceFlags & 0xFF) | HasIsRemote | (isRemote ? IsRemote : 0);

    /// <summary>ActivityKind counts from Internal = 0; OTLP's SpanKind from Internal = 1.</summary>
    public static uint SpanKind(ActivityKind kind) => (uint)kind + 1;

    /// <summary>Ticks since 0001-01-01 to nanoseconds since the Unix epoch (0 before 1970).</summary>
    public static ulong UnixNanoseconds(long ticks)
    {
        var sinceEpoch = ticks - DateTime.UnixEpoch.Ticks;
        return sinceEpoch <= 0 ? 0 : (ulong)sinceEpoch * TimeSpan.NanosecondsPerTick;
    }

    public static ulong DurationNanoseconds(TimeSpan duration) =>
        duration.Ticks <= 0 ? 0 : (ulong)duration.Ticks * TimeSpan.NanosecondsPerTick;

    public static int DroppedAt(int[]? counts, int index) =>
        counts is not null && (uint)index < (uint)counts.Length ? counts[index] : 0;

    /// <summary>Values of a type OTLP has no AnyValue for are sent as their invariant text.</summary>
    public static string FormatOther(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
}
