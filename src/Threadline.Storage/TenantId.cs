namespace Threadline.Storage;

/// <summary>
/// Whose data a call is about. Every request record of the store contract carries one so that
/// multi-tenancy can arrive without changing the contract; until then everything belongs to
/// <see cref="Single"/>, and an engine answers a request for any other tenant with nothing.
/// </summary>
public readonly record struct TenantId
{
    private readonly string? _value;

    /// <exception cref="ArgumentException">The id is empty or whitespace.</exception>
    public TenantId(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The one tenant of a server without multi-tenancy (the default value).</summary>
    public static TenantId Single { get; }

    /// <summary>The tenant's id; <c>single-tenant</c> for <see cref="Single"/>.</summary>
    public string Value => _value ?? "single-tenant";

    public bool IsSingle => _value is null || _value == "single-tenant";

    public override string ToString() => Value;
}
