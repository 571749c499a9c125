using Threadline.Core.Model;

namespace Threadline.Core.Synthetic;

/// <summary>One running copy of a service: its resource and its pod's address.</summary>
internal sealed record ServiceInstance(string Service, Resource Resource, string Address, InstrumentationScope ServerScope, InstrumentationScope ClientScope, InstrumentationScope DatabaseScope);

/// <summary>
/// The resources of the shop's services, three pods each, with the attributes an OpenTelemetry
/// SDK and the Kubernetes resource detector report. Built once per generator; spans share them by
/// reference, as an SDK's exporter does.
/// </summary>
internal static class ShopResources
{
    public const int InstancesPerService = 3;

    private static readonly string[] Languages = ["dotnet", "go", "java", "python", "nodejs"];

    public static Dictionary<string, ServiceInstance[]> Create(Random random)
    {
        var instances = new Dictionary<string, ServiceInstance[]>(StringComparer.Ordinal);
        for (var s = 0; s < ShopTopology.Services.Length; s++)
        {
            var service = ShopTopology.Services[s];
            var language = Languages[s % Languages.Length];
            var version = $"{1 + (s % 3)}.{random.Next(30)}.{random.Next(10)}";
            var deployment = $"{service}-{RandomToken(random, "0123456789abcdef", 9)}";
            var pods = new ServiceInstance[InstancesPerService];
            for (var i = 0; i < pods.Length; i++)
            {
                var pod = $"{deployment}-{RandomToken(random, "bcdfghjklmnpqrstvwxz2456789", 5)}";
                var node = $"ip-10-0-{random.Next(1, 8)}-{random.Next(2, 250)}.ec2.internal";
                var resource = new Resource(
                [
                    new KeyValue("service.name", service),
                    new KeyValue("service.namespace", "shop"),
                    new KeyValue("service.version", version),
                    new KeyValue("service.instance.id", Guid(random)),
                    new KeyValue("deployment.environment.name", "production"),
                    new KeyValue("host.name", pod),
                    new KeyValue("k8s.namespace.name", "shop"),
                    new KeyValue("k8s.deployment.name", service),
                    new KeyValue("k8s.pod.name", pod),
                    new KeyValue("k8s.node.name", node),
                    new KeyValue("cloud.region", "eu-west-1"),
                    new KeyValue("telemetry.sdk.name", "opentelemetry"),
                    new KeyValue("telemetry.sdk.language", language),
                    new KeyValue("telemetry.sdk.version", "1.12.0"),
                ]);
                pods[i] = new ServiceInstance(
                    service,
                    resource,
                    $"10.42.{random.Next(256)}.{random.Next(2, 255)}",
                    new InstrumentationScope($"shop.{language}.server", "1.12.0"),
                    new InstrumentationScope($"shop.{language}.client", "1.12.0"),
                    new InstrumentationScope($"shop.{language}.db", "1.12.0"));
            }
            instances[service] = pods;
        }
        return instances;
    }

    /// <summary>A random version-4-looking UUID, from the seeded generator so runs repeat.</summary>
    public static string Guid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString();
    }

    private static string RandomToken(Random random, string alphabet, int length) =>
        string.Create(length, (random, alphabet), static (chars, state) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = state.alphabet[state.random.Next(state.alphabet.Length)];
        });
}
