using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Threadline.Sdk.AspNetCore;

/// <summary>
/// Puts <see cref="ServerSpanCompletion"/> in front of the whole pipeline, outside even the middleware
/// WebApplication adds itself (developer exception page, routing), so it sees every final answer.
/// </summary>
internal sealed class ServerSpanStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(pipeline => new ServerSpanCompletion(pipeline).InvokeAsync);
        next(app);
    };
}
