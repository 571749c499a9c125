using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;

namespace Threadline.Server.Api.Ui;

/// <summary>
/// The web UI on the API port: the built files (ui/dist, copied to <c>wwwroot/</c> beside the
/// server by the build) for GETs that nothing else on that port takes. A path without a file is a
/// client-side route (<c>/trace/…</c>) and gets index.html; API paths never do, so an unknown
/// <c>/api/…</c> still gets a JSON 404. When the UI was not built (no npm at build time) every page
/// says how to build it.
/// </summary>
internal sealed class UiFiles
{
    /// <summary>Where the build puts the UI: <c>wwwroot/</c> beside the server's assembly.</summary>
    public static readonly string DefaultRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");

    // Vite names everything under /assets/ by a hash of its content, so it may be kept for a year;
    // index.html names the current hashes and must be checked on every load.
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string NoCache = "no-cache";

    // Span data is rendered as text by React; this keeps any script that slipped in from running.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    private const string NotBuiltPage = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Threadline: the web UI is not built</title></head>
        <body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
        <h1>The web UI is not built</h1>
        <p>This server was built without Node.js, so it has no UI to show. The query API works: <a href="/api/v1/services">/api/v1/services</a>.</p>
        <p>To build the UI, install Node.js 20 or later (with npm) and build again:
        <code>dotnet build src/Threadline.Cli</code> runs <code>npm ci</code> and <code>npm run build</code> in <code>ui/</code>
        and copies the result to <code>wwwroot/</code> beside the server. See docs/ui.md.</p>
        </body></html>
        """;

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    private readonly string _root;

    public UiFiles(string root) => _root = Path.GetFullPath(root);

    /// <summary>Paths that belong to the API and health checks, never to the UI.</summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/readyz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the UI answers a request nothing else took: a GET or HEAD outside the API paths.</summary>
    public static bool Serves(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) && !IsApiPath(request.Path);

    /// <summary>Answers with the file, or for a client-side route with index.html; a missing file goes to <paramref name="notFound"/>.</summary>
    public Task ServeAsync(HttpContext context, Func<HttpContext, Task> notFound)
    {
        var path = context.Request.Path.Value ?? "/";
        var file = FileFor(path);
        if (file is not null)
            return SendAsync(context, file, path.StartsWith("/assets/", StringComparison.Ordinal) ? ImmutableCache : NoCache);

        // A missing file (a stale hashed asset, a favicon) must not get the page: the browser would
        // read HTML as a script or an image. A dot alone does not make a file: /services/checkout.api
        // is a page.
        if (IsFilePath(path)) return notFound(context);

        var index = FileFor("/index.html");
        if (index is not null) return SendAsync(context, index, NoCache);

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = NoCache;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.WriteAsync(NotBuiltPage, context.RequestAborted);
    }

    // What the UI's build emits and browsers ask for on their own.
    private static readonly HashSet<string> FileExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".mjs", ".css", ".map", ".json", ".txt", ".webmanifest", ".wasm",
        ".ico", ".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ttf",
    };

    private static bool IsFilePath(string path) =>
        path.StartsWith("/assets/", StringComparison.Ordinal) || FileExtensions.Contains(Path.GetExtension(path));

    /// <summary>The file under the root for a request path, or null; nothing outside the root is ever reached.</summary>
    private string? FileFor(string requestPath)
    {
        var relative = requestPath.TrimStart('/');
        if (relative.Length == 0 || relative.Contains('\0', StringComparison.Ordinal)) return null;
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        return full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(full) ? full : null;
    }

    private static Task SendAsync(HttpContext context, string file, string cacheControl)
    {
        var response = context.Response;
        response.ContentType = ContentTypes.TryGetContentType(file, out var type) ? type : "application/octet-stream";
        if (type is not null && type.StartsWith("text/", StringComparison.Ordinal)) response.ContentType += "; charset=utf-8";
        response.Headers.CacheControl = cacheControl;
        response.Headers.XContentTypeOptions = "nosniff";
        if (file.EndsWith(".html", StringComparison.OrdinalIgnoreCase)) response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        var length = new FileInfo(file).Length;
        response.ContentLength = length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.SendFileAsync(file, context.RequestAborted);
    }
}
