using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Threadline.Demo.Services;

/// <summary>An answer from another service: its status, and its JSON body when it sent one.</summary>
internal readonly record struct ServiceReply<T>(HttpStatusCode Status, T? Body)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;
}

/// <summary>JSON over HTTP between the demo services. HttpClient makes the client span and sends the trace context.</summary>
internal static class ServiceCalls
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<ServiceReply<TResponse>> PostJsonAsync<TRequest, TResponse>(
        this HttpClient http, Uri address, TRequest body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(address, body, Json, cancellationToken).ConfigureAwait(false);
        var value = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? await response.Content.ReadFromJsonAsync<TResponse>(Json, cancellationToken).ConfigureAwait(false)
            : default;
        return new ServiceReply<TResponse>(response.StatusCode, value);
    }
}
