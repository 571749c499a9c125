using System.Text.Json;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>Plain HTTP/1.1 calls against a test server.</summary>
internal static class HttpTestClient
{
    public static async Task<HttpResponseMessage> PostAsync(Uri endpoint, string path, byte[] body, string? contentType, string? contentEncoding = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path)) { Content = new ByteArrayContent(body) };
        if (contentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (contentEncoding is not null) request.Content.Headers.TryAddWithoutValidation("Content-Encoding", contentEncoding);
        return await TestContext.Http.SendAsync(request, TestContext.Timeout);
    }

    public static async Task<HttpResponseMessage> GetAsync(Uri endpoint, string pathAndQuery, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, pathAndQuery));
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await TestContext.Http.SendAsync(request, TestContext.Timeout);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
