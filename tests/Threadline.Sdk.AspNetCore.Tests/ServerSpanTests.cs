using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Threadline.Sdk.AspNetCore.Tests;

/// <summary>ASP.NET Core's server spans, completed by AddThreadlineAspNetCore, seen through real HTTP requests.</summary>
public sealed class ServerSpanTests
{
    [Fact]
    public async Task Minimal_api_route_names_the_span_and_sets_http_route()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/orders/{id}", (string id) => Results.Ok(id)));

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ActivityKind.Server, span.Kind);
        Assert.Equal("GET /orders/{id}", span.DisplayName);
        Assert.Equal("/orders/{id}", span.GetTagItem("http.route"));
        Assert.Equal(200L, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Name_is_built_once_per_endpoint_and_method_and_shared_by_later_requests()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/carts/{id}", (string id) => Results.Ok(id)));

        using (await app.GetAsync("/carts/1"))
        {
        }
        using (await app.GetAsync("/carts/2"))
        {
        }
        var first = await app.ServerSpanAsync("/carts/1");
        var second = await app.ServerSpanAsync("/carts/2");

        Assert.Equal("GET /carts/{id}", first.DisplayName);
        Assert.Same(first.DisplayName, second.DisplayName);
    }

    [Fact]
    public async Task Span_is_completed_the_same_way_when_tracing_comes_from_AddThreadlineTracing()
    {
        await using var app = await TracedApp.StartHostedAsync(web => web.MapPost("/orders/{id}/confirm", (string id) => Results.Accepted()));

        using var response = await app.SendAsync(HttpMethod.Post, "/orders/42/confirm");
        var span = await app.ServerSpanAsync("/orders/42/confirm");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("POST /orders/{id}/confirm", span.DisplayName);
        Assert.Equal("/orders/{id}/confirm", span.GetTagItem("http.route"));
        Assert.Equal(202L, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Conventional_controller_route_names_the_span_after_its_template()
    {
        await using var app = await TracedApp.StartAsync(
            web => web.MapControllerRoute("default", "{controller}/{action}/{id?}"),
            services => services.AddControllers().AddApplicationPart(typeof(OrdersController).Assembly));

        using var response = await app.GetAsync("/Orders/Show/7");
        var span = await app.ServerSpanAsync("/Orders/Show/7");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET {controller}/{action}/{id?}", span.DisplayName);
        Assert.Equal("{controller}/{action}/{id?}", span.GetTagItem("http.route"));
    }

    [Fact]
    public async Task Request_no_endpoint_matched_is_named_by_its_method_and_a_404_is_not_an_error()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/orders/{id}", (string id) => Results.Ok(id)));

        using var response = await app.GetAsync("/missing/42");
        var span = await app.ServerSpanAsync("/missing/42");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("GET", span.DisplayName);
        Assert.Null(span.GetTagItem("http.route"));
        Assert.Equal(404L, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Status_500_returned_by_the_endpoint_puts_the_span_in_error()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/orders/{id}", (string id) => Results.StatusCode(500)));

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("GET /orders/{id}", span.DisplayName);
        Assert.Equal(500L, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("500", span.GetTagItem("error.type"));
        Assert.DoesNotContain(span.Events, e => e.Name == "exception");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Exception_is_recorded_under_the_failing_route_whether_it_escapes_or_UseExceptionHandler_answers(bool exceptionHandler)
    {
        await using var app = await TracedApp.StartAsync(web =>
        {
            if (exceptionHandler)
            {
                // Re-executes the request on /error: the endpoint that failed must still name the span.
                web.UseExceptionHandler("/error");
                web.MapGet("/error", () => Results.Problem("sorry"));
            }
            web.MapGet("/orders/{id}", ThrowCardStoreOffline);
        });

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertFailedWithCardStoreOffline(span);
        Assert.Equal("GET /orders/{id}", span.DisplayName);
        Assert.Equal("/orders/{id}", span.GetTagItem("http.route"));
        Assert.Equal(500L, span.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Exception_shown_by_the_developer_exception_page_is_recorded()
    {
        await using var app = await TracedApp.StartAsync(web =>
        {
            web.UseDeveloperExceptionPage();
            web.MapGet("/orders/{id}", ThrowCardStoreOffline);
        });

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        AssertFailedWithCardStoreOffline(span);
        Assert.Equal("GET /orders/{id}", span.DisplayName);
    }

    [Fact]
    public async Task Exception_the_handler_turns_into_a_4xx_is_recorded_but_is_not_an_error()
    {
        await using var app = await TracedApp.StartAsync(web =>
        {
            web.UseExceptionHandler(new ExceptionHandlerOptions
            {
                StatusCodeSelector = _ => StatusCodes.Status409Conflict,
                ExceptionHandler = _ => Task.CompletedTask,
            });
            web.MapGet("/orders/{id}", ThrowCardStoreOffline);
        });

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(409L, span.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Null(span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, Tag(exception, "exception.type"));
    }

    [Fact]
    public async Task Registering_twice_adds_the_middleware_once()
    {
        await using var app = await TracedApp.StartAsync(
            web => web.MapGet("/orders/{id}", ThrowCardStoreOffline),
            services => services.AddThreadlineAspNetCore().AddThreadlineAspNetCore());

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        // Each copy of the middleware would record the escaping exception.
        Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Single(new ServiceCollection().AddThreadlineAspNetCore().AddThreadlineAspNetCore(), d => d.ServiceType == typeof(IStartupFilter));
    }

    [Fact]
    public async Task Method_outside_the_standard_set_is_named_HTTP()
    {
        await using var app = await TracedApp.StartAsync(web => web.Map("/orders/{id}", (string id) => Results.Ok(id)));

        using var response = await app.SendAsync(new HttpMethod("PURGE"), "/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("HTTP /orders/{id}", span.DisplayName);
        Assert.Equal("/orders/{id}", span.GetTagItem("http.route"));
    }

    [Fact]
    public async Task Method_in_lower_case_is_named_in_its_canonical_form_as_ASP_NET_Core_records_it()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/orders/{id}", (string id) => Results.Ok(id)));

        // HttpClient would send "GET": write the request by hand.
        using (var connection = new TcpClient())
        {
            await connection.ConnectAsync(IPAddress.Loopback, app.BaseAddress.Port);
            var stream = connection.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"get /orders/42 HTTP/1.1\r\nHost: 127.0.0.1:{app.BaseAddress.Port}\r\nConnection: close\r\n\r\n"));
            using var reader = new StreamReader(stream);
            Assert.StartsWith("HTTP/1.1 200", await reader.ReadLineAsync(), StringComparison.Ordinal);
        }
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal("get", span.GetTagItem("http.request.method_original"));
        Assert.Equal("GET /orders/{id}", span.DisplayName);
    }

    [Fact]
    public async Task Name_the_application_gave_the_span_is_kept()
    {
        await using var app = await TracedApp.StartAsync(web => web.MapGet("/orders/{id}", (string id, HttpContext context) =>
        {
            context.Features.Get<IHttpActivityFeature>()!.Activity.DisplayName = "look up order";
            return Results.Ok(id);
        }));

        using var response = await app.GetAsync("/orders/42");
        var span = await app.ServerSpanAsync("/orders/42");

        Assert.Equal("look up order", span.DisplayName);
        Assert.Equal("/orders/{id}", span.GetTagItem("http.route"));
    }

    private static IResult ThrowCardStoreOffline(string id) => throw new InvalidOperationException($"card store offline for order {id}");

    private static void AssertFailedWithCardStoreOffline(Activity span)
    {
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("card store offline for order 42", span.StatusDescription);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.GetTagItem("error.type"));
        var exception = Assert.Single(span.Events, e => e.Name == "exception");
        Assert.Equal(typeof(InvalidOperationException).FullName, Tag(exception, "exception.type"));
        Assert.Equal("card store offline for order 42", Tag(exception, "exception.message"));
        Assert.Contains(nameof(ThrowCardStoreOffline), Tag(exception, "exception.stacktrace") as string, StringComparison.Ordinal);
    }

    private static object? Tag(ActivityEvent e, string key) => e.Tags.FirstOrDefault(t => t.Key == key).Value;
}

/// <summary>Reached through the conventional route "{controller}/{action}/{id?}".</summary>
public sealed class OrdersController : ControllerBase
{
    public string Show(string id) => id;
}
