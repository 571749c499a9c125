using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Server.Api.Ui;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Ui;

/// <summary>The built web UI on the API port: files, the client-route fallback, caching, and what it must never answer.</summary>
public sealed class UiServingTests : IDisposable
{
    private const string PageMarker = "<title>threadline-ui-test</title>";
    private const string AssetPath = "/assets/index-Ab12Cd34.js";

    private readonly string _directory = Directory.CreateTempSubdirectory("threadline-ui-").FullName;
    private readonly string _root;

    public UiServingTests()
    {
        _root = Path.Combine(_directory, "wwwroot");
        Directory.CreateDirectory(Path.Combine(_root, "assets"));
        File.WriteAllText(Path.Combine(_root, "index.html"), $"<!doctype html>{PageMarker}<div id=\"root\"></div>");
        File.WriteAllText(Path.Combine(_root, AssetPath.TrimStart('/')), "console.log('ui');");
        File.WriteAllText(Path.Combine(_directory, "secret.txt"), "outside the root");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Task<ThreadlineServer> StartAsync(string root) =>
        ThreadlineServer.StartAsync(TestServer.EphemeralOptions(), services => services.AddSingleton(new UiFiles(root)), TestContext.Timeout);

    [Theory]
    [InlineData("/")]
    [InlineData("/trace/abc")]
    [InlineData("/search?service=checkout&q=%7B%7D")]
    [InlineData("/services/checkout")]
    [InlineData("/services/checkout.api")]
    public async Task Pages_and_client_routes_get_index_html_uncached(string path)
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(PageMarker, await response.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoCache, "index.html names the current asset hashes, so it must be revalidated");
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hashed_asset_is_served_with_a_year_long_immutable_cache()
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, AssetPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("console.log('ui');", await response.Content.ReadAsStringAsync(TestContext.Timeout));
        Assert.Equal(TimeSpan.FromDays(365), response.Headers.CacheControl?.MaxAge);
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_asset_is_a_404_not_the_page()
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/assets/index-Gone0000.js");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(PageMarker, await response.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_path_gets_the_json_404_not_the_page()
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString();
        Assert.Contains("Nothing here answers GET /api/v1/nope", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    public async Task Api_and_health_paths_keep_their_own_answers(string path)
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(PageMarker, await response.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ui_is_not_served_on_the_otlp_port()
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.OtlpHttpEndpoint, "/trace/abc");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        Assert.DoesNotContain(PageMarker, body, StringComparison.Ordinal);
        Assert.Contains("Nothing here answers GET /trace/abc", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/..%2Fsecret.txt")]
    [InlineData("/assets/..%2F..%2Fsecret.txt")]
    [InlineData("/%2E%2E/secret.txt")]
    public async Task Nothing_outside_the_ui_directory_is_served(string path)
    {
        await using var server = await StartAsync(_root);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, path);

        Assert.DoesNotContain("outside the root", await response.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_built_ui_every_page_says_how_to_build_it()
    {
        await using var server = await StartAsync(Path.Combine(_directory, "not-built"));

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/trace/abc");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        Assert.Contains("The web UI is not built", body, StringComparison.Ordinal);
        Assert.Contains("npm", body, StringComparison.Ordinal);
    }
}
