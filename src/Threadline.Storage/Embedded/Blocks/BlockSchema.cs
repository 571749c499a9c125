using Parquet.Schema;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// The columns of data.parquet, one row per span (docs/storage-format.md describes each).
/// Unsigned OTLP fields (times, flags, counts) are stored as the signed Parquet type of the same
/// width, bit for bit, so that every value round-trips exactly.
/// </summary>
internal static class BlockSchema
{
    public static readonly DataField<byte[]> TraceId = new("trace_id");
    public static readonly DataField<byte[]> SpanId = new("span_id");
    public static readonly DataField<byte[]> ParentSpanId = new("parent_span_id", nullable: true);
    public static readonly DataField<int> NestedSetLeft = new("nested_set_left");
    public static readonly DataField<int> NestedSetRight = new("nested_set_right");
    public static readonly DataField<int> NestedSetParent = new("nested_set_parent");
    public static readonly DataField<long> StartUnixNano = new("start_unix_nano");
    public static readonly DataField<long> DurationNano = new("duration_nano");
    public static readonly DataField<string> Name = new("name");
    public static readonly DataField<int> Kind = new("kind");
    public static readonly DataField<int> StatusCode = new("status_code");
    public static readonly DataField<string> StatusMessage = new("status_message", nullable: true);
    public static readonly DataField<string> TraceState = new("trace_state", nullable: true);
    public static readonly DataField<int> Flags = new("flags");
    public static readonly DataField<int> DroppedAttributesCount = new("dropped_attributes_count");
    public static readonly DataField<int> DroppedEventsCount = new("dropped_events_count");
    public static readonly DataField<int> DroppedLinksCount = new("dropped_links_count");
    public static readonly DataField<string> ServiceName = new("service_name");
    public static readonly DataField<string> ScopeName = new("scope_name", nullable: true);
    public static readonly DataField<string> ScopeVersion = new("scope_version", nullable: true);

    /// <summary>The dedicated attribute columns, in <see cref="DedicatedColumns.All"/> order.</summary>
    public static readonly IReadOnlyList<DataField> Dedicated = DedicatedColumns.All
        .Select(c => c.Type == Core.Model.AttributeType.Int
            ? (DataField)new DataField<long?>(c.ColumnName)
            : new DataField<string>(c.ColumnName, nullable: true))
        .ToArray();

    public static readonly DataField<byte[]> Attributes = new("attributes", nullable: true);
    public static readonly DataField<byte[]> Resource = new("resource", nullable: true);
    public static readonly DataField<byte[]> ScopeExtra = new("scope", nullable: true);
    public static readonly DataField<byte[]> Events = new("events", nullable: true);
    public static readonly DataField<byte[]> Links = new("links", nullable: true);

    public static readonly ParquetSchema Schema = new(
        new Field[]
        {
            TraceId, SpanId, ParentSpanId, NestedSetLeft, NestedSetRight, NestedSetParent, StartUnixNano, DurationNano,
            Name, Kind, StatusCode, StatusMessage, TraceState, Flags, DroppedAttributesCount, DroppedEventsCount, DroppedLinksCount,
            ServiceName, ScopeName, ScopeVersion,
        }
        .Concat(Dedicated)
        .Concat([Attributes, Resource, ScopeExtra, Events, Links]));

    /// <summary>Key of the Parquet key-value metadata entry holding the block format version.</summary>
    public const string FormatVersionKey = "threadline.block_format_version";
}
