using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Core.Synthetic;

/// <summary>
/// Makes traces that look like a real web shop's (twenty services, HTTP and gRPC calls,
/// PostgreSQL, SQLite and Redis queries, Kafka messages), for load tests, benchmarks and storage
/// figures: trees of 1 to <see cref="MaxSpansPerTrace"/> spans with semantic-convention attributes,
/// a high-cardinality <c>user.id</c>, some failures with exception events, and unique trace ids,
/// span ids and start times. The same seed and start give the same traces, span for span.
/// Not thread-safe: one generator per producer.
/// </summary>
public sealed class RealisticTraceGenerator
{
    /// <summary>The largest trace generated, in spans.</summary>
    public const int MaxSpansPerTrace = 60;

    /// <summary>How many distinct <c>user.id</c> values traces carry (<c>user-000000</c> … <c>user-099999</c>).</summary>
    public const int DistinctUsers = 100_000;

    private static readonly string[] UserAgents =
    [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "ShopApp/4.12.0 (Android 14; Pixel 8)",
    ];

    private static readonly string[] SearchTerms = ["shoes", "red dress", "usb-c cable", "coffee grinder", "tent", "lego", "headphones", "desk lamp", "yoga mat", "backpack"];

    private readonly Random _random;
    private readonly Dictionary<string, ServiceInstance[]> _instances;
    private readonly int _entryWeightTotal;
    private readonly ulong _meanTraceIntervalNanos;
    private ulong _nextTraceStart;
    private long _kafkaOffset;

    /// <param name="seed">The same seed (and start) gives the same traces.</param>
    /// <param name="firstTraceStartUnixNano">When the first trace starts; later ones follow it.</param>
    /// <param name="meanTraceIntervalNanos">
    /// The mean gap between the starts of consecutive traces (1 ms by default: 1,000 requests per
    /// second at the gateway). Every trace starts at a distinct, later time.
    /// </param>
    public RealisticTraceGenerator(int seed, ulong firstTraceStartUnixNano, ulong meanTraceIntervalNanos = 1_000_000)
    {
        ArgumentOutOfRangeException.ThrowIfZero(meanTraceIntervalNanos);
        _random = new Random(seed);
        _instances = ShopResources.Create(_random);
        _entryWeightTotal = ShopTopology.EntryPoints.Sum(e => e.Weight);
        _meanTraceIntervalNanos = meanTraceIntervalNanos;
        _nextTraceStart = firstTraceStartUnixNano;
    }

    /// <summary>The names of the services traces come from.</summary>
    public static IReadOnlyList<string> ServiceNames => ShopTopology.Services;

    /// <summary>The gateway's root span names (entry points), for queries against generated data.</summary>
    public static IReadOnlyList<string> RootSpanNames { get; } =
        ShopTopology.EntryPoints.Select(e => ShopTopology.Endpoints[e.Endpoint].SpanName).ToArray();

    /// <summary>How many traces and spans this generator has made.</summary>
    public long TracesGenerated { get; private set; }

    /// <inheritdoc cref="TracesGenerated"/>
    public long SpansGenerated { get; private set; }

    /// <summary>The spans of the next trace, children before parents (the order spans end and are exported in).</summary>
    public Span[] NextTrace()
    {
        var start = _nextTraceStart;
        // Strictly increasing starts, jittered around the mean interval.
        _nextTraceStart += 1 + (ulong)_random.NextInt64(0, (long)Math.Min(_meanTraceIntervalNanos * 2, long.MaxValue / 2));

        var trace = new TraceBuilder(this, NewTraceId(), start);
        trace.Run(PickEntryPoint());
        TracesGenerated++;
        SpansGenerated += trace.Spans.Count;
        return trace.Spans.ToArray();
    }

    /// <summary>Whole traces appended to <paramref name="destination"/> until it holds at least <paramref name="minSpans"/> spans.</summary>
    public void FillBatch(List<Span> destination, int minSpans)
    {
        ArgumentNullException.ThrowIfNull(destination);
        while (destination.Count < minSpans) destination.AddRange(NextTrace());
    }

    private Endpoint PickEntryPoint()
    {
        var pick = _random.Next(_entryWeightTotal);
        foreach (var (endpoint, weight) in ShopTopology.EntryPoints)
        {
            if (pick < weight) return ShopTopology.Endpoints[endpoint];
            pick -= weight;
        }
        throw new InvalidOperationException("Entry-point weights do not add up.");
    }

