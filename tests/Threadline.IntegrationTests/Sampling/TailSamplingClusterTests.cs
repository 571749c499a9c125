using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Forwarding;
using Threadline.Protocol.Otlp;
using Threadline.Storage;

namespace Threadline.IntegrationTests.Sampling;

/// <summary>
/// Three real servers on loopback ports sampling together: spans of one trace sent to different
/// nodes all end up decided, and stored, on the one node that owns the trace.
/// </summary>
public sealed class TailSamplingClusterTests : IAsyncLifetime
{
    private const int SpansPerTrace = 4;
    private readonly List<TestServer> _nodes = [];
    private readonly HttpClient _http = new();
    private string _policyFile = "";
    private string[] _members = [];

    public async Task InitializeAsync()
    {
        // Each trace is decided the moment its last span reaches the owner (the span cap), so once
        // every export is acknowledged every trace is stored: nothing to wait for.
        _policyFile = Path.Combine(Path.GetTempPath(), $"threadline-sampling-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(_policyFile, $"""
            decision_wait: 30s
            max_spans_per_trace: {SpansPerTrace}
            policies:
              - name: everything
                type: always_sample
            """);
        var ports = FreePorts(3);
        _members = [.. ports.Select(p => $"http://127.0.0.1:{p}")];
        for (var i = 0; i < ports.Length; i++)
        {
            var port = ports[i];
            var self = _members[i];
            _nodes.Add(await TestServer.StartAsync(options =>
            {
                options.Receivers.OtlpHttpPort = port;
                options.TailSampling.PolicyFile = _policyFile;
                options.TailSampling.Members = string.Join(",", _members);
                options.TailSampling.Self = self;
            }));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        _http.Dispose();
        File.Delete(_policyFile);
    }

    [Fact]
    public async Task Spans_of_a_trace_sent_to_different_nodes_are_decided_and_stored_on_its_owner_only()
    {
        var traces = Enumerable.Range(1, 60).Select(i => Trace(i)).ToList();

        // Every node gets a part of every trace: each span goes to the node after the previous one's.
        for (var part = 0; part < SpansPerTrace; part++)
        {
            for (var node = 0; node < _nodes.Count; node++)
            {
                var spans = traces.Where((_, t) => (t + part) % _nodes.Count == node).Select(t => t[part]).ToList();
                var response = await ExportAsync(_nodes[node], spans);
                Assert.Equal(HttpStatusCode.OK, response);
            }
        }

        var ownership = new TraceOwnership(_members);
        var owners = new HashSet<int>();
        foreach (var trace in traces)
        {
            var owner = ownership.OwnerOf(trace[0].TraceId);
            owners.Add(owner);
            for (var node = 0; node < _nodes.Count; node++)
            {
                var stored = await Store(node).GetTraceAsync(trace[0].TraceId, CancellationToken.None);
                Assert.Equal(node == owner ? SpansPerTrace : 0, stored.Count);
            }
        }
        // Sixty traces over three nodes: each node owns some.
        Assert.Equal(3, owners.Count);
    }

    [Fact]
    public async Task An_export_whose_owner_is_down_is_refused_as_retryable_and_not_stored()
    {
        var ownership = new TraceOwnership(_members);
        var trace = Enumerable.Range(1, 1_000).Select(i => Trace(i)).First(t => ownership.OwnerOf(t[0].TraceId) == 2);
        await _nodes[2].DisposeAsync();
        _nodes.RemoveAt(2);

        var response = await ExportAsync(_nodes[0], trace);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response);
        Assert.Empty(await Store(0).GetTraceAsync(trace[0].TraceId, CancellationToken.None));
    }

    private ITraceStore Store(int node) => _nodes[node].Services.GetRequiredService<ITraceStore>();

    private async Task<HttpStatusCode> ExportAsync(TestServer node, IReadOnlyList<Span> spans)
    {
        using var content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(spans));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _http.PostAsync(new Uri(node.OtlpHttpEndpoint, "v1/traces"), content);
        return response.StatusCode;
    }

    private static Span[] Trace(int n)
    {
        var traceId = new TraceId(0x4bf92f3577b34da6 ^ ((ulong)n * 0x9E3779B97F4A7C15), (ulong)n);
        var resource = new Resource([new("service.name", "checkout")]);
        var root = new SpanId(((ulong)n << 8) | 1);
        return [.. Enumerable.Range(0, SpansPerTrace).Select(i => new Span
        {
            TraceId = traceId,
            SpanId = i == 0 ? root : new SpanId(((ulong)n << 8) + (ulong)i + 1),
            ParentSpanId = i == 0 ? SpanId.Empty : root,
            Name = i == 0 ? "POST /checkout" : "call " + i,
            StartTimeUnixNano = 1_767_225_600_000_000_000 + (ulong)i * 1_000_000,
            EndTimeUnixNano = 1_767_225_600_000_000_000 + (ulong)i * 1_000_000 + 500_000,
            Resource = resource,
        })];
    }

    // Members must know each other's ports before any starts; the OS hands out free ones.
    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        foreach (var listener in listeners) listener.Start();
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var listener in listeners) listener.Stop();
        return ports;
    }
}
