using System.Diagnostics;

namespace Threadline.Sdk.Export.Otlp;

/// <summary>Exports spans over OTLP. Placeholder: the exporter work fills this in.</summary>
public sealed class OtlpSpanExporter : SpanExporter
{
    public OtlpSpanExporter(OtlpExporterOptions options) => ArgumentNullException.ThrowIfNull(options);

    public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken) =>
        throw new NotImplementedException();
}
