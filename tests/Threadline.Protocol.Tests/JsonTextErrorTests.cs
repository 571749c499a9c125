using System.Text;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Zipkin;

namespace Threadline.Protocol.Tests;

/// <summary>
/// Text the JSON reader accepts but cannot turn into a string (an escape with invalid UTF-8 beside
/// it, a lone surrogate) is a malformed body wherever it appears, never an unhandled exception;
/// and every JSON error names one position, as line and column from 1.
/// </summary>
public sealed class JsonTextErrorTests
{
    private const string TraceHex = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string SpanHex = "00f067aa0ba902b7";

    /// <summary>Where § stands, one of two kinds of text that only fail when unescaped.</summary>
    public static TheoryData<string> BadTexts => new() { "lone surrogate", "escape beside invalid UTF-8" };

    private static byte[] WithBadText(string template, string kind)
    {
        byte[] bad = kind == "lone surrogate" ? "\\ud800"u8.ToArray() : [.. "\\u0041"u8, 0xFF];
        var parts = template.Split('§');
        return [.. Encoding.UTF8.GetBytes(parts[0]), .. bad, .. Encoding.UTF8.GetBytes(parts[1])];
    }

    private static string OtlpSpan(string members) =>
        $$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{TraceHex}}","spanId":"{{SpanHex}}",{{members}}}]}]}]}""";

    public static TheoryData<string, string> OtlpPlaces => new()
    {
        { """{"§":1}""", "(in $): a property name is not valid UTF-8 or has an invalid escape." },
        { OtlpSpan("\"§\":1"), "(in resourceSpans[0].scopeSpans[0].spans[0]): a property name is not valid UTF-8 or has an invalid escape." },
        { """{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"§"}]}]}]}""", "traceId is not valid UTF-8 or has an invalid escape." },
        { """{"resourceSpans":[{"scopeSpans":[{"spans":[{"links":[{"spanId":"§"}]}]}]}]}""", "links[].spanId is not valid UTF-8 or has an invalid escape." },
        { OtlpSpan("\"startTimeUnixNano\":\"§\""), "startTimeUnixNano must be an unsigned 64-bit integer (decimal string or number), not a string." },
        { OtlpSpan("\"attributes\":[{\"key\":\"k\",\"value\":{\"intValue\":\"§\"}}]"), "intValue must be a 64-bit integer (number or decimal string), not a string." },
        { OtlpSpan("\"attributes\":[{\"key\":\"k\",\"value\":{\"doubleValue\":\"§\"}}]"), "doubleValue must be a number, \"NaN\", \"Infinity\" or \"-Infinity\", not a string." },
        { OtlpSpan("\"attributes\":[{\"key\":\"k\",\"value\":{\"bytesValue\":\"§\"}}]"), "bytesValue must be base64, not a string." },
        { OtlpSpan("\"name\":\"§\""), "name is not valid UTF-8 or has an invalid escape." },
    };

    [Theory]
    [MemberData(nameof(OtlpPlaces))]
    public void Otlp_json_text_that_cannot_be_unescaped_is_a_protocol_error_naming_the_field(string template, string expected)
    {
        foreach (var kind in BadTexts)
        {
            var error = Assert.Throws<ProtocolException>(() => OtlpJsonDecoder.DecodeExportRequest(WithBadText(template, kind), DecodeLimits.Default));

            Assert.StartsWith("Invalid OTLP/JSON at line 1, column ", error.Message);
            Assert.EndsWith(expected, error.Message);
        }
    }

    public static TheoryData<string, string> ZipkinPlaces => new()
    {
        { """[{"§":1}]""", "(in span 0): a property name is not valid UTF-8 or has an invalid escape." },
        { """[{"localEndpoint":{"§":"x"}}]""", "(in span 0): a property name is not valid UTF-8 or has an invalid escape." },
        { """[{"remoteEndpoint":{"serviceName":"§"}}]""", "remoteEndpoint.serviceName is not valid UTF-8 or has an invalid escape." },
        { """[{"tags":{"§":"v"}}]""", "a property name is not valid UTF-8 or has an invalid escape." },
        { """[{"tags":{"k":"§"}}]""", "tags.k is not valid UTF-8 or has an invalid escape." },
        { """[{"annotations":[{"§":1}]}]""", "a property name is not valid UTF-8 or has an invalid escape." },
        { """[{"timestamp":"§"}]""", "timestamp must be a non-negative integer number of microseconds, not a string." },
        { """[{"id":"§"}]""", "id is not valid UTF-8 or has an invalid escape." },
    };

    [Theory]
    [MemberData(nameof(ZipkinPlaces))]
    public void Zipkin_text_that_cannot_be_unescaped_is_a_protocol_error_naming_the_field(string template, string expected)
    {
        foreach (var kind in BadTexts)
        {
            var error = Assert.Throws<ProtocolException>(() => ZipkinJsonDecoder.Decode(WithBadText(template, kind), DecodeLimits.Default));

            Assert.StartsWith("Invalid Zipkin v2 JSON at line 1, column ", error.Message);
            Assert.EndsWith(expected, error.Message);
        }
    }

    [Theory]
    [InlineData("{\"resourceSpans\": [", "Malformed OTLP/JSON at line 1, column 20: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("{\n  \"resourceSpans\": [\n    {,\n", "Malformed OTLP/JSON at line 3, column 6: ',' is an invalid start of a property name. Expected a '\"'.")]
    [InlineData("{\"a\":1,}", "Malformed OTLP/JSON at line 1, column 8: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("{\n\"resourceSpans\":{}}", "Invalid OTLP/JSON at line 2, column 17 (in $): resourceSpans must be an array, not an object.")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":5}]}]}]}", "Invalid OTLP/JSON at line 1, column 52 (in resourceSpans[0].scopeSpans[0].spans[0]): name must be a string, not a number.")]
    [InlineData("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":\"\\ud800\"}]}]}]}", "Invalid OTLP/JSON at line 1, column 52 (in resourceSpans[0].scopeSpans[0].spans[0]): name is not valid UTF-8 or has an invalid escape.")]
    public void Otlp_json_errors_name_one_position_counted_from_one(string json, string expected)
    {
        var error = Assert.Throws<ProtocolException>(() => OtlpJsonDecoder.DecodeExportRequest(Encoding.UTF8.GetBytes(json), DecodeLimits.Default));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("[{]", "Malformed Zipkin v2 JSON at line 1, column 3: ']' is an invalid start of a property name. Expected a '\"'.")]
    [InlineData("[\n {\"id\":\"1\"}\n {}]", "Malformed Zipkin v2 JSON at line 3, column 2: '{' is invalid after a value. Expected either ',', '}', or ']'.")]
    [InlineData("[{\"timestamp\":\"soon\"}]", "Invalid Zipkin v2 JSON at line 1, column 15 (in span 0): timestamp must be a non-negative integer number of microseconds, not a string.")]
    [InlineData("\n\n{}", "Invalid Zipkin v2 JSON at line 3, column 1 (in $): the body must be an array of spans, not an object.")]
    public void Zipkin_errors_name_one_position_counted_from_one(string json, string expected)
    {
        var error = Assert.Throws<ProtocolException>(() => ZipkinJsonDecoder.Decode(Encoding.UTF8.GetBytes(json), DecodeLimits.Default));

        Assert.Equal(expected, error.Message);
    }
}
