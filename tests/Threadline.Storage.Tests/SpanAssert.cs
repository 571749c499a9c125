using Threadline.Core.Model;

namespace Threadline.Storage.Tests;

/// <summary>
/// Field-by-field span comparison. Engines that serialise spans give back equal values, not the
/// same objects, so resources and scopes are compared by content.
/// </summary>
internal static class SpanAssert
{
    public static void Equal(Span expected, Span actual)
    {
        var id = $"span {expected.SpanId}";
        Assert.True(expected.TraceId == actual.TraceId, $"{id}: trace id {actual.TraceId}, expected {expected.TraceId}");
        Assert.True(expected.SpanId == actual.SpanId, $"{id}: span id {actual.SpanId}");
        Assert.True(expected.ParentSpanId == actual.ParentSpanId, $"{id}: parent {actual.ParentSpanId}, expected {expected.ParentSpanId}");
        Assert.Equal(expected.TraceState, actual.TraceState);
        Assert.Equal(expected.Flags, actual.Flags);
        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.StartTimeUnixNano, actual.StartTimeUnixNano);
        Assert.Equal(expected.EndTimeUnixNano, actual.EndTimeUnixNano);
        Attributes(expected.Attributes, actual.Attributes, id);
        Assert.Equal(expected.DroppedAttributesCount, actual.DroppedAttributesCount);
        Assert.Equal(expected.DroppedEventsCount, actual.DroppedEventsCount);
        Assert.Equal(expected.DroppedLinksCount, actual.DroppedLinksCount);
        Assert.Equal(expected.Status, actual.Status);

        Assert.Equal(expected.Events.Length, actual.Events.Length);
        for (var i = 0; i < expected.Events.Length; i++)
        {
            var (e, a) = (expected.Events[i], actual.Events[i]);
            Assert.Equal(e.TimeUnixNano, a.TimeUnixNano);
            Assert.Equal(e.Name, a.Name);
            Attributes(e.Attributes, a.Attributes, $"{id} event {e.Name}");
            Assert.Equal(e.DroppedAttributesCount, a.DroppedAttributesCount);
        }

        Assert.Equal(expected.Links.Length, actual.Links.Length);
        for (var i = 0; i < expected.Links.Length; i++)
        {
            var (e, a) = (expected.Links[i], actual.Links[i]);
            Assert.True(e.TraceId == a.TraceId && e.SpanId == a.SpanId, $"{id} link {i}: {a.TraceId}/{a.SpanId}");
            Assert.Equal(e.TraceState, a.TraceState);
            Attributes(e.Attributes, a.Attributes, $"{id} link {i}");
            Assert.Equal(e.DroppedAttributesCount, a.DroppedAttributesCount);
            Assert.Equal(e.Flags, a.Flags);
        }

        Attributes(expected.Resource.Attributes, actual.Resource.Attributes, $"{id} resource");
        Assert.Equal(expected.Resource.DroppedAttributesCount, actual.Resource.DroppedAttributesCount);
        Assert.Equal(expected.Resource.SchemaUrl, actual.Resource.SchemaUrl);
        Assert.Equal(expected.Scope.Name, actual.Scope.Name);
        Assert.Equal(expected.Scope.Version, actual.Scope.Version);
        Attributes(expected.Scope.Attributes, actual.Scope.Attributes, $"{id} scope");
        Assert.Equal(expected.Scope.DroppedAttributesCount, actual.Scope.DroppedAttributesCount);
        Assert.Equal(expected.Scope.SchemaUrl, actual.Scope.SchemaUrl);
    }

    // Order matters: OTLP keeps attributes as a list, and a round trip must not reorder it.
    private static void Attributes(KeyValue[] expected, KeyValue[] actual, string where)
    {
        Assert.True(expected.Length == actual.Length, $"{where}: {actual.Length} attributes, expected {expected.Length}");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Key == actual[i].Key, $"{where}: attribute {i} is '{actual[i].Key}', expected '{expected[i].Key}'");
            Assert.True(expected[i].Value.Type == actual[i].Value.Type, $"{where}: '{expected[i].Key}' is {actual[i].Value.Type}, expected {expected[i].Value.Type}");
            Assert.True(expected[i].Value == actual[i].Value, $"{where}: '{expected[i].Key}' is '{actual[i].Value}', expected '{expected[i].Value}'");
        }
    }
}
