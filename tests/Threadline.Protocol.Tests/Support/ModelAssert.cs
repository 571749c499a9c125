using Threadline.Core.Model;

namespace Threadline.Protocol.Tests.Support;

/// <summary>Deep, field-by-field comparison of span models with failure messages that say which field differs.</summary>
internal static class ModelAssert
{
    public static void Equal(IReadOnlyList<Span> expected, IReadOnlyList<Span> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) Equal(expected[i], actual[i], $"span[{i}]");
    }

    public static void Equal(Span expected, Span actual, string where = "span")
    {
        Field(expected.TraceId, actual.TraceId, where, "TraceId");
        Field(expected.SpanId, actual.SpanId, where, "SpanId");
        Field(expected.ParentSpanId, actual.ParentSpanId, where, "ParentSpanId");
        Field(expected.TraceState, actual.TraceState, where, "TraceState");
        Field(expected.Flags, actual.Flags, where, "Flags");
        Field(expected.Name, actual.Name, where, "Name");
        Field(expected.Kind, actual.Kind, where, "Kind");
        Field(expected.StartTimeUnixNano, actual.StartTimeUnixNano, where, "StartTimeUnixNano");
        Field(expected.EndTimeUnixNano, actual.EndTimeUnixNano, where, "EndTimeUnixNano");
        Attributes(expected.Attributes, actual.Attributes, where + ".Attributes");
        Field(expected.DroppedAttributesCount, actual.DroppedAttributesCount, where, "DroppedAttributesCount");
        Field(expected.Events.Length, actual.Events.Length, where, "Events.Length");
        for (var i = 0; i < expected.Events.Length; i++)
        {
            var e = expected.Events[i];
            var a = actual.Events[i];
            var at = $"{where}.Events[{i}]";
            Field(e.TimeUnixNano, a.TimeUnixNano, at, "TimeUnixNano");
            Field(e.Name, a.Name, at, "Name");
            Attributes(e.Attributes, a.Attributes, at + ".Attributes");
            Field(e.DroppedAttributesCount, a.DroppedAttributesCount, at, "DroppedAttributesCount");
        }
        Field(expected.DroppedEventsCount, actual.DroppedEventsCount, where, "DroppedEventsCount");
        Field(expected.Links.Length, actual.Links.Length, where, "Links.Length");
        for (var i = 0; i < expected.Links.Length; i++)
        {
            var e = expected.Links[i];
            var a = actual.Links[i];
            var at = $"{where}.Links[{i}]";
            Field(e.TraceId, a.TraceId, at, "TraceId");
            Field(e.SpanId, a.SpanId, at, "SpanId");
            Field(e.TraceState, a.TraceState, at, "TraceState");
            Attributes(e.Attributes, a.Attributes, at + ".Attributes");
            Field(e.DroppedAttributesCount, a.DroppedAttributesCount, at, "DroppedAttributesCount");
            Field(e.Flags, a.Flags, at, "Flags");
        }
        Field(expected.DroppedLinksCount, actual.DroppedLinksCount, where, "DroppedLinksCount");
        Field(expected.Status, actual.Status, where, "Status");
        Attributes(expected.Resource.Attributes, actual.Resource.Attributes, where + ".Resource.Attributes");
        Field(expected.Resource.DroppedAttributesCount, actual.Resource.DroppedAttributesCount, where, "Resource.DroppedAttributesCount");
        Field(expected.Resource.SchemaUrl, actual.Resource.SchemaUrl, where, "Resource.SchemaUrl");
        Field(expected.Scope.Name, actual.Scope.Name, where, "Scope.Name");
        Field(expected.Scope.Version, actual.Scope.Version, where, "Scope.Version");
        Attributes(expected.Scope.Attributes, actual.Scope.Attributes, where + ".Scope.Attributes");
        Field(expected.Scope.DroppedAttributesCount, actual.Scope.DroppedAttributesCount, where, "Scope.DroppedAttributesCount");
        Field(expected.Scope.SchemaUrl, actual.Scope.SchemaUrl, where, "Scope.SchemaUrl");
    }

    public static void Attributes(KeyValue[] expected, KeyValue[] actual, string where)
    {
        var e = string.Join(", ", expected.Select(Show));
        var a = string.Join(", ", actual.Select(Show));
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"{where} differ.\nexpected: {e}\nactual:   {a}");
    }

    private static string Show(KeyValue attribute) => $"{attribute.Key}={attribute.Value.Type}:{attribute.Value}";

    private static void Field<T>(T expected, T actual, string where, string field)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
            Assert.Fail($"{where}.{field}: expected <{expected}> but was <{actual}>.");
    }
}
