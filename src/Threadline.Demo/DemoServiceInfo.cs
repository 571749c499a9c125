namespace Threadline.Demo;

/// <summary>One running demo service.</summary>
/// <param name="Name">Its service.name.</param>
/// <param name="ProcessId">Its operating-system process.</param>
/// <param name="Endpoints">What it listens on, by name: its HTTP address under its own name, and the queue for notification-service.</param>
public sealed record DemoServiceInfo(string Name, int ProcessId, IReadOnlyDictionary<string, Uri> Endpoints);
