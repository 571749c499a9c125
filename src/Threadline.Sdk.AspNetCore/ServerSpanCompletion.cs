using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Threadline.Sdk.AspNetCore;

/// <summary>
/// Completes ASP.NET Core's server span after the rest of the pipeline ran: name, http.route,
/// http.response.status_code, and the error status for 5xx answers and exceptions. ASP.NET Core 10
/// records only the request side of the span.
/// </summary>
internal sealed class ServerSpanCompletion(RequestDelegate next)
{
    // The standard methods of RFC 9110 and PATCH, the set the HTTP conventions call "known"; any other
    // method is named "HTTP" so that a client cannot invent span names.
    private static readonly string[] KnownMethods =
        [HttpMethods.Get, HttpMethods.Head, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete,
         HttpMethods.Connect, HttpMethods.Options, HttpMethods.Trace, HttpMethods.Patch];

    private const string OtherMethod = "HTTP";

    // "{method} {route}" per endpoint, one slot per known method plus one for the others: built once, so
    // a request allocates nothing for its span's name. Weak keys, because endpoints can be rebuilt.
    private readonly ConditionalWeakTable<RouteEndpoint, string?[]> _names = new();

    public Task InvokeAsync(HttpContext context)
    {
        var span = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (span is null || !span.IsAllDataRequested) return next(context);

        Task pipeline;
        try
        {
            pipeline = next(context);
        }
        catch (Exception exception)
        {
            Fail(context, span, exception);
            throw;
        }
        if (!pipeline.IsCompletedSuccessfully) return CompleteAfter(pipeline, context, span);
        Complete(context, span);
        return Task.CompletedTask;
    }

    private async Task CompleteAfter(Task pipeline, HttpContext context, Activity span)
    {
        try
        {
            await pipeline.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Fail(context, span, exception);
            throw;
        }
        Complete(context, span);
    }

    private void Complete(HttpContext context, Activity span)
    {
        var status = context.Response.StatusCode;
        // UseExceptionHandler leaves the exception in this feature, with the endpoint it came from: a
        // re-execution on the error path has replaced the context's endpoint by then.
        var handled = context.Features.Get<IExceptionHandlerFeature>();
        Describe(context, span, status, handled is null ? context.GetEndpoint() : handled.Endpoint);
        var exception = handled?.Error;
        // The developer exception page always answers 500: look for its exception only then.
        if (exception is null && status >= 500) exception = context.Features.Get<DeveloperPageException>()?.Error;
        if (exception is not null)
        {
            span.RecordException(exception);
            // A handler that answers 4xx decided the request was the client's fault: not a server error.
            if (status >= 500) SetError(span, exception);
        }
        else if (status >= 500)
        {
            span.SetAttribute("error.type", status.ToString(CultureInfo.InvariantCulture));
            span.SetSpanStatus(ActivityStatusCode.Error);
        }
    }

    private void Fail(HttpContext context, Activity span, Exception exception)
    {
        // The server answers 500 to an escaping exception unless the response has already started.
        var status = context.Response.HasStarted ? context.Response.StatusCode : StatusCodes.Status500InternalServerError;
        var handled = context.Features.Get<IExceptionHandlerFeature>();
        Describe(context, span, status, handled is null ? context.GetEndpoint() : handled.Endpoint);
        span.RecordException(exception);
        SetError(span, exception);
    }

    private void Describe(HttpContext context, Activity span, int status, Endpoint? endpoint)
    {
        span.SetAttribute("http.response.status_code", status);
        var route = endpoint as RouteEndpoint;
        if (route?.RoutePattern.RawText is { } template) span.SetAttribute("http.route", template);
        else route = null;
        // DisplayName falls back to OperationName until someone sets it: a name the application chose stays.
        if (ReferenceEquals(span.DisplayName, span.OperationName)) span.DisplayName = NameOf(context.Request.Method, route);
    }

    private string NameOf(string method, RouteEndpoint? endpoint)
    {
        // Canonical as ASP.NET Core records it in http.request.method: "get" is GET, "QUERY" is _OTHER.
        var index = KnownMethodIndex(HttpMethods.GetCanonicalizedValue(method));
        var verb = index < KnownMethods.Length ? KnownMethods[index] : OtherMethod;
        if (endpoint is null) return verb;
        var names = _names.GetValue(endpoint, static _ => new string?[KnownMethods.Length + 1]);
        // Two requests may build the same name at once; either string is right, so no lock.
        return names[index] ??= verb + " " + endpoint.RoutePattern.RawText;
    }

    /// <summary>The method's slot in <see cref="KnownMethods"/>, or the slot after them for any other method.</summary>
    private static int KnownMethodIndex(string method)
    {
        // GetCanonicalizedValue hands out these very strings, so a match is found by reference.
        for (var i = 0; i < KnownMethods.Length; i++)
        {
            if (string.Equals(KnownMethods[i], method, StringComparison.Ordinal)) return i;
        }
        return KnownMethods.Length;
    }

    private static void SetError(Activity span, Exception exception)
    {
        span.SetAttribute("error.type", exception.GetType().FullName ?? exception.GetType().Name);
        span.SetSpanStatus(ActivityStatusCode.Error, exception.Message);
    }
}
