using System.Diagnostics;
using System.Globalization;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// The Activity → OTLP value mappings shared by the protobuf and JSON writers. The field keys
/// are <see cref="Threadline.Protobuf.OtlpFieldKeys"/>, shared with the backend's decoder.
/// </summary>
internal static class OtlpWire
{
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
