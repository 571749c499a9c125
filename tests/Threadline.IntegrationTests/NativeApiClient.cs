using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;

namespace Threadline.IntegrationTests;

/// <summary>Reads traces back through the native API, decoding its OTLP/JSON trace bodies.</summary>
internal sealed class NativeApiClient(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

    public async Task<IReadOnlyList<Span>> GetTraceAsync(System.Diagnostics.ActivityTraceId traceId) =>
        await GetTraceAsync(traceId.ToHexString());

    public async Task<IReadOnlyList<Span>> GetTraceAsync(string traceId)
    {
        using var response = await _http.GetAsync($"/api/v1/traces/{traceId}");
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync();
        return OtlpJsonDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans;
    }

    public async Task<JsonDocument> GetJsonAsync(string pathAndQuery)
    {
        using var response = await _http.GetAsync(pathAndQuery);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public void Dispose() => _http.Dispose();
}
