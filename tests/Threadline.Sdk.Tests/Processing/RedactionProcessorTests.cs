using System.Diagnostics;
using System.Text.RegularExpressions;
using Threadline.Sdk.Processing;

namespace Threadline.Sdk.Tests.Processing;

public sealed class RedactionProcessorTests
{
    private static readonly RedactionProcessor Default = new();

    [Theory]
    [InlineData("alice@example.com", "[REDACTED]")]
    [InlineData("login failed for alice.smith+shop@mail.example.co.uk today", "login failed for [REDACTED] today")]
    [InlineData("to: a@b.io, cc: c_d@e-f.org", "to: [REDACTED], cc: [REDACTED]")]
    [InlineData("user@localhost", "user@localhost")]
    [InlineData("@handle and a@b", "@handle and a@b")]
    [InlineData("version 1.2@3.4", "version 1.2@3.4")]
    public void Email_addresses_are_replaced(string text, string expected)
    {
        Assert.Equal(expected, Default.RedactText(text));
    }

    [Theory]
    [InlineData("4111111111111111", "[REDACTED]")]
    [InlineData("card 4111 1111 1111 1111 charged", "card [REDACTED] charged")]
    [InlineData("card 5500-0000-0000-0004.", "card [REDACTED].")]
    [InlineData("amex 378282246310005", "amex [REDACTED]")]
    public void Card_numbers_passing_Luhn_are_replaced(string text, string expected)
    {
        Assert.Equal(expected, Default.RedactText(text));
    }

    [Theory]
    [InlineData("4111111111111112")]
    [InlineData("order 1234567890123456")]
    [InlineData("short 411111111111")]
    [InlineData("id 41111111111111111111111")]
    [InlineData("abc4111111111111111")]
    public void Digit_runs_that_are_not_cards_are_kept(string text)
    {
        Assert.Equal(text, Default.RedactText(text));
    }

