namespace Threadline.Core.Analysis.Naming;

/// <summary>
/// What made a span name high-cardinality, strongest first: the template replaced it, and the
/// API reports it (<c>url</c>, <c>sql</c>, <c>uuid</c>, <c>hex</c>, <c>id</c>, <c>number</c>).
/// </summary>
public enum NamingReason
{
    /// <summary>The name is already its own template.</summary>
    None = 0,

    /// <summary>A number inside a word or a free-standing number outside a path (<c>batch 42</c>).</summary>
    Number,

    /// <summary>A path segment that is an integer or a long opaque token (<c>/products/123</c>).</summary>
    Id,

    /// <summary>A long hexadecimal token (a hash, a Mongo id).</summary>
    Hex,

    /// <summary>A UUID.</summary>
    Uuid,

    /// <summary>A whole SQL statement as the name.</summary>
    Sql,

    /// <summary>A full URL, or a query string, in the name.</summary>
    Url,
}

/// <summary>The API names of <see cref="NamingReason"/>.</summary>
public static class NamingReasonNames
{
    public static string Of(NamingReason reason) => reason switch
    {
        NamingReason.Number => "number",
        NamingReason.Id => "id",
        NamingReason.Hex => "hex",
        NamingReason.Uuid => "uuid",
        NamingReason.Sql => "sql",
        NamingReason.Url => "url",
        _ => "none",
    };
}
