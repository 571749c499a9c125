using System.Diagnostics;
using System.Text;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

public sealed class BaggagePropagatorTests
{
    private static readonly BaggagePropagator Propagator = new();

    private static Baggage Extract(params string[] headers)
    {
        var carrier = new HeaderCarrier();
        foreach (var header in headers) carrier.Add("baggage", header);
        return carrier.ExtractWith(Propagator).Baggage;
    }

    private static string? Inject(params BaggageEntry[] entries) =>
        HeaderCarrier.InjectWith(Propagator, new PropagationContext(default, new Baggage(entries))).Single("baggage");

    // --- extraction ---

    [Fact]
    public void Baggage_members_are_extracted_in_order() =>
        Assert.Equal(
            [new("userId", "alice"), new("serverNode", "DF 28"), new("isProduction", "false")],
            Extract("userId=alice,serverNode=DF%2028,isProduction=false"));

    [Fact]
    public void Baggage_multiple_headers_are_combined_in_order() =>
        Assert.Equal(["userId", "serverNode", "isProduction"], Extract("userId=alice", "serverNode=DF%2028,isProduction=false").Select(e => e.Key));

    [Theory]
    [InlineData("k=DF%2028", "DF 28")]
    [InlineData("k=caf%C3%A9", "caf\u00e9")]
    [InlineData("k=caf%c3%a9", "caf\u00e9")]
    [InlineData("k=%F0%9F%98%80", "\U0001F600")]
    [InlineData("k=100%25", "100%")]
    [InlineData("k=a%2Cb%3Bc", "a,b;c")]
    public void Baggage_values_are_percent_decoded(string header, string expected) =>
        Assert.Equal(expected, Assert.Single(Extract(header)).Value);

    [Fact]
    public void Baggage_plus_sign_is_kept_literally() =>
        Assert.Equal("a+b", Assert.Single(Extract("k=a+b")).Value);

    [Fact]
    public void Baggage_whitespace_around_keys_values_and_members_is_trimmed() =>
        Assert.Equal(
            [new("userId", "alice"), new("serverNode", "DF 28"), new("isProduction", "false")],
            Extract("userId =   alice", " serverNode = DF%2028 ,\tisProduction\t=\tfalse\t"));

    [Fact]
    public void Baggage_value_may_contain_equals_signs() =>
        Assert.Equal("a=b==", Assert.Single(Extract("k=a=b==")).Value);

    [Fact]
    public void Baggage_empty_value_is_allowed() =>
        Assert.Equal(new BaggageEntry("k", ""), Assert.Single(Extract("k=")));

    [Fact]
    public void Baggage_properties_are_preserved() =>
        Assert.Equal(
            [new("key1", "value1", "property1;property2"), new("key2", "value2"), new("key3", "value3", "propertyKey=propertyValue")],
            Extract("key1=value1;property1;property2, key2 = value2, key3=value3; propertyKey=propertyValue"));

    [Fact]
    public void Baggage_property_whitespace_is_removed() =>
        Assert.Equal("a=1;b;c=x=y", Assert.Single(Extract("k=v ; a = 1 ;\tb\t; c=x=y")).Properties);

    [Theory]
    [InlineData("no-equals")]
    [InlineData("bad key=1")]
    [InlineData("k\u00e9y=1")]
    [InlineData("(key)=1")]
    [InlineData("=v")]
    [InlineData("k=va lue")]
    [InlineData("k=\"quoted\"")]
    [InlineData("k=a\\b")]
    [InlineData("k=caf\u00e9")]
    [InlineData("k=%zz")]
    [InlineData("k=%4")]
    [InlineData("k=%C3")]
    [InlineData("k=%FF")]
    [InlineData("k=v;")]
    [InlineData("k=v;;p")]
    [InlineData("k=v;bad prop=1")]
    [InlineData("k=v;p=a b")]
    public void Baggage_invalid_member_is_skipped_and_valid_ones_kept(string invalid) =>
        Assert.Equal([new("a", "1"), new("b", "2")], Extract("a=1," + invalid + ",b=2"));

    [Fact]
    public void Baggage_empty_members_are_skipped() =>
        Assert.Equal([new("a", "1"), new("b", "2")], Extract(",a=1,, ,b=2,"));

    [Fact]
    public void Baggage_duplicate_keys_are_kept_in_order_and_the_first_is_found()
    {
        var baggage = Extract("k=1,k=2");

        Assert.Equal([new("k", "1"), new("k", "2")], baggage);
        Assert.Equal("1", baggage.GetValue("k"));
    }

    [Fact]
    public void Baggage_extract_keeps_at_most_180_members()
    {
        var baggage = Extract(string.Join(',', Enumerable.Range(0, 200).Select(i => $"k{i}={i}")));

        Assert.Equal(180, baggage.Count);
        Assert.Equal("k179", baggage[^1].Key);
    }

    [Fact]
    public void Baggage_extract_drops_members_beyond_8192_bytes()
    {
        // 100 members of 99 characters and a comma each: the 82nd would end at byte 8199, past the limit.
        var members = Enumerable.Range(0, 100).Select(i => $"k{i:000}=" + new string('v', 94)).ToList();

        var baggage = Extract(string.Join(',', members));

        Assert.Equal(81, baggage.Count);
        Assert.Equal("k080", baggage[^1].Key);
    }

