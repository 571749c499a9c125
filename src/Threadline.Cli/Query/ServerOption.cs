using System.CommandLine;

namespace Threadline.Cli.Query;

/// <summary>The <c>--server</c> option of the query commands: the API address of a running <c>threadline serve</c>.</summary>
internal static class ServerOption
{
    public static Option<Uri> Create() => new("--server")
    {
        Description = $"The API address of a running `threadline serve` (default {ServerClient.DefaultServer}).",
        HelpName = "url",
        DefaultValueFactory = _ => ServerClient.DefaultServer,
        // System.CommandLine cannot convert text to Uri by itself; this also says what was wrong.
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
                return uri;
            result.AddError($"--server must be an http:// or https:// URL such as {ServerClient.DefaultServer}; got '{text}'.");
            return null;
        },
    };
}
