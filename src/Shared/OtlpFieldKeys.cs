namespace Threadline.Protobuf;

/// <summary>
/// The tags (field number &lt;&lt; 3 | wire type) of the OTLP trace messages, as they appear on the
/// wire: what the SDK's serializer writes and the backend's decoder matches. Keys of field numbers
/// 1-15 take one byte (<c>byte</c> constants, written as they are); a key of field 16 or more
/// takes two bytes as a varint (<c>ushort</c>).
/// </summary>
/// <remarks>Linked as source into the SDK and Protocol (src/Shared), so neither references the other.</remarks>
internal static class OtlpFieldKeys
{
    private const int Len = WireType.LengthDelimited;
    private const int Varint = WireType.Varint;
    private const int Fixed64 = WireType.Fixed64;
    private const int Fixed32 = WireType.Fixed32;

    public const byte Request_ResourceSpans = (1 << 3) | Len;

    public const byte ResourceSpans_Resource = (1 << 3) | Len;
    public const byte ResourceSpans_ScopeSpans = (2 << 3) | Len;
    public const byte ResourceSpans_SchemaUrl = (3 << 3) | Len;

    public const byte Resource_Attributes = (1 << 3) | Len;
    public const byte Resource_DroppedAttributesCount = (2 << 3) | Varint;

    public const byte ScopeSpans_Scope = (1 << 3) | Len;
    public const byte ScopeSpans_Spans = (2 << 3) | Len;
    public const byte ScopeSpans_SchemaUrl = (3 << 3) | Len;

    public const byte Scope_Name = (1 << 3) | Len;
    public const byte Scope_Version = (2 << 3) | Len;
    public const byte Scope_Attributes = (3 << 3) | Len;
    public const byte Scope_DroppedAttributesCount = (4 << 3) | Varint;

    public const byte Span_TraceId = (1 << 3) | Len;
    public const byte Span_SpanId = (2 << 3) | Len;
    public const byte Span_TraceState = (3 << 3) | Len;
    public const byte Span_ParentSpanId = (4 << 3) | Len;
    public const byte Span_Name = (5 << 3) | Len;
    public const byte Span_Kind = (6 << 3) | Varint;
    public const byte Span_StartTimeUnixNano = (7 << 3) | Fixed64;
    public const byte Span_EndTimeUnixNano = (8 << 3) | Fixed64;
    public const byte Span_Attributes = (9 << 3) | Len;
    public const byte Span_DroppedAttributesCount = (10 << 3) | Varint;
    public const byte Span_Events = (11 << 3) | Len;
    public const byte Span_DroppedEventsCount = (12 << 3) | Varint;
    public const byte Span_Links = (13 << 3) | Len;
    public const byte Span_DroppedLinksCount = (14 << 3) | Varint;
    public const byte Span_Status = (15 << 3) | Len;
    public const ushort Span_Flags = (16 << 3) | Fixed32;

    public const byte Event_TimeUnixNano = (1 << 3) | Fixed64;
    public const byte Event_Name = (2 << 3) | Len;
    public const byte Event_Attributes = (3 << 3) | Len;
    public const byte Event_DroppedAttributesCount = (4 << 3) | Varint;

    public const byte Link_TraceId = (1 << 3) | Len;
    public const byte Link_SpanId = (2 << 3) | Len;
    public const byte Link_TraceState = (3 << 3) | Len;
    public const byte Link_Attributes = (4 << 3) | Len;
    public const byte Link_DroppedAttributesCount = (5 << 3) | Varint;
    public const byte Link_Flags = (6 << 3) | Fixed32;

    public const byte Status_Message = (2 << 3) | Len;
    public const byte Status_Code = (3 << 3) | Varint;

    public const byte KeyValue_Key = (1 << 3) | Len;
    public const byte KeyValue_Value = (2 << 3) | Len;

    public const byte AnyValue_String = (1 << 3) | Len;
    public const byte AnyValue_Bool = (2 << 3) | Varint;
    public const byte AnyValue_Int = (3 << 3) | Varint;
    public const byte AnyValue_Double = (4 << 3) | Fixed64;
    public const byte AnyValue_Array = (5 << 3) | Len;
    public const byte AnyValue_KeyValueList = (6 << 3) | Len;
    public const byte AnyValue_Bytes = (7 << 3) | Len;

    public const byte ArrayValue_Values = (1 << 3) | Len;
    public const byte KeyValueList_Values = (1 << 3) | Len;
}
