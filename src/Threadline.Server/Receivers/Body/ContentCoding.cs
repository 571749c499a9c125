namespace Threadline.Server.Receivers.Body;

/// <summary>The compressions a request body may arrive in.</summary>
internal enum ContentCoding
{
    Identity,
    Gzip,
}

internal static class ContentCodings
{
    /// <summary>Parses a Content-Encoding (or grpc-encoding) value; absent means identity.</summary>
    public static bool TryParse(string? value, out ContentCoding coding)
    {
        var trimmed = value.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            coding = ContentCoding.Identity;
            return true;
        }
        if (trimmed.Equals("gzip", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("x-gzip", StringComparison.OrdinalIgnoreCase))
        {
            coding = ContentCoding.Gzip;
            return true;
        }
        coding = ContentCoding.Identity;
        return false;
    }
}