    [Fact]
    public void Baggage_extract_skips_members_longer_than_4096_bytes() =>
        Assert.Equal([new("a", "1"), new("b", "2")], Extract("a=1,big=" + new string('v', 4093) + ",b=2"));

    [Fact]
    public void Baggage_extract_accepts_a_member_of_4096_bytes() =>
        Assert.Equal(3, Extract("a=1,big=" + new string('v', 4092) + ",b=2").Count);

    [Fact]
    public void Baggage_header_without_valid_members_leaves_the_context_unchanged()
    {
        var earlier = new PropagationContext(default, new Baggage([new("kept", "yes")]));

        var after = HeaderCarrier.Of(("baggage", "not valid")).ExtractWith(Propagator, earlier);

        Assert.Same(earlier.Baggage, after.Baggage);
    }

    // --- injection ---

    [Fact]
    public void Baggage_inject_writes_members_in_order() =>
        Assert.Equal("userId=alice,isProduction=false", Inject(new("userId", "alice"), new("isProduction", "false")));

    [Theory]
    [InlineData("DF 28", "DF%2028")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\U0001F600", "%F0%9F%98%80")]
    [InlineData("100%", "100%25")]
    [InlineData("a,b;c", "a%2Cb%3Bc")]
    [InlineData("\"q\"\\", "%22q%22%5C")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("a=b+c/d", "a=b+c/d")]
    public void Baggage_values_are_percent_encoded_on_inject(string value, string encoded) =>
        Assert.Equal("k=" + encoded, Inject(new BaggageEntry("k", value)));

    [Fact]
    public void Baggage_inject_sends_properties_after_the_value() =>
        Assert.Equal("k=v;ttl=30;sensitive", Inject(new BaggageEntry("k", "v", "ttl=30;sensitive")));

    [Fact]
    public void Baggage_inject_drops_malformed_properties_but_keeps_the_member() =>
        Assert.Equal("k=v", Inject(new BaggageEntry("k", "v", "not a property")));

    [Fact]
    public void Baggage_entry_with_an_invalid_key_is_not_sent() =>
        Assert.Equal("a=1,b=2", Inject(new("a", "1"), new("bad key", "x"), new("", "y"), new("b", "2")));

    [Fact]
    public void Baggage_inject_writes_nothing_when_no_entry_can_be_sent() =>
        Assert.Null(Inject(new BaggageEntry("bad key", "x")));

    [Fact]
    public void Baggage_inject_stops_at_180_members()
    {
        var header = Inject([.. Enumerable.Range(0, 200).Select(i => new BaggageEntry($"k{i}", "v"))]);

        Assert.Equal(180, header!.Split(',').Length);
    }

    [Fact]
    public void Baggage_inject_never_exceeds_8192_bytes_and_sends_only_whole_members()
    {
        var entries = Enumerable.Range(0, 100).Select(i => new BaggageEntry($"k{i:000}", new string('v', 94))).ToArray();

        var header = Inject(entries)!;

        Assert.True(Encoding.UTF8.GetByteCount(header) <= 8192);
        Assert.All(header.Split(','), member => Assert.Equal(99, member.Length));
        Assert.Equal(81, header.Split(',').Length);
    }

    [Fact]
    public void Baggage_inject_skips_a_member_over_4096_bytes_and_sends_the_rest() =>
        Assert.Equal("a=1,b=2", Inject(new("a", "1"), new("big", new string('v', 5000)), new("b", "2")));

    [Fact]
    public void Baggage_inject_skips_a_member_whose_encoding_exceeds_4096_bytes() =>
        Assert.Equal("a=1", Inject(new("a", "1"), new("big", new string(' ', 1400))));

    // --- Activity ---

    [Fact]
    public void Baggage_from_activity_includes_parents_and_the_nearest_value_wins()
    {
        using var parent = new Activity("parent").AddBaggage("shared", "parent").AddBaggage("fromParent", "p").Start();
        using var child = new Activity("child").AddBaggage("shared", "child").Start();

        var baggage = Baggage.FromActivity(child);

        Assert.Equal([new("shared", "child"), new("fromParent", "p")], baggage);
    }

    [Fact]
    public void Baggage_applied_to_an_activity_keeps_its_order()
    {
        using var activity = new Activity("a");

        new Baggage([new("first", "1"), new("second", "2"), new("third", "3")]).ApplyTo(activity);

        Assert.Equal(["first", "second", "third"], activity.Baggage.Select(b => b.Key));
    }

    [Fact]
    public void Baggage_properties_survive_a_trip_through_activity_baggage()
    {
        using var activity = new Activity("a");
        Extract("k=v;ttl=30,plain=1").ApplyTo(activity);

        Assert.Equal("k=v;ttl=30,plain=1", Inject([.. Baggage.FromActivity(activity)]));
    }

    [Fact]
    public void Baggage_value_replaced_on_the_activity_loses_the_old_properties()
    {
        using var activity = new Activity("a");
        Extract("k=v;ttl=30").ApplyTo(activity);

        activity.SetBaggage("k", "v2");

        Assert.Equal(new BaggageEntry("k", "v2"), Assert.Single(Baggage.FromActivity(activity)));
    }

    [Fact]
    public void Baggage_round_trips_through_inject_and_extract()
    {
        BaggageEntry[] entries = [new("userId", "alice"), new("note", "caf\u00e9, 100% \"ok\""), new("k", "v", "p1;p2=x")];

        Assert.Equal(entries, Extract(Inject(entries)!));
    }
}