    private TraceId NewTraceId()
    {
        Span<byte> bytes = stackalloc byte[TraceId.ByteLength];
        TraceId id;
        do
        {
            _random.NextBytes(bytes);
            id = TraceId.FromBytes(bytes);
        }
        while (id.IsEmpty);
        return id;
    }

    private SpanId NewSpanId() => new((ulong)_random.NextInt64(1, long.MaxValue) | ((ulong)_random.Next(2) << 63));

    private ServiceInstance PickInstance(string service) => _instances[service][_random.Next(ShopResources.InstancesPerService)];

    /// <summary>A duration between the bounds, log-uniformly distributed: most calls fast, a long tail.</summary>
    private ulong LogUniformNanos(double minMicros, double maxMicros) =>
        (ulong)(1000 * Math.Exp(Math.Log(minMicros) + (_random.NextDouble() * (Math.Log(maxMicros) - Math.Log(minMicros)))));

    private bool Chance(double probability) => _random.NextDouble() < probability;

    /// <summary>The spans of one trace while it is built; walks the topology depth-first, keeping to the span budget.</summary>
    private sealed class TraceBuilder
    {
        private readonly RealisticTraceGenerator _g;
        private readonly TraceId _traceId;
        private readonly ulong _start;
        private readonly string _userId;
        private readonly string _sessionId;
        private readonly string _clientAddress;
        private int _budget = MaxSpansPerTrace;

        public TraceBuilder(RealisticTraceGenerator generator, TraceId traceId, ulong start)
        {
            _g = generator;
            _traceId = traceId;
            _start = start;
            var random = generator._random;
            _userId = "user-" + random.Next(DistinctUsers).ToString("D6", CultureInfo.InvariantCulture);
            _sessionId = random.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
            _clientAddress = $"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}";
        }

        public List<Span> Spans { get; } = new(16);

        public void Run(Endpoint entry)
        {
            _budget--;
            Serve(entry, _g.PickInstance(entry.Service), SpanId.Empty, _g.NewSpanId(), _start, SpanKind.Server, caller: null, message: null);
        }

        /// <summary>Records the SERVER (or CONSUMER) span of <paramref name="endpoint"/> and its children; returns its end.</summary>
        private (ulong End, bool Failed) Serve(Endpoint endpoint, ServiceInstance instance, SpanId parent, SpanId spanId, ulong start, SpanKind kind, ServiceInstance? caller, (string Topic, string MessageId, int Partition, long Offset)? message)
        {
            var cursor = start + _g.LogUniformNanos(40, 400);
            var childFailed = false;
            foreach (var step in endpoint.Steps)
            {
                if (!_g.Chance(step.Probability)) continue;
                var repeat = step.MinRepeat == step.MaxRepeat ? step.MinRepeat : _g._random.Next(step.MinRepeat, step.MaxRepeat + 1);
                for (var r = 0; r < repeat && _budget > 0; r++)
                {
                    var (end, stepFailed) = step switch
                    {
                        Call call => CallEndpoint(call, instance, spanId, cursor),
                        Query query => RunQuery(query, instance, spanId, cursor),
                        External external => CallExternal(external, instance, spanId, cursor),
                        Publish publish => PublishMessage(publish, instance, spanId, cursor),
                        _ => throw new InvalidOperationException($"Unknown step {step}."),
                    };
                    childFailed |= stepFailed;
                    cursor = end + _g.LogUniformNanos(10, 120);
                }
            }
            var leafWork = endpoint.Steps.Length == 0 ? _g.LogUniformNanos(150, 2_500) : _g.LogUniformNanos(30, 300);
            var finish = cursor + leafWork;
            // A failed call fails its caller about half the time; the rest are retried or degraded gracefully.
            var failed = _g.Chance(endpoint.FailureRate) || (childFailed && _g.Chance(0.5));

            var attributes = new List<KeyValue>(14);
            string name;
            if (message is { } m)
            {
                name = $"process {m.Topic}";
                AddMessagingAttributes(attributes, m.Topic, "process", m.MessageId, m.Partition);
                attributes.Add(new KeyValue("messaging.consumer.group.name", endpoint.Service));
                attributes.Add(new KeyValue("messaging.kafka.offset", m.Offset));
            }
            else if (endpoint.Protocol == CallProtocol.Http)
            {
                name = endpoint.SpanName;
                AddHttpServerAttributes(attributes, endpoint, caller, failed);
            }
            else
            {
                name = endpoint.SpanName;
                AddRpcAttributes(attributes, endpoint, failed);
                attributes.Add(new KeyValue("server.address", endpoint.Service));
                attributes.Add(new KeyValue("server.port", 50051L));
                attributes.Add(new KeyValue("client.address", caller?.Address ?? _clientAddress));
            }
            if (endpoint.Service is "user" or "cart" or "checkout" or "auth" or "review" && endpoint.Id != "auth.validate")
                attributes.Add(new KeyValue("user.id", _userId));

            Add(new Span
            {
                TraceId = _traceId,
                SpanId = spanId,
                ParentSpanId = parent,
                Name = name,
                Kind = kind,
                Flags = 0x301,
                StartTimeUnixNano = start,
                EndTimeUnixNano = finish,
                Attributes = [.. attributes],
                Events = !failed ? []
                    : childFailed ? [ExceptionEvent(endpoint.Service, finish - 20_000, "Net.Http.HttpRequestException", "Response status code does not indicate success: 500 (Internal Server Error).")]
                    : [ExceptionEvent(endpoint.Service, finish - 20_000, "InvalidOperationException", $"{name} failed: the stored state was inconsistent.")],
                Status = failed ? new SpanStatus(StatusCode.Error, endpoint.Protocol == CallProtocol.Http ? "Internal Server Error" : "INTERNAL") : SpanStatus.Unset,
                Resource = instance.Resource,
                Scope = instance.ServerScope,
            });
            return (finish, failed);
        }

