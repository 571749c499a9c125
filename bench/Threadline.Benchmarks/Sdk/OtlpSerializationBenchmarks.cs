using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Google.Protobuf;
using OpenTelemetry;
using OpenTelemetry.Resources;
using Threadline.Sdk;
using Threadline.Sdk.Export.Otlp.Serialization;
using Wire = Threadline.TestSupport.Otlp;

namespace Threadline.Benchmarks.Sdk;

/// <summary>
/// Serializing one export batch of 512 realistic server spans (11 attributes of mixed types, 2
/// events) into an OTLP ExportTraceServiceRequest, on one thread. Baseline: the Google.Protobuf
/// generated messages built from the activities, then ToByteArray. Also in the run: the same
/// hand-written writer producing OTLP/JSON, and OpenTelemetry .NET 1.20.1's own OTLP serializer
/// (internal to its exporter, reached by reflection; one reflective call per batch).
/// Spans per second = 512 / mean time.
/// </summary>
[MemoryDiagnoser]
public class OtlpSerializationBenchmarks
{
    public const int BatchSize = 512;

    private readonly ActivitySource _source = new("Bench.Otlp.Serialization", "1.2.3");
    private ActivityListener? _listener;
    private List<Activity> _batch = [];
    private ServiceResource _resource = ServiceResource.Empty;
    private readonly OtlpProtobufSerializer _protobuf = new();
    private readonly OtlpJsonSerializer _json = new();
    private readonly PayloadBuffer _buffer = new(1 << 20);
    private OpenTelemetrySerializer? _openTelemetry;

