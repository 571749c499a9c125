using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// An ordered, case-insensitive multimap of text fields, like HTTP headers: a repeated field keeps
/// every value in order, the way a server receives repeated headers.
/// </summary>
internal sealed class HeaderCarrier
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    public static CarrierGetter<HeaderCarrier> Getter { get; } = static (carrier, name) => carrier.Values(name);

    public static CarrierSetter<HeaderCarrier> Setter { get; } = static (carrier, name, value) => carrier.Add(name, value);

    public static HeaderCarrier Of(params (string Name, string Value)[] fields)
    {
        var carrier = new HeaderCarrier();
        foreach (var (name, value) in fields) carrier.Add(name, value);
        return carrier;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Fields => _fields;

    public int Count => _fields.Count;

    public HeaderCarrier Add(string name, string value)
    {
        _fields.Add(new(name, value));
        return this;
    }

    public FieldValues Values(string name)
    {
        var values = new List<string>();
        foreach (var (key, value) in _fields)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase)) values.Add(value);
        }
        return values.Count switch
        {
            0 => default,
            1 => values[0],
            _ => values.ToArray(),
        };
    }

    /// <summary>The only value of <paramref name="name"/>, or null; fails when the field repeats.</summary>
    public string? Single(string name)
    {
        var values = Values(name);
        if (values.IsEmpty) return null;
        Assert.True(values.TryGetSingle(out var value), $"expected one '{name}' field, got '{values}'");
        return value;
    }

    public PropagationContext ExtractWith(TextMapPropagator propagator, in PropagationContext context = default) =>
        propagator.Extract(context, this, Getter);

    public static HeaderCarrier InjectWith(TextMapPropagator propagator, in PropagationContext context)
    {
        var carrier = new HeaderCarrier();
        propagator.Inject(context, carrier, Setter);
        return carrier;
    }
}
