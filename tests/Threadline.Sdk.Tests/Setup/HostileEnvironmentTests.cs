using System.Reflection;
using Threadline.Sdk.Configuration;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Propagation;
using Threadline.Tests.Shared;

namespace Threadline.Sdk.Tests.Setup;

/// <summary>
/// Every environment variable the SDK reads, given extreme and random values: the SDK never
/// throws while reading them (an application must start whatever its environment holds), and
/// every value it cannot use is reported naming its variable.
/// </summary>
public sealed class HostileEnvironmentTests
{
    private const int Cases = 5_000;

    private static readonly string[] Variables =
    [
        .. ConstantsOf(typeof(EnvironmentConfiguration)),
        .. ConstantsOf(typeof(OtlpEnvironment)),
        TextMapPropagators.EnvironmentVariable,
    ];

    [Fact]
    public void Every_extreme_value_of_every_variable_is_read_without_throwing()
    {
        // The variables are found by reflection: make sure they were.
        Assert.Contains(OtlpEnvironment.TracesProtocol, Variables);
        Assert.Contains(EnvironmentConfiguration.BspMaxQueueSize, Variables);
        foreach (var name in Variables)
        {
            foreach (var value in HostileValues.Extremes) Read(new Dictionary<string, string> { [name] = value }, seed: -1);
        }
    }

    [Fact]
    public void Random_environments_are_read_without_throwing()
    {
        for (var seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var environment = new Dictionary<string, string>();
            for (var i = random.Next(1, 6); i > 0; i--)
                environment[Variables[random.Next(Variables.Length)]] = HostileValues.Next(random, maxLength: 600);
            Read(environment, seed);
        }
    }

    private static void Read(Dictionary<string, string> environment, int seed)
    {
        var read = TestTracing.Environment(environment);
        var configuration = new EnvironmentConfiguration(read);
        var exporter = new OtlpExporterOptions();
        try
        {
            configuration.IsSdkDisabled();
            configuration.Apply(new TracingOptions());
            OtlpEnvironment.Apply(exporter, read);
        }
        catch (Exception exception)
        {
            Assert.Fail($"seed {seed}, environment {Show(environment)}: {exception}");
        }

        foreach (var issue in configuration.Issues.Concat(exporter.ConfigurationWarnings))
        {
            Assert.True(environment.Keys.Any(name => issue.Contains(name, StringComparison.Ordinal)),
                $"seed {seed}: the report '{issue}' names no variable of {Show(environment)}");
        }
    }

    private static IEnumerable<string> ConstantsOf(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.FieldType == typeof(string))
            .Select(field => (string)field.GetRawConstantValue()!);

    private static string Show(Dictionary<string, string> environment) =>
        string.Join(", ", environment.Select(pair => $"{pair.Key}='{pair.Value}'"));
}
