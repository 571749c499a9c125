using Microsoft.AspNetCore.Diagnostics;

namespace Threadline.Sdk.AspNetCore;

/// <summary>
/// Hands the exception the developer exception page is about to show to <see cref="ServerSpanCompletion"/>:
/// the page answers 500 without leaving the exception anywhere else the middleware could find it.
/// </summary>
internal sealed class DeveloperPageExceptionRecorder : IDeveloperPageExceptionFilter
{
    public Task HandleExceptionAsync(ErrorContext errorContext, Func<ErrorContext, Task> next)
    {
        errorContext.HttpContext.Features.Set(new DeveloperPageException(errorContext.Exception));
        return next(errorContext);
    }
}

/// <summary>The exception shown by the developer exception page for this request.</summary>
internal sealed record DeveloperPageException(Exception Error);