        private (ulong End, bool Failed) CallEndpoint(Call call, ServiceInstance instance, SpanId parent, ulong start)
        {
            var endpoint = ShopTopology.Endpoints[call.Endpoint];
            if (_budget < 2) return (start, false);
            _budget -= 2;
            var clientId = _g.NewSpanId();
            var callee = _g.PickInstance(endpoint.Service);
            var serverStart = start + _g.LogUniformNanos(80, 600);
            var (serverEnd, failed) = Serve(endpoint, callee, clientId, _g.NewSpanId(), serverStart, SpanKind.Server, instance, message: null);
            var end = serverEnd + _g.LogUniformNanos(60, 500);

            var attributes = new List<KeyValue>(10);
            string name;
            if (endpoint.Protocol == CallProtocol.Http)
            {
                name = endpoint.Method;
                var path = ConcretePath(endpoint.Route);
                attributes.Add(new KeyValue("http.request.method", endpoint.Method));
                attributes.Add(new KeyValue("url.full", $"http://{endpoint.Service}:8080{path}"));
                attributes.Add(new KeyValue("server.address", endpoint.Service));
                attributes.Add(new KeyValue("server.port", 8080L));
                attributes.Add(new KeyValue("http.response.status_code", failed ? 500L : 200L));
                attributes.Add(new KeyValue("network.protocol.version", "1.1"));
                if (failed) attributes.Add(new KeyValue("error.type", "500"));
            }
            else
            {
                name = endpoint.SpanName;
                AddRpcAttributes(attributes, endpoint, failed);
                attributes.Add(new KeyValue("server.address", endpoint.Service));
                attributes.Add(new KeyValue("server.port", 50051L));
            }
            attributes.Add(new KeyValue("network.peer.address", callee.Address));

            Add(new Span
            {
                TraceId = _traceId,
                SpanId = clientId,
                ParentSpanId = parent,
                Name = name,
                Kind = SpanKind.Client,
                Flags = 0x101,
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes = [.. attributes],
                Status = failed ? new SpanStatus(StatusCode.Error, string.Empty) : SpanStatus.Unset,
                Resource = instance.Resource,
                Scope = instance.ClientScope,
            });
            return (end, failed);
        }

