using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// Plays the W3C test harness against <see cref="TraceContextHarnessServer"/>: sends it a request
/// with the interesting headers and a list of callbacks to a recording server, then checks the
/// headers the callbacks arrived with.
/// </summary>
public sealed class TraceContextHarnessFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<KeyValuePair<string, string>>> _callbacks = new();
    private DistributedContextPropagator? _previous;
    private TestActivities? _activities;
    private WebApplication? _recorder;
    private HttpClient? _harnessClient;

    public TraceContextHarnessServer Service { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _previous = TextMapPropagators.Install(TextMapPropagators.Create("tracecontext", "baggage"));
        _activities = new TestActivities(TraceContextHarnessServer.Source.Name);
        Service = await TraceContextHarnessServer.StartAsync();
        _recorder = await TestWebHost.StartAsync(app => app.MapPost("/{id}", (string id, HttpRequest request) =>
        {
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var (name, values) in request.Headers)
            {
                foreach (var value in values) headers.Add(new(name, value!));
            }
            _callbacks[id] = headers;
        }));
        // The harness's own client must not add trace headers of its own.
        _harnessClient = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null });
    }

    /// <summary>
    /// Sends the service one request with <paramref name="headers"/> asking for
    /// <paramref name="callbacks"/> calls back, and returns the headers of each callback.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>>> SendAsync(int callbacks, params (string Name, string Value)[] headers)
    {
        var ids = Enumerable.Range(0, callbacks).Select(_ => Guid.NewGuid().ToString("n")).ToList();
        var body = ids.Select(id => new { url = new Uri(_recorder!.BaseAddress(), id).ToString(), arguments = Array.Empty<object>() }).ToList();

        using var request = new HttpRequestMessage(HttpMethod.Post, Service.Endpoint) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        foreach (var (name, value) in headers) Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"could not send header {name}");
        using var response = await _harnessClient!.SendAsync(request);
        response.EnsureSuccessStatusCode();

        return [.. ids.Select(id => Assert.Contains(id, (IReadOnlyDictionary<string, IReadOnlyList<KeyValuePair<string, string>>>)_callbacks))];
    }

    public async Task DisposeAsync()
    {
        _harnessClient?.Dispose();
        if (_recorder is not null) await _recorder.DisposeAsync();
        if (Service is not null) await Service.DisposeAsync();
        _activities?.Dispose();
        if (_previous is not null) DistributedContextPropagator.Current = _previous;
    }
}

[Collection(GlobalPropagatorCollection.Name)]
public sealed class TraceContextHarnessTests(TraceContextHarnessFixture harness) : IClassFixture<TraceContextHarnessFixture>
{
    private const string TraceId = "12345678901234567890123456789012";
    private const string ParentId = "1234567890123456";
    private const string Valid = "00-" + TraceId + "-" + ParentId + "-01";

    private sealed record Received(string TraceId, string ParentId, string Flags, string? TraceState);

    private async Task<Received> SendAsync(params (string Name, string Value)[] headers) =>
        Parse(Assert.Single(await harness.SendAsync(1, headers)));

