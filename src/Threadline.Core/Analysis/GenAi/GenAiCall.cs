using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Core.Analysis.GenAi;

/// <summary>
/// One call to a generative-AI model as its span describes it with the OpenTelemetry GenAI
/// semantic conventions. Fields the span does not carry are null.
/// </summary>
public readonly record struct GenAiCall(
    string? System,
    string? Model,
    string? Operation,
    string Service,
    bool IsError,
    long? InputTokens,
    long? OutputTokens,
    ulong DurationNanos)
{
    /// <summary>The attribute keys read (semantic conventions for GenAI spans).</summary>
    public static class Keys
    {
        public const string ProviderName = "gen_ai.provider.name";

        /// <summary>The older name of <see cref="ProviderName"/>, still sent by many instrumentations.</summary>
        public const string System = "gen_ai.system";

        public const string RequestModel = "gen_ai.request.model";
        public const string ResponseModel = "gen_ai.response.model";
        public const string OperationName = "gen_ai.operation.name";
        public const string InputTokens = "gen_ai.usage.input_tokens";
        public const string OutputTokens = "gen_ai.usage.output_tokens";

        /// <summary>Every key, for a fetch that must bring them back.</summary>
        public static IReadOnlyList<string> All { get; } = [ProviderName, System, RequestModel, ResponseModel, OperationName, InputTokens, OutputTokens];

        /// <summary>The keys any one of which makes a span a GenAI call.</summary>
        public static IReadOnlyList<string> Marking { get; } = [OperationName, ProviderName, System];
    }

    /// <summary>
    /// Reads the call from span attributes; false when none of <see cref="Keys.Marking"/> is
    /// present, so the span is no GenAI call. The provider is <c>gen_ai.provider.name</c>, else
    /// <c>gen_ai.system</c>; the model the requested one, else the one that answered (the request
    /// names the model a user chose; responses often add a dated version).
    /// </summary>
    public static bool TryRead(IReadOnlyList<KeyValue> attributes, string service, bool isError, ulong durationNanos, out GenAiCall call)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        string? provider = null, system = null, requestModel = null, responseModel = null, operation = null;
        long? input = null, output = null;
        foreach (var (key, value) in attributes)
        {
            switch (key)
            {
                case Keys.ProviderName: provider = Text(value); break;
                case Keys.System: system = Text(value); break;
                case Keys.RequestModel: requestModel = Text(value); break;
                case Keys.ResponseModel: responseModel = Text(value); break;
                case Keys.OperationName: operation = Text(value); break;
                case Keys.InputTokens: input = Count(value); break;
                case Keys.OutputTokens: output = Count(value); break;
            }
        }
        call = new GenAiCall(provider ?? system, requestModel ?? responseModel, operation, service, isError, input, output, durationNanos);
        return provider is not null || system is not null || operation is not null;
    }

    /// <summary>The call a span describes, if it is one.</summary>
    public static bool TryRead(Span span, out GenAiCall call)
    {
        ArgumentNullException.ThrowIfNull(span);
        return TryRead(span.Attributes, span.ServiceName, span.Status.Code == StatusCode.Error, span.DurationNanos, out call);
    }

    private static string? Text(AttributeValue value) => value.Type == AttributeType.String && value.AsString().Length > 0 ? value.AsString() : null;

    // Token counts are integers; a double or a numeric string from a loose instrumentation still counts.
    private static long? Count(AttributeValue value) => value.Type switch
    {
        AttributeType.Int when value.AsInt() >= 0 => value.AsInt(),
        AttributeType.Double when value.AsDouble() is >= 0 and < long.MaxValue => (long)value.AsDouble(),
        AttributeType.String when long.TryParse(value.AsString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };
}
