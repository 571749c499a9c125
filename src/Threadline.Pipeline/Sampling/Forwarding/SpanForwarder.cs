using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Pipeline.Sampling.Forwarding;

/// <summary>
/// The first stage when several nodes sample together: spans of traces this node owns (see
/// <see cref="TraceOwnership"/>) go on down this node's pipeline; the others are sent to their
/// owner as OTLP/HTTP protobuf, so each trace is decided in one place. The batch completes only
/// when every part is handled: a forward that fails (owner down, refusing, too slow) fails the
/// batch, so the sender is told 503 / UNAVAILABLE and retries, and nothing is acknowledged that no
/// node holds. Counted in <c>threadline_sampling_forwarded_spans{outcome}</c>.
/// </summary>
public sealed class SpanForwarder : IBatchConsumer
{
    private static readonly MediaTypeHeaderValue Protobuf = new("application/x-protobuf");

    private readonly TraceOwnership _ownership;
    private readonly int _self;
    private readonly Uri[] _targets;
    private readonly IBatchConsumer _next;
    private readonly HttpClient _http;
    private readonly Counter<long>? _forwarded;

    /// <param name="ownership">The member list and who owns what.</param>
    /// <param name="self">This node's address as it appears in the member list.</param>
    /// <param name="next">This node's own pipeline (the sampler).</param>
    /// <param name="http">Sends forwards; its timeout bounds each one.</param>
    /// <param name="meter">Where the forward counter is reported; none when null.</param>
    /// <exception cref="ArgumentException"><paramref name="self"/> is not a member, or a member is not an http(s) address.</exception>
    public SpanForwarder(TraceOwnership ownership, string self, IBatchConsumer next, HttpClient http, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(ownership);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(http);
        _self = Array.IndexOf([.. ownership.Members], self);
        if (_self < 0) throw new ArgumentException($"This node's address '{self}' is not in the member list ({string.Join(", ", ownership.Members)}).", nameof(self));
        _ownership = ownership;
        _targets = [.. ownership.Members.Select(TracesUri)];
        _next = next;
        _http = http;
        _forwarded = meter?.CreateCounter<long>("threadline_sampling_forwarded_spans", "{span}",
            "Spans sent to the node that owns their trace, by outcome (ok; failed: the batch was refused with 503 / UNAVAILABLE) and member.");
    }

    /// <summary>The OTLP/HTTP traces address of a member's base address.</summary>
    /// <exception cref="ArgumentException">Not an absolute http(s) address.</exception>
    public static Uri TracesUri(string member)
    {
        if (!Uri.TryCreate(member, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"The member '{member}' is not an http(s) address such as http://10.0.0.2:4318.", nameof(member));
        return new Uri(uri, uri.AbsolutePath.TrimEnd('/') + "/v1/traces");
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<Span>? local = null;
        Dictionary<int, List<Span>>? remote = null;
        var owner = -1;
        var previous = TraceId.Empty;
        foreach (var span in batch)
        {
            // Batches come mostly grouped by trace: hash once per run.
            if (owner < 0 || span.TraceId != previous) (owner, previous) = (_ownership.OwnerOf(span.TraceId), span.TraceId);
            if (owner == _self) (local ??= new List<Span>(batch.Count)).Add(span);
            else
            {
                remote ??= [];
                if (!remote.TryGetValue(owner, out var list)) remote.Add(owner, list = []);
                list.Add(span);
            }
        }
        if (remote is null)
        {
            await _next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            return;
        }

        var work = new List<Task>(remote.Count + 1);
        foreach (var (member, spans) in remote) work.Add(ForwardAsync(member, spans, cancellationToken));
        if (local is not null) work.Add(_next.ConsumeAsync(local, cancellationToken).AsTask());
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    private async Task ForwardAsync(int member, List<Span> spans, CancellationToken cancellationToken)
    {
        var target = _targets[member];
        try
        {
            using var content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(spans));
            content.Headers.ContentType = Protobuf;
            using var response = await _http.PostAsync(target, content, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new SpanForwardingException($"The node {_ownership.Members[member]} that owns {spans.Count} of these spans' traces answered {(int)response.StatusCode} {response.ReasonPhrase}; retry later.");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Count("failed", member, spans.Count);
            throw new SpanForwardingException($"The node {_ownership.Members[member]} that owns {spans.Count} of these spans' traces could not be reached ({ex.Message}); retry later.", ex);
        }
        catch (SpanForwardingException)
        {
            Count("failed", member, spans.Count);
            throw;
        }
        Count("ok", member, spans.Count);
    }

    private void Count(string outcome, int member, int spans) =>
        _forwarded?.Add(spans, new("outcome", outcome), new KeyValuePair<string, object?>("member", _ownership.Members[member]));
}

/// <summary>A batch could not be handed to the node owning some of its traces; its sender should retry.</summary>
public sealed class SpanForwardingException : Exception
{
    public SpanForwardingException()
    {
    }

    public SpanForwardingException(string message) : base(message)
    {
    }

    public SpanForwardingException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
