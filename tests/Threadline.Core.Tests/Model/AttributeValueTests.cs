using Threadline.Core.Model;

namespace Threadline.Core.Tests.Model;

public sealed class AttributeValueTests
{
    [Fact]
    public void Each_type_reads_back_what_was_stored()
    {
        Assert.Equal("x", AttributeValue.FromString("x").AsString());
        Assert.True(AttributeValue.FromBool(true).AsBool());
        Assert.Equal(long.MinValue, AttributeValue.FromInt(long.MinValue).AsInt());
        Assert.Equal(double.NaN, AttributeValue.FromDouble(double.NaN).AsDouble());
        Assert.Equal(new byte[] { 1, 2 }, AttributeValue.FromBytes([1, 2]).AsBytes());
        Assert.Equal(AttributeType.Empty, AttributeValue.Empty.Type);
    }

    [Fact]
    public void Reading_the_wrong_type_says_which_types()
    {
        var error = Assert.Throws<InvalidOperationException>(() => AttributeValue.FromInt(1).AsString());
        Assert.Contains("Int", error.Message, StringComparison.Ordinal);
        Assert.Contains("String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_is_by_type_and_value_including_nested_values()
    {
        var a = AttributeValue.FromArray([1L, "two", AttributeValue.FromKeyValueList([new KeyValue("k", 3.5)])]);
        var b = AttributeValue.FromArray([1L, "two", AttributeValue.FromKeyValueList([new KeyValue("k", 3.5)])]);
        var c = AttributeValue.FromArray([1L, "two", AttributeValue.FromKeyValueList([new KeyValue("k", 3.6)])]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(AttributeValue.FromInt(1), AttributeValue.FromDouble(1));
        Assert.NotEqual(AttributeValue.FromString("1"), AttributeValue.FromInt(1));
    }

    [Fact]
    public void Text_form_is_what_a_user_types_in_a_search()
    {
        Assert.Equal("true", AttributeValue.FromBool(true).ToString());
        Assert.Equal("200", AttributeValue.FromInt(200).ToString());
        Assert.Equal("0.25", AttributeValue.FromDouble(0.25).ToString());
        Assert.Equal("AQI=", AttributeValue.FromBytes([1, 2]).ToString());
        Assert.Equal("[1,a]", AttributeValue.FromArray([1L, "a"]).ToString());
        Assert.Equal("{k=v}", AttributeValue.FromKeyValueList([new KeyValue("k", "v")]).ToString());
    }
}

public sealed class SpanModelTests
{
    [Fact]
    public void Service_name_comes_from_the_resource_or_is_unknown()
    {
        Assert.Equal("checkout", new Resource([new KeyValue("service.name", "checkout")]).ServiceName);
        Assert.Equal(Resource.UnknownServiceName, new Resource([new KeyValue("service.name", 5L)]).ServiceName);
        Assert.Equal(Resource.UnknownServiceName, Resource.Empty.ServiceName);
    }

    [Fact]
    public void Duration_never_underflows()
    {
        var span = new Span { TraceId = new TraceId(0, 1), SpanId = new SpanId(1), Name = "n", StartTimeUnixNano = 10, EndTimeUnixNano = 5 };
        Assert.Equal(0UL, span.DurationNanos);
        Assert.True(span.IsRoot);
    }

    [Fact]
    public void Attribute_lookup_falls_back_to_the_resource()
    {
        var span = new Span
        {
            TraceId = new TraceId(0, 1),
            SpanId = new SpanId(1),
            Name = "n",
            Attributes = [new KeyValue("http.route", "/cart")],
            Resource = new Resource([new KeyValue("service.name", "cart"), new KeyValue("host.name", "h1")]),
        };
        Assert.True(span.TryGetAttribute("http.route", out var route));
        Assert.Equal("/cart", route.AsString());
        Assert.True(span.TryGetAttribute("host.name", out var host));
        Assert.Equal("h1", host.AsString());
        Assert.False(span.TryGetAttribute("missing", out _));
    }
}
