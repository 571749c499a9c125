using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Threadline.Server.Receivers;

internal static class RetryAfterHeader
{
    /// <summary>Sets Retry-After in whole seconds, rounded up so a client never comes back too early.</summary>
    public static void Set(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers[HeaderNames.RetryAfter] = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