    [Theory]
    [InlineData("Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "Bearer [REDACTED]")]
    [InlineData("authorization: bearer abcdefghijklmnop", "authorization: bearer [REDACTED]")]
    [InlineData("Basic dXNlcjpwYXNzd29yZA==", "Basic [REDACTED]")]
    [InlineData("basic plan", "basic plan")]
    [InlineData("bearers of news", "bearers of news")]
    public void Authorization_credentials_are_replaced(string text, string expected)
    {
        Assert.Equal(expected, Default.RedactText(text));
    }

    [Theory]
    [InlineData("db.password", true)]
    [InlineData("http.request.header.authorization", true)]
    [InlineData("user.api_key", true)]
    [InlineData("x-api-key", true)]
    [InlineData("apiKey", true)]
    [InlineData("oauth.access_token", true)]
    [InlineData("clientSecret", true)]
    [InlineData("http.request.header.cookie", true)]
    [InlineData("aws.access_key", true)]
    [InlineData("gen_ai.usage.input_tokens", false)]
    [InlineData("http.route", false)]
    [InlineData("keyboard.layout", false)]
    [InlineData("monkey", false)]
    public void Keys_naming_secrets_are_recognized(string key, bool secret)
    {
        Assert.Equal(secret, SensitiveText.IsSecretKey(key));
    }

    [Fact]
    public void Span_attributes_events_and_status_are_scrubbed_before_export()
    {
        using var tracing = TestTracing.Start(o => o.AddProcessor(new RedactionProcessor(new RedactionOptions
        {
            Keys = { "user.ssn" },
            Patterns = { new Regex(@"\bORD-\d{6}\b") },
        })));

        using (var span = tracing.Source.StartSpan("checkout"))
        {
            span.SetAttribute("user.email", "bob@example.com")
                .SetAttribute("db.password", "hunter2")
                .SetAttribute("user.ssn", "123-45-6789")
                .SetAttribute("order", "ORD-123456 for bob")
                .SetAttribute("emails", ["x@example.com", "nobody"])
                .SetAttribute("http.route", "/checkout")
                .SetAttribute("gen_ai.usage.input_tokens", 42L)
                .AddEvent("note", [new("text", "mail carol@example.com")])
                .AddEvent("plain", [new("text", "nothing here")])
                .RecordException(new InvalidOperationException("card 4111111111111111 declined"))
                .SetSpanStatus(ActivityStatusCode.Error, "declined for dave@example.com");
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("[REDACTED]", exported.GetTagItem("user.email"));
        Assert.Equal("[REDACTED]", exported.GetTagItem("db.password"));
        Assert.Equal("[REDACTED]", exported.GetTagItem("user.ssn"));
        Assert.Equal("[REDACTED] for bob", exported.GetTagItem("order"));
        Assert.Equal(new[] { "[REDACTED]", "nobody" }, exported.GetTagItem("emails"));
        Assert.Equal("/checkout", exported.GetTagItem("http.route"));
        Assert.Equal(42L, exported.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal("declined for [REDACTED]", exported.StatusDescription);

        var events = DroppedCounts.EventsToExport(exported).ToList();
        Assert.Equal(["note", "plain", "exception"], events.Select(e => e.Name));
        Assert.Equal("mail [REDACTED]", events[0].Tags.Single().Value);
        Assert.Equal("nothing here", events[1].Tags.Single().Value);
        Assert.Equal("card [REDACTED] declined", events[2].Tags.Single(t => t.Key == "exception.message").Value);
    }

    [Fact]
    public void Link_attributes_are_scrubbed_in_what_exporters_send()
    {
        using var tracing = TestTracing.Start(o => o.AddProcessor(new RedactionProcessor()));
        var clean = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var sensitive = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        ActivityLink[] links =
        [
            new(clean, new ActivityTagsCollection { ["messaging.message.id"] = "m-1" }),
            new(sensitive, new ActivityTagsCollection { ["customer"] = "erin@example.com", ["api.token"] = "s3cr3t", ["attempt"] = 2L }),
        ];

        using (tracing.Source.StartSpan("process batch", ActivityKind.Consumer, links: links))
        {
        }

        var exported = Assert.Single(tracing.Spans);
        var sent = DroppedCounts.LinksToExport(exported).ToList();
        Assert.Equal([clean, sensitive], sent.Select(l => l.Context));
        Assert.Equal("m-1", sent[0].Tags!.Single().Value);
        var scrubbed = sent[1].Tags!.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("[REDACTED]", scrubbed["customer"]);
        Assert.Equal("[REDACTED]", scrubbed["api.token"]);
        Assert.Equal(2L, scrubbed["attempt"]);

        // The OTLP encoding sends the scrubbed links, not the activity's own.
        using var buffer = new Threadline.Sdk.Export.Otlp.Serialization.PayloadBuffer(1024);
        using var serializer = new Threadline.Sdk.Export.Otlp.Serialization.OtlpJsonSerializer();
        serializer.Serialize(buffer, ServiceResource.Empty, [exported]);
        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        Assert.DoesNotContain("erin@example.com", json, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", json, StringComparison.Ordinal);
        Assert.Contains("m-1", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clean_span_is_left_untouched()
    {
        using var tracing = TestTracing.Start(o => o.AddProcessor(new RedactionProcessor()));
        using (var span = tracing.Source.StartSpan("clean"))
        {
            span.SetAttribute("http.route", "/orders/{id}").SetAttribute("http.response.status_code", 200).AddEvent("retry");
        }
        var exported = Assert.Single(tracing.Spans);
        Assert.Null(DroppedCounts.Get(exported));
        Assert.Equal("/orders/{id}", exported.GetTagItem("http.route"));
    }

    [Fact]
    public void Rules_can_be_switched_off_and_the_replacement_changed()
    {
        var processor = new RedactionProcessor(new RedactionOptions { RedactEmailAddresses = false, RedactSecretKeys = false, Replacement = "***" });
        Assert.Equal("alice@example.com", processor.RedactText("alice@example.com"));
        Assert.Equal("***", processor.RedactText("4111111111111111"));
        Assert.Equal("hunter2", processor.RedactValue("db.password", "hunter2"));
    }
}
