using System.Globalization;

namespace Threadline.Protocol.Grpc;

/// <summary>
/// The <c>grpc-timeout</c> request header: how long the client will wait for the answer, as up to
/// eight ASCII digits and a unit (H, M, S, m, u, n: hours down to nanoseconds), per the gRPC over
/// HTTP/2 protocol.
/// </summary>
public static class GrpcTimeout
{
    // CancellationTokenSource.CancelAfter takes at most about 49 days; a deadline that far away is no
    // deadline in practice.
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    /// <summary>
    /// Parses the header. Returns false when it is malformed; <paramref name="timeout"/> is null when
    /// the header is absent or too far away to matter.
    /// </summary>
    public static bool TryParse(string? header, out TimeSpan? timeout)
    {
        timeout = null;
        if (string.IsNullOrEmpty(header)) return true;
        if (header.Length is < 2 or > 9) return false;
        var digits = header.AsSpan(0, header.Length - 1);
        foreach (var digit in digits)
        {
            if (!char.IsAsciiDigit(digit)) return false;
        }
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        TimeSpan value;
        switch (header[^1])
        {
            case 'H': value = TimeSpan.FromHours(amount); break;
            case 'M': value = TimeSpan.FromMinutes(amount); break;
            case 'S': value = TimeSpan.FromSeconds(amount); break;
            case 'm': value = TimeSpan.FromMilliseconds(amount); break;
            case 'u': value = TimeSpan.FromMicroseconds(amount); break;
            case 'n': value = TimeSpan.FromTicks(amount / 100); break;
            default: return false;
        }
        if (value <= Longest) timeout = value;
        return true;
    }
}
