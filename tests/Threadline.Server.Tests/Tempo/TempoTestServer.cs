using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Query.TraceQL;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Tempo;

/// <summary>Servers and helpers for the Tempo API's tests.</summary>
internal static class TempoTestServer
{
    /// <summary>A server on free ports whose TraceQL engine is <paramref name="engine"/> (the real one when null).</summary>
    public static Task<ThreadlineServer> StartAsync(ITraceQLEngine? engine = null) =>
        ThreadlineServer.StartAsync(TestServer.EphemeralOptions(),
            services =>
            {
                if (engine is not null) services.AddSingleton(engine);
            },
            TestContext.Timeout);

    /// <summary>The golden file's JSON, written without indentation, keys in the file's order.</summary>
    public static string Golden(string name) => Compact(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Tempo", "Golden", name)));

    /// <summary>JSON text without insignificant whitespace, so layout never decides a comparison (order and values do).</summary>
    public static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.RootElement.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