    [GlobalSetup]
    public void Setup()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => ReferenceEquals(source, _source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
        _batch = Enumerable.Range(0, BatchSize).Select(Realistic).ToList();
        _resource = new ServiceResource(
        [
            new("service.name", "checkout"),
            new("service.version", "2.4.1"),
            new("telemetry.sdk.name", "threadline"),
            new("telemetry.sdk.language", "dotnet"),
            new("host.name", "checkout-7d9f8b-x2x5q"),
        ]);
        _openTelemetry = OpenTelemetrySerializer.TryCreate(_resource);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _listener?.Dispose();
        _source.Dispose();
        _buffer.Dispose();
        _json.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Google.Protobuf messages + ToByteArray")]
    public int GeneratedMessages() => BuildRequest(_resource, _batch).ToByteArray().Length;

    [Benchmark(Description = "Threadline protobuf writer")]
    public int Threadline()
    {
        _buffer.Clear();
        _protobuf.Serialize(_buffer, _resource, _batch);
        return _buffer.Length;
    }

    [Benchmark(Description = "Threadline JSON writer")]
    public int ThreadlineJson()
    {
        _buffer.Clear();
        _json.Serialize(_buffer, _resource, _batch);
        return _buffer.Length;
    }

    [Benchmark(Description = "OpenTelemetry 1.20.1 serializer")]
    public int OpenTelemetryInternal() =>
        (_openTelemetry ?? throw new InvalidOperationException("OpenTelemetry's internal serializer was not found; its signature changed.")).Write(_batch);

    private Activity Realistic(int index)
    {
        var start = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddMilliseconds(index);
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, null, isRemote: true);
        var activity = _source.StartActivity("GET /api/orders/{id}", ActivityKind.Server, parent, startTime: start)!;
        activity.SetTag("http.request.method", "GET");
        activity.SetTag("url.full", "https://shop.example.com/api/orders/12345?expand=items");
        activity.SetTag("http.route", "/api/orders/{id}");
        activity.SetTag("http.response.status_code", 200);
        activity.SetTag("server.address", "shop.example.com");
        activity.SetTag("server.port", 443);
        activity.SetTag("network.protocol.version", "1.1");
        activity.SetTag("client.address", "10.1.2.3");
        activity.SetTag("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        activity.SetTag("thread.id", 17L + index);
        activity.SetTag("server.duration.ratio", 0.25 + index);
        activity.AddEvent(new ActivityEvent("request.received", start.AddMilliseconds(1), new ActivityTagsCollection { ["message.size"] = 512L }));
        activity.AddEvent(new ActivityEvent("response.sent", start.AddMilliseconds(9), new ActivityTagsCollection { ["message.size"] = 2048L, ["compressed"] = true }));
        activity.SetEndTime(start.UtcDateTime.AddMilliseconds(10));
        activity.Stop();
        return activity;
    }

    /// <summary>The conventional way: build the generated object graph, then let it serialize itself.</summary>
    private static Wire.ExportTraceServiceRequest BuildRequest(ServiceResource resource, List<Activity> batch)
    {
        var resourceSpans = new Wire.ResourceSpans { Resource = new Wire.Resource() };
        foreach (var attribute in resource.Attributes) resourceSpans.Resource.Attributes.Add(KeyValue(attribute.Key, attribute.Value!));
        var scopes = new Dictionary<(string, string?), Wire.ScopeSpans>();
        Span<byte> id = stackalloc byte[16];
        foreach (var activity in batch)
        {
            var key = (activity.Source.Name, activity.Source.Version);
            if (!scopes.TryGetValue(key, out var scope))
            {
                scope = new Wire.ScopeSpans { Scope = new Wire.InstrumentationScope { Name = key.Name, Version = key.Version ?? "" } };
                scopes.Add(key, scope);
                resourceSpans.ScopeSpans.Add(scope);
            }

            var start = (ulong)(activity.StartTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
            activity.TraceId.CopyTo(id);
            var span = new Wire.Span
            {
                TraceId = ByteString.CopyFrom(id),
                Name = activity.DisplayName,
                Kind = (Wire.Span.Types.SpanKind)((int)activity.Kind + 1),
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + ((ulong)activity.Duration.Ticks * 100),
                Flags = (uint)activity.ActivityTraceFlags | 0x100u | (activity.HasRemoteParent ? 0x200u : 0u),
                TraceState = activity.TraceStateString ?? "",
            };
            activity.SpanId.CopyTo(id[..8]);
            span.SpanId = ByteString.CopyFrom(id[..8]);
            if (activity.ParentSpanId != default)
            {
                activity.ParentSpanId.CopyTo(id[..8]);
                span.ParentSpanId = ByteString.CopyFrom(id[..8]);
            }
            foreach (ref readonly var tag in activity.EnumerateTagObjects()) span.Attributes.Add(KeyValue(tag.Key, tag.Value!));
            foreach (ref readonly var activityEvent in activity.EnumerateEvents())
            {
                var spanEvent = new Wire.Span.Types.Event
                {
                    Name = activityEvent.Name,
                    TimeUnixNano = (ulong)(activityEvent.Timestamp.UtcTicks - DateTime.UnixEpoch.Ticks) * 100,
                };
                foreach (ref readonly var tag in activityEvent.EnumerateTagObjects()) spanEvent.Attributes.Add(KeyValue(tag.Key, tag.Value!));
                span.Events.Add(spanEvent);
            }
            if (activity.Status != ActivityStatusCode.Unset)
            {
                span.Status = new Wire.Status { Code = (Wire.Status.Types.StatusCode)(int)activity.Status, Message = activity.StatusDescription ?? "" };
            }
            scope.Spans.Add(span);
        }

        var request = new Wire.ExportTraceServiceRequest();
        request.ResourceSpans.Add(resourceSpans);
        return request;
    }

    private static Wire.KeyValue KeyValue(string key, object value) => new()
    {
        Key = key,
        Value = value switch
        {
            string s => new Wire.AnyValue { StringValue = s },
            long l => new Wire.AnyValue { IntValue = l },
            int i => new Wire.AnyValue { IntValue = i },
            bool b => new Wire.AnyValue { BoolValue = b },
            double d => new Wire.AnyValue { DoubleValue = d },
            _ => new Wire.AnyValue { StringValue = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" },
        },
    };

    /// <summary>
    /// OpenTelemetry's ProtobufOtlpTraceSerializer.WriteTraceData, called through reflection with
    /// arguments built from its parameter types, so a signature change shows up as "not found".
    /// </summary>
    private sealed class OpenTelemetrySerializer
    {
        private readonly MethodInfo _write;
        private readonly object?[] _arguments;
        private readonly int _bufferIndex;
        private readonly int _batchIndex;
        private readonly Activity[] _array = new Activity[BatchSize];

        private OpenTelemetrySerializer(MethodInfo write, object?[] arguments, int bufferIndex, int batchIndex)
        {
            _write = write;
            _arguments = arguments;
            _bufferIndex = bufferIndex;
            _batchIndex = batchIndex;
        }

        public static OpenTelemetrySerializer? TryCreate(ServiceResource resource)
        {
            var assembly = typeof(OpenTelemetry.Exporter.OtlpExporterOptions).Assembly;
            var type = assembly.GetType("OpenTelemetry.Exporter.OpenTelemetryProtocol.Implementation.Serializer.ProtobufOtlpTraceSerializer");
            var write = type?.GetMethod("WriteTraceData", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public);
            if (write is null) return null;

            var parameters = write.GetParameters();
            var arguments = new object?[parameters.Length];
            int bufferIndex = -1, batchIndex = -1;
            for (var i = 0; i < parameters.Length; i++)
            {
                var parameterType = parameters[i].ParameterType.IsByRef ? parameters[i].ParameterType.GetElementType()! : parameters[i].ParameterType;
                if (parameterType == typeof(byte[]))
                {
                    arguments[i] = new byte[4 << 20];
                    bufferIndex = i;
                }
                else if (parameterType == typeof(int))
                {
                    arguments[i] = 0;
                }
                else if (parameterType == typeof(Resource))
                {
                    arguments[i] = ResourceBuilder.CreateEmpty().AddAttributes(resource.Attributes.Select(a => new KeyValuePair<string, object>(a.Key, a.Value!))).Build();
                }
                else if (parameterType == typeof(Batch<Activity>))
                {
                    batchIndex = i;
                }
                else
                {
                    // SdkLimitOptions and the like: default limits.
                    var constructor = parameterType.GetConstructors(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(c => c.GetParameters().Length).FirstOrDefault();
                    if (constructor is null || constructor.GetParameters().Length > 0) return null;
                    arguments[i] = constructor.Invoke(null);
                }
            }
            return bufferIndex < 0 || batchIndex < 0 ? null : new OpenTelemetrySerializer(write, arguments, bufferIndex, batchIndex);
        }

        public int Write(List<Activity> batch)
        {
            batch.CopyTo(_array);
            _arguments[_batchIndex] = new Batch<Activity>(_array, batch.Count);
            return (int)_write.Invoke(null, _arguments)!;
        }
    }
}
