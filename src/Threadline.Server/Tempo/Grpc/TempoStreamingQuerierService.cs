using System.Buffers;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Threadline.Protocol;
using Threadline.Protocol.Tempo;
using Threadline.Server.Api.Tempo;

namespace Threadline.Server.Tempo.Grpc;

/// <summary>A decoded request, or why the bytes are not one (answered INVALID_ARGUMENT, not UNKNOWN).</summary>
internal sealed record DecodedRequest<T>(T? Request, string? Error) where T : class;

/// <summary>
/// Tempo's gRPC <c>tempopb.StreamingQuerier</c> on the Tempo port, which Grafana uses when its
/// "streaming" option is on: Search, SearchTags(V2), SearchTagValues(V2), MetricsQueryRange and
/// MetricsQueryInstant. A thin edge over <see cref="TempoQueryService"/>: requests decoded by
/// <see cref="TempoRequestDecoder"/>, answers encoded by <see cref="TempoProtobuf"/>, no generated code.
/// Each call streams one message, the complete answer (Tempo streams partial answers as its
/// jobs finish; a client reads the last message as the result either way).
/// </summary>
internal sealed class TempoStreamingQuerierService
{
    public const string ServiceName = "tempopb.StreamingQuerier";

    private static readonly Method<DecodedRequest<TempoSearchRequest>, byte[]> Search = Streaming("Search", TempoRequestDecoder.DecodeSearchRequest);
    private static readonly Method<DecodedRequest<TempoSearchTagsRequest>, byte[]> SearchTags = Streaming("SearchTags", TempoRequestDecoder.DecodeSearchTagsRequest);
    private static readonly Method<DecodedRequest<TempoSearchTagsRequest>, byte[]> SearchTagsV2 = Streaming("SearchTagsV2", TempoRequestDecoder.DecodeSearchTagsRequest);
    private static readonly Method<DecodedRequest<TempoSearchTagValuesRequest>, byte[]> SearchTagValues = Streaming("SearchTagValues", TempoRequestDecoder.DecodeSearchTagValuesRequest);
    private static readonly Method<DecodedRequest<TempoSearchTagValuesRequest>, byte[]> SearchTagValuesV2 = Streaming("SearchTagValuesV2", TempoRequestDecoder.DecodeSearchTagValuesRequest);
    private static readonly Method<DecodedRequest<TempoQueryRangeRequest>, byte[]> MetricsQueryRange = Streaming("MetricsQueryRange", TempoRequestDecoder.DecodeQueryRangeRequest);
    // QueryInstantRequest is query = 1, start = 2, end = 3: the first fields of QueryRangeRequest.
    private static readonly Method<DecodedRequest<TempoQueryRangeRequest>, byte[]> MetricsQueryInstant = Streaming("MetricsQueryInstant", TempoRequestDecoder.DecodeQueryRangeRequest);

    private readonly TempoQueryService _queries;

    public TempoStreamingQuerierService(TempoQueryService queries) => _queries = queries;

    private static async Task AnswerAsync<TRequest, TResponse>(
        DecodedRequest<TRequest> decoded,
        IServerStreamWriter<byte[]> stream,
        ServerCallContext context,
        Func<TRequest, CancellationToken, ValueTask<TResponse>> answer,
        Func<TResponse, byte[]> encode) where TRequest : class
    {
        if (decoded.Request is null) throw new RpcException(new Status(StatusCode.InvalidArgument, decoded.Error ?? "The request could not be decoded."));
        TResponse response;
        try
        {
            response = await answer(decoded.Request, context.CancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TempoHttpResponses.ClientError(ex) is { } message)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, message));
        }
        await stream.WriteAsync(encode(response), context.CancellationToken).ConfigureAwait(false);
    }

    private static Method<DecodedRequest<T>, byte[]> Streaming<T>(string name, DecodeSpan<T> decode) where T : class => new(
        MethodType.ServerStreaming,
        ServiceName,
        name,
        Marshallers.Create<DecodedRequest<T>>((_, _) => throw new NotSupportedException("The server never sends a request."), context => Decode(context, name, decode)),
        Marshallers.Create<byte[]>(response => response, _ => throw new NotSupportedException("The server never reads a response.")));

    private delegate T DecodeSpan<out T>(ReadOnlySpan<byte> data);

    private static DecodedRequest<T> Decode<T>(DeserializationContext context, string method, DecodeSpan<T> decode) where T : class
    {
        var payload = context.PayloadAsReadOnlySequence();
        try
        {
            return new(decode(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray()), null);
        }
        catch (ProtocolException ex)
        {
            return new(null, $"The message is not a valid {method} request: {ex.Message}");
        }
    }

    /// <summary>Binds the methods without generated code (registered for <see cref="TempoStreamingQuerierService"/>).</summary>
    internal sealed class MethodProvider : IServiceMethodProvider<TempoStreamingQuerierService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TempoStreamingQuerierService> context)
        {
            context.AddServerStreamingMethod(Search, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.SearchAsync, TempoProtobuf.EncodeSearchResponse));
            context.AddServerStreamingMethod(SearchTags, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.SearchTagsAsync, TempoProtobuf.EncodeSearchTagsResponse));
            context.AddServerStreamingMethod(SearchTagsV2, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.SearchTagsV2Async, TempoProtobuf.EncodeSearchTagsV2Response));
            context.AddServerStreamingMethod(SearchTagValues, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.SearchTagValuesAsync, TempoProtobuf.EncodeSearchTagValuesResponse));
            context.AddServerStreamingMethod(SearchTagValuesV2, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.SearchTagValuesV2Async, TempoProtobuf.EncodeSearchTagValuesV2Response));
            context.AddServerStreamingMethod(MetricsQueryRange, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.QueryRangeAsync, TempoProtobuf.EncodeQueryRangeResponse));
            context.AddServerStreamingMethod(MetricsQueryInstant, [], static (service, request, stream, call) =>
                AnswerAsync(request, stream, call, service._queries.QueryInstantAsync, TempoProtobuf.EncodeQueryInstantResponse));
        }
    }
}
