using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Propagation;
using Xunit;

namespace Threadline.Sdk.AspNetCore.Tests;

/// <summary>
/// Runs alone: these tests install a propagator as <see cref="DistributedContextPropagator.Current"/>, which
/// is process-wide and would change what the other tests' requests carry.
/// </summary>
[CollectionDefinition(nameof(ProcessPropagator), DisableParallelization = true)]
public sealed class ProcessPropagator;

[Collection(nameof(ProcessPropagator))]
public sealed class IncomingContextTests
{
    private const string TraceId = "80f198ee56343ba864fe8b2a57d3eff7";
    private const string ParentSpanId = "e457b5a2e4d86bd1";

    [Fact]
    public async Task Request_carrying_only_B3_continues_its_trace_when_B3_is_configured()
    {
        var previous = DistributedContextPropagator.Current;
        try
        {
            await using var app = await TracedApp.StartHostedAsync(
                web => web.MapGet("/orders/{id}", (string id) => Results.Ok(id)),
                o =>
                {
                    o.InstallPropagator = true;
                    o.Propagator = new B3Propagator();
                });

            using var response = await app.SendAsync(HttpMethod.Get, "/orders/7", [("b3", $"{TraceId}-{ParentSpanId}-1")]);
            var span = await app.ServerSpanAsync("/orders/7");

            Assert.Equal(TraceId, span.TraceId.ToHexString());
            Assert.Equal(ParentSpanId, span.ParentSpanId.ToHexString());
            Assert.True(span.HasRemoteParent);
        }
        finally
        {
            DistributedContextPropagator.Current = previous;
        }
    }
}