        private (ulong End, bool Failed) RunQuery(Query query, ServiceInstance instance, SpanId parent, ulong start)
        {
            _budget--;
            var duration = query.System switch
            {
                "redis" => _g.LogUniformNanos(80, 900),
                "sqlite" => _g.LogUniformNanos(40, 1_500),
                _ => _g.LogUniformNanos(300, 4_000),
            };
            // A few slow queries (lock waits, cold cache): the tail that latency searches look for.
            if (_g.Chance(0.03)) duration *= (ulong)_g._random.Next(10, 60);
            var end = start + duration;
            var failed = _g.Chance(0.004);

            var attributes = new List<KeyValue>(10)
            {
                new("db.system.name", query.System),
                new("db.namespace", query.System == "sqlite" ? $"/var/lib/{instance.Service}/{instance.Service}.db" : query.System == "redis" ? "0" : "shop"),
                new("db.operation.name", query.Operation),
                new("db.collection.name", query.Collection),
                new("db.query.text", query.Text),
            };
            if (query.System != "sqlite")
            {
                attributes.Add(new KeyValue("server.address", query.System == "redis" ? "redis-master.shop.svc" : "postgres-primary.shop.svc"));
                attributes.Add(new KeyValue("server.port", query.System == "redis" ? 6379L : 5432L));
            }
            if (failed) attributes.Add(new KeyValue("error.type", "timeout"));
            else if (query.Operation == "SELECT") attributes.Add(new KeyValue("db.response.returned_rows", (long)_g._random.Next(0, 40)));

            Add(new Span
            {
                TraceId = _traceId,
                SpanId = _g.NewSpanId(),
                ParentSpanId = parent,
                Name = $"{query.Operation} {query.Collection}",
                Kind = SpanKind.Client,
                Flags = 0x101,
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes = [.. attributes],
                Events = failed ? [ExceptionEvent(instance.Service, end, "TimeoutException", $"The {query.System} command timed out after {duration / 1_000_000} ms.")] : [],
                Status = failed ? new SpanStatus(StatusCode.Error, "timeout") : SpanStatus.Unset,
                Resource = instance.Resource,
                Scope = instance.DatabaseScope,
            });
            return (end, failed);
        }

        private (ulong End, bool Failed) CallExternal(External external, ServiceInstance instance, SpanId parent, ulong start)
        {
            _budget--;
            var end = start + _g.LogUniformNanos(external.MinMillis * 1000.0, external.MaxMillis * 1000.0);
            var failed = _g.Chance(0.01);
            Add(new Span
            {
                TraceId = _traceId,
                SpanId = _g.NewSpanId(),
                ParentSpanId = parent,
                Name = external.Method,
                Kind = SpanKind.Client,
                Flags = 0x101,
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes =
                [
                    new("http.request.method", external.Method),
                    new("url.full", $"https://{external.Host}{external.Path}"),
                    new("server.address", external.Host),
                    new("server.port", 443L),
                    new("http.response.status_code", failed ? 503L : 200L),
                    new("network.protocol.version", "2"),
                ],
                Status = failed ? new SpanStatus(StatusCode.Error, string.Empty) : SpanStatus.Unset,
                Resource = instance.Resource,
                Scope = instance.ClientScope,
            });
            return (end, failed);
        }

        private (ulong End, bool Failed) PublishMessage(Publish publish, ServiceInstance instance, SpanId parent, ulong start)
        {
            _budget--;
            var producerId = _g.NewSpanId();
            var end = start + _g.LogUniformNanos(300, 2_000);
            var messageId = ShopResources.Guid(_g._random);
            var partition = _g._random.Next(12);
            var attributes = new List<KeyValue>(8);
            AddMessagingAttributes(attributes, publish.Topic, "send", messageId, partition);
            Add(new Span
            {
                TraceId = _traceId,
                SpanId = producerId,
                ParentSpanId = parent,
                Name = $"send {publish.Topic}",
                Kind = SpanKind.Producer,
                Flags = 0x101,
                StartTimeUnixNano = start,
                EndTimeUnixNano = end,
                Attributes = [.. attributes],
                Resource = instance.Resource,
                Scope = instance.ClientScope,
            });
            // Consumers run later, on their own time; the producer does not wait for them.
            foreach (var consumer in publish.Consumers)
            {
                if (_budget < 1) break;
                _budget--;
                var endpoint = ShopTopology.Endpoints[consumer];
                var consumerStart = end + _g.LogUniformNanos(1_000, 40_000);
                Serve(endpoint, _g.PickInstance(endpoint.Service), producerId, _g.NewSpanId(), consumerStart, SpanKind.Consumer, instance,
                    (publish.Topic, messageId, partition, ++_g._kafkaOffset));
            }
            return (end, false);
        }