    private static Received Parse(IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        var traceParent = Assert.Single(headers, h => string.Equals(h.Key, "traceparent", StringComparison.OrdinalIgnoreCase)).Value;
        var parts = traceParent.Split('-');
        Assert.Equal(4, parts.Length);
        Assert.Equal("00", parts[0]);
        Assert.Matches("^[0-9a-f]{32}$", parts[1]);
        Assert.Matches("^[0-9a-f]{16}$", parts[2]);
        Assert.NotEqual(new string('0', 32), parts[1]);
        var traceState = headers.Where(h => string.Equals(h.Key, "tracestate", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList();
        return new Received(parts[1], parts[2], parts[3], traceState.Count == 0 ? null : string.Join(',', traceState));
    }

    [Fact]
    public async Task Harness_gets_a_valid_traceparent_when_none_was_sent()
    {
        var received = await SendAsync();

        Assert.Null(received.TraceState);
    }

    [Fact]
    public async Task Harness_trace_continues_with_the_same_trace_id_and_a_new_parent_id()
    {
        var received = await SendAsync(("traceparent", Valid));

        Assert.Equal(TraceId, received.TraceId);
        Assert.NotEqual(ParentId, received.ParentId);
        Assert.Equal("01", received.Flags);
    }

    [Fact]
    public async Task Harness_unsampled_flag_is_passed_on()
    {
        var received = await SendAsync(("traceparent", "00-" + TraceId + "-" + ParentId + "-00"));

        Assert.Equal(TraceId, received.TraceId);
        Assert.Equal("00", received.Flags);
    }

    [Theory]
    [InlineData("TraceParent", "TraceState")]
    [InlineData("TRACEPARENT", "TRACESTATE")]
    [InlineData("TrAcEpArEnT", "TrAcEsTaTe")]
    public async Task Harness_header_names_are_case_insensitive(string traceParentName, string traceStateName)
    {
        var received = await SendAsync((traceParentName, Valid), (traceStateName, "foo=1"));

        Assert.Equal(TraceId, received.TraceId);
        Assert.Equal("foo=1", received.TraceState);
    }

    [Theory]
    [InlineData("trace-parent")]
    [InlineData("trace.parent")]
    public async Task Harness_restarts_the_trace_when_the_header_name_is_wrong(string name) =>
        Assert.NotEqual(TraceId, (await SendAsync((name, Valid))).TraceId);

    [Theory]
    [InlineData("00-" + TraceId + "-" + ParentId + "-01.")]
    [InlineData("00-" + TraceId + "-" + ParentId + "-01-what-the-future-will-be-like")]
    [InlineData("ff-" + TraceId + "-" + ParentId + "-01")]
    [InlineData(".0-" + TraceId + "-" + ParentId + "-01")]
    [InlineData("000-" + TraceId + "-" + ParentId + "-01")]
    [InlineData("0-" + TraceId + "-" + ParentId + "-01")]
    [InlineData("00-00000000000000000000000000000000-" + ParentId + "-01")]
    [InlineData("00-" + TraceId + "-0000000000000000-01")]
    [InlineData("00-ABCDEF78901234567890123456789012-" + ParentId + "-01")]
    [InlineData("00-" + TraceId + "3-" + ParentId + "-01")]
    [InlineData("00-" + TraceId + "-" + ParentId + "7-01")]
    [InlineData("00-" + TraceId + "-" + ParentId + "-.0")]
    [InlineData("00-" + TraceId + "-" + ParentId + "-001")]
    [InlineData("cc-" + TraceId + "-" + ParentId + "-01.what-the-future-will-be-like")]
    public async Task Harness_restarts_the_trace_when_the_traceparent_is_invalid(string traceParent)
    {
        var received = await SendAsync(("traceparent", traceParent), ("tracestate", "foo=1"));

        Assert.NotEqual(TraceId, received.TraceId);
        Assert.Null(received.TraceState);
    }

    [Fact]
    public async Task Harness_restarts_the_trace_when_the_traceparent_is_duplicated()
    {
        var received = await SendAsync(("traceparent", "00-12345678901234567890123456789011-" + ParentId + "-01"), ("traceparent", Valid));

        Assert.NotEqual(TraceId, received.TraceId);
        Assert.NotEqual("12345678901234567890123456789011", received.TraceId);
    }

    [Theory]
    [InlineData("cc-" + TraceId + "-" + ParentId + "-01")]
    [InlineData("cc-" + TraceId + "-" + ParentId + "-01-what-the-future-will-be-like")]
    public async Task Harness_future_version_continues_the_trace_as_version_00(string traceParent)
    {
        var received = await SendAsync(("traceparent", traceParent));

        Assert.Equal(TraceId, received.TraceId);
    }

    [Fact]
    public async Task Harness_tracestate_is_passed_on()
    {
        var received = await SendAsync(("traceparent", Valid), ("tracestate", "foo=1,bar=2"));

        Assert.Equal("foo=1,bar=2", received.TraceState);
    }

    [Fact]
    public async Task Harness_tracestate_without_traceparent_is_discarded() =>
        Assert.Null((await SendAsync(("tracestate", "foo=1,bar=2"))).TraceState);

    [Fact]
    public async Task Harness_tracestate_headers_are_combined_in_order()
    {
        var received = await SendAsync(("traceparent", Valid), ("tracestate", "foo=1,bar=2"), ("tracestate", "rojo=1,congo=2"), ("tracestate", "baz=3"));

        Assert.Equal("foo=1,bar=2,rojo=1,congo=2,baz=3", received.TraceState);
    }

    [Fact]
    public async Task Harness_tracestate_whitespace_is_removed()
    {
        var received = await SendAsync(("traceparent", Valid), ("tracestate", "foo=1 \t , \t bar=2, \t baz=3"));

        Assert.Equal("foo=1,bar=2,baz=3", received.TraceState);
    }

    [Theory]
    [InlineData("foo@=1,bar=2")]
    [InlineData("foo@@bar=1,bar=2")]
    [InlineData("foo@bar@baz=1,bar=2")]
    public async Task Harness_tracestate_keys_with_at_signs_after_the_first_character_are_passed_on(string traceState) =>
        Assert.Equal(traceState, (await SendAsync(("traceparent", Valid), ("tracestate", traceState))).TraceState);

    [Theory]
    [InlineData("foo=1,foo=1", "foo=1")]
    [InlineData("foo=1,foo=2,bar=2", "foo=1,bar=2")]
    public async Task Harness_tracestate_repeated_key_is_passed_on_once(string traceState, string expected) =>
        Assert.Equal(expected, (await SendAsync(("traceparent", Valid), ("tracestate", traceState))).TraceState);

    [Fact]
    public async Task Harness_tracestate_repeated_key_across_headers_is_passed_on_once() =>
        Assert.Equal("foo=1", (await SendAsync(("traceparent", Valid), ("tracestate", "foo=1"), ("tracestate", "foo=2"))).TraceState);

    [Theory]
    [InlineData("@foo=1,bar=2")]
    [InlineData("FOO=1,bar=2")]
    [InlineData("foo.bar=1,bar=2")]
    [InlineData("foo=bar=baz,bar=2")]
    [InlineData("foo=,bar=2")]
    public async Task Harness_tracestate_with_an_invalid_member_is_discarded(string traceState)
    {
        var received = await SendAsync(("traceparent", Valid), ("tracestate", traceState));

        Assert.Equal(TraceId, received.TraceId);
        Assert.Null(received.TraceState);
    }

    [Fact]
    public async Task Harness_tracestate_with_32_members_is_kept()
    {
        var members = string.Join(',', Enumerable.Range(1, 32).Select(i => $"bar{i:00}={i:00}"));

        Assert.Equal(members, (await SendAsync(("traceparent", Valid), ("tracestate", members))).TraceState);
    }

    [Fact]
    public async Task Harness_tracestate_with_33_members_is_discarded()
    {
        var members = string.Join(',', Enumerable.Range(1, 33).Select(i => $"bar{i:00}={i:00}"));

        Assert.Null((await SendAsync(("traceparent", Valid), ("tracestate", members))).TraceState);
    }

    [Theory]
    [InlineData(256, 0)]
    [InlineData(241, 14)]
    [InlineData(242, 1)]
    [InlineData(1, 15)]
    public async Task Harness_tracestate_keys_of_at_most_256_characters_are_kept(int beforeAt, int afterAt)
    {
        var key = new string('t', beforeAt) + (afterAt > 0 ? "@" + new string('v', afterAt) : "");

        var received = await SendAsync(("traceparent", Valid), ("tracestate", "foo=1"), ("tracestate", key + "=1"));

        Assert.Equal("foo=1," + key + "=1", received.TraceState);
    }

    [Theory]
    [InlineData(257, 0)]
    [InlineData(200, 56)]
    public async Task Harness_tracestate_keys_over_256_characters_are_discarded(int beforeAt, int afterAt)
    {
        var key = new string('t', beforeAt) + (afterAt > 0 ? "@" + new string('v', afterAt) : "");

        Assert.Null((await SendAsync(("traceparent", Valid), ("tracestate", "foo=1"), ("tracestate", key + "=1"))).TraceState);
    }

    [Fact]
    public async Task Harness_tracestate_over_512_characters_is_shortened_by_dropping_long_members_from_the_end()
    {
        var longTenant = new string('t', 241) + "@" + new string('v', 14) + "=1";
        var longSimple = new string('z', 256) + "=1";

        var received = await SendAsync(("traceparent", Valid), ("tracestate", "foo=1," + longSimple + "," + longTenant));

        Assert.Equal("foo=1," + longSimple, received.TraceState);
    }

    [Fact]
    public async Task Harness_each_callback_gets_the_same_trace_id_and_its_own_parent_id()
    {
        var received = (await harness.SendAsync(3, ("traceparent", Valid))).Select(Parse).ToList();

        Assert.All(received, r => Assert.Equal(TraceId, r.TraceId));
        Assert.Equal(3, received.Select(r => r.ParentId).Distinct().Count());
    }

    [Fact]
    public async Task Harness_each_callback_of_a_restarted_trace_gets_its_own_parent_id()
    {
        var received = (await harness.SendAsync(3, ("traceparent", "00-00000000000000000000000000000000-" + ParentId + "-01"))).Select(Parse).ToList();

        Assert.DoesNotContain(received, r => r.TraceId == new string('0', 32));
        Assert.Equal(3, received.Select(r => r.ParentId).Distinct().Count());
    }
}
