using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Threadline.Server.Hosting;

namespace Threadline.Server.Options;

/// <summary>
/// Checks <see cref="ThreadlineOptions"/> before the server binds anything, naming each bad
/// setting by its configuration key so an operator can find it in a file, variable or flag.
/// </summary>
public sealed class ThreadlineOptionsValidator : IValidateOptions<ThreadlineOptions>
{
    private const string Prefix = ThreadlineOptions.SectionName + ":";

    /// <summary>The smallest accepted request body limit; anything lower is surely a unit mistake.</summary>
    public const int MinRequestBodyBytes = 1024;

    /// <summary>The largest accepted request body limit: 1 GiB (bodies are held in one pooled buffer).</summary>
    public const int MaxRequestBodyBytes = 1024 * 1024 * 1024;

    /// <summary>The largest accepted queue bound, so a typo cannot let the queue hold unbounded memory.</summary>
    public const int MaxQueuedSpansLimit = 100_000_000;

    /// <summary>The most store writers; more would only contend on the store.</summary>
    public const int MaxWorkers = 64;

    /// <summary>The longest retry delay clients can be told to wait.</summary>
    public const int MaxRetryAfterSeconds = 3600;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ThreadlineOptions options)
    {
        var failures = Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem with <paramref name="options"/>, one message each; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(ThreadlineOptions options)
    {
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ListenAddress) || !IPAddress.TryParse(options.ListenAddress, out _))
        {
            failures.Add($"{Prefix}ListenAddress must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got '{options.ListenAddress}'.");
        }

        var ports = new (string Key, int Port)[]
        {
            ("Receivers:OtlpGrpcPort", options.Receivers.OtlpGrpcPort),
            ("Receivers:OtlpHttpPort", options.Receivers.OtlpHttpPort),
            ("Receivers:ZipkinPort", options.Receivers.ZipkinPort),
            ("Api:Port", options.Api.Port),
            ("Tempo:Port", options.Tempo.Port),
        };
        foreach (var (key, port) in ports)
        {
            if (port is < IPEndPoint.MinPort or > IPEndPoint.MaxPort)
                failures.Add($"{Prefix}{key} must be 0-65535 (0 picks a free port), got {port}.");
        }
        // Port 0 means "any free port", so only fixed ports can collide.
        foreach (var clash in ports.Where(p => p.Port > 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(" and ", clash.Select(p => Prefix + p.Key))} are all set to port {clash.Key}; give each listener its own port.");
        }

        var maxBody = options.Receivers.MaxRequestBodyBytes;
        if (maxBody is < MinRequestBodyBytes or > MaxRequestBodyBytes)
        {
            failures.Add($"{Prefix}Receivers:MaxRequestBodyBytes must be between {MinRequestBodyBytes} and {MaxRequestBodyBytes} bytes, got {maxBody.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (options.Ingest.MaxQueuedSpans is < 1 or > MaxQueuedSpansLimit)
        {
            failures.Add($"{Prefix}Ingest:MaxQueuedSpans must be between 1 and {MaxQueuedSpansLimit}, got {options.Ingest.MaxQueuedSpans}.");
        }
        if (options.Ingest.Workers is < 1 or > MaxWorkers)
        {
            failures.Add($"{Prefix}Ingest:Workers must be between 1 and {MaxWorkers}, got {options.Ingest.Workers}.");
        }
        if (options.Ingest.RetryAfterSeconds is < 1 or > MaxRetryAfterSeconds)
        {
            failures.Add($"{Prefix}Ingest:RetryAfterSeconds must be between 1 and {MaxRetryAfterSeconds}, got {options.Ingest.RetryAfterSeconds}.");
        }

        if (options.Ingest.Mode is not (IngestOptions.StoreMode or IngestOptions.DecodeOnlyMode))
        {
            failures.Add($"{Prefix}Ingest:Mode must be '{IngestOptions.StoreMode}' or '{IngestOptions.DecodeOnlyMode}', got '{options.Ingest.Mode}'.");
        }

        failures.AddRange(StorageEngines.Problems(options.Storage).Select(p => $"{Prefix}Storage:{p}"));
        failures.AddRange(options.Limits.Problems().Select(p => $"{Prefix}Limits:{p}"));
        failures.AddRange(Sampling.TailSamplingSetup.Problems(options.TailSampling));

        return failures;
    }

    /// <summary>Throws <see cref="OptionsValidationException"/> listing every problem, if there is any.</summary>
    public static void ThrowIfInvalid(ThreadlineOptions options)
    {
        var failures = Validate(options);
        if (failures.Count > 0)
            throw new OptionsValidationException(ThreadlineOptions.SectionName, typeof(ThreadlineOptions), failures);
    }
}