        private void AddHttpServerAttributes(List<KeyValue> attributes, Endpoint endpoint, ServiceInstance? caller, bool failed)
        {
            var atGateway = caller is null;
            var path = ConcretePath(endpoint.Route);
            attributes.Add(new KeyValue("http.request.method", endpoint.Method));
            attributes.Add(new KeyValue("url.scheme", atGateway ? "https" : "http"));
            attributes.Add(new KeyValue("url.path", path));
            if (endpoint.Route.EndsWith("/search", StringComparison.Ordinal))
                attributes.Add(new KeyValue("url.query", "q=" + SearchTerms[_g._random.Next(SearchTerms.Length)].Replace(' ', '+') + "&page=" + _g._random.Next(1, 4).ToString(CultureInfo.InvariantCulture)));
            attributes.Add(new KeyValue("http.route", endpoint.Route));
            attributes.Add(new KeyValue("http.response.status_code", failed ? (_g.Chance(0.3) ? 503L : 500L) : endpoint.Method == "POST" ? 201L : 200L));
            attributes.Add(new KeyValue("server.address", atGateway ? "shop.example.com" : endpoint.Service));
            attributes.Add(new KeyValue("server.port", atGateway ? 443L : 8080L));
            attributes.Add(new KeyValue("client.address", caller?.Address ?? _clientAddress));
            attributes.Add(new KeyValue("network.protocol.version", atGateway ? "2" : "1.1"));
            if (failed) attributes.Add(new KeyValue("error.type", "500"));
            if (atGateway && endpoint.Route != "/healthz")
            {
                attributes.Add(new KeyValue("user_agent.original", UserAgents[_g._random.Next(UserAgents.Length)]));
                attributes.Add(new KeyValue("session.id", _sessionId));
                attributes.Add(new KeyValue("user.id", _userId));
            }
        }

        private static void AddRpcAttributes(List<KeyValue> attributes, Endpoint endpoint, bool failed)
        {
            attributes.Add(new KeyValue("rpc.system", "grpc"));
            attributes.Add(new KeyValue("rpc.service", endpoint.RpcService));
            attributes.Add(new KeyValue("rpc.method", endpoint.Method));
            attributes.Add(new KeyValue("rpc.grpc.status_code", failed ? 13L : 0L));
        }

        private static void AddMessagingAttributes(List<KeyValue> attributes, string topic, string operation, string messageId, int partition)
        {
            attributes.Add(new KeyValue("messaging.system", "kafka"));
            attributes.Add(new KeyValue("messaging.destination.name", topic));
            attributes.Add(new KeyValue("messaging.operation.type", operation));
            attributes.Add(new KeyValue("messaging.operation.name", operation));
            attributes.Add(new KeyValue("messaging.message.id", messageId));
            attributes.Add(new KeyValue("messaging.destination.partition.id", partition.ToString(CultureInfo.InvariantCulture)));
            attributes.Add(new KeyValue("server.address", "kafka-0.kafka.shop.svc"));
        }

        private string ConcretePath(string route) =>
            route.Replace("{id}", _g._random.Next(1, 50_000).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

        /// <summary>An <c>exception</c> event as the SDKs record it, with a stack trace of plausible depth.</summary>
        private SpanEvent ExceptionEvent(string service, ulong time, string type, string message)
        {
            var area = char.ToUpperInvariant(service[0]) + service[1..].Replace("-", string.Empty, StringComparison.Ordinal);
            var line = _g._random.Next(20, 400).ToString(CultureInfo.InvariantCulture);
            var stack =
                $"System.{type}: {message}\n" +
                $"   at Shop.{area}.{area}Handler.HandleAsync(Request request, CancellationToken cancellationToken) in /src/{area}/{area}Handler.cs:line {line}\n" +
                $"   at Shop.{area}.Middleware.ErrorBoundary.InvokeAsync(HttpContext context) in /src/{area}/Middleware/ErrorBoundary.cs:line 41\n" +
                "   at Microsoft.AspNetCore.Routing.EndpointMiddleware.Invoke(HttpContext httpContext)\n" +
                "   at Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol.ProcessRequests[TContext](IHttpApplication`1 application)";
            return new SpanEvent(time, "exception",
            [
                new KeyValue("exception.type", $"System.{type}"),
                new KeyValue("exception.message", message),
                new KeyValue("exception.stacktrace", stack),
            ]);
        }

        private void Add(Span span) => Spans.Add(span);
    }
}
