using System.Collections;
using Microsoft.Extensions.Options;
using Threadline.Server.Options;

namespace Threadline.Server.Tests.Options;

/// <summary>The <c>Threadline:TailSampling</c> section: off by default, its policy file and member list checked at start-up.</summary>
public sealed class TailSamplingOptionsTests : IDisposable
{
    private static readonly Hashtable NoEnvironment = [];
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"threadline-policies-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(_file);

    private static KeyValuePair<string, string?> Setting(string key, string value) => new(key, value);

    private static OptionsValidationException Invalid(params KeyValuePair<string, string?>[] settings) =>
        Assert.Throws<OptionsValidationException>(() => ThreadlineConfiguration.Load(null, NoEnvironment, settings));

    [Fact]
    public void Tail_sampling_is_off_by_default()
    {
        var options = ThreadlineConfiguration.Load(null, NoEnvironment, []);

        Assert.Equal("", options.TailSampling.PolicyFile);
        Assert.Equal("", options.TailSampling.Members);
    }

    [Fact]
    public void A_valid_policy_file_and_member_list_bind()
    {
        File.WriteAllText(_file, "policies: [{name: errors, type: status_code, status_code: {status_codes: [ERROR]}}]");

        var options = ThreadlineConfiguration.Load(null, NoEnvironment,
        [
            new("Threadline:TailSampling:PolicyFile", _file),
            new("Threadline:TailSampling:Members", "http://127.0.0.1:4318, http://127.0.0.1:5318"),
            new("Threadline:TailSampling:Self", "http://127.0.0.1:5318"),
        ]);

        Assert.Equal(_file, options.TailSampling.PolicyFile);
    }

    [Fact]
    public void An_invalid_policy_file_is_reported_by_key_with_the_line_and_column()
    {
        File.WriteAllText(_file, "policies:\n  - {name: p, type: probabilistic, probabilistic: {sampling_percentage: lots}}\n");

        var error = Invalid(Setting("Threadline:TailSampling:PolicyFile", _file));

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("Threadline:TailSampling:PolicyFile: ", failure);
        Assert.Contains("line 2, column 73: policy 'p' (probabilistic): sampling_percentage must be a number, got 'lots'.", failure);
    }

    [Fact]
    public void A_missing_policy_file_is_reported()
    {
        var error = Invalid(Setting("Threadline:TailSampling:PolicyFile", _file));

        Assert.Contains(error.Failures, f => f.StartsWith("Threadline:TailSampling:PolicyFile: ", StringComparison.Ordinal) && f.Contains("cannot be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Member_list_mistakes_are_reported_by_key()
    {
        File.WriteAllText(_file, "policies: [{name: all, type: always_sample}]");

        var error = Invalid(
            Setting("Threadline:TailSampling:PolicyFile", _file),
            Setting("Threadline:TailSampling:Members", "http://127.0.0.1:4318,127.0.0.1:5318"),
            Setting("Threadline:TailSampling:Self", "http://127.0.0.1:6318"));

        Assert.Contains(error.Failures, f => f.StartsWith("Threadline:TailSampling:Members: ", StringComparison.Ordinal) && f.Contains("'127.0.0.1:5318' is not an http(s) address", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.StartsWith("Threadline:TailSampling:Self must be this node's address", StringComparison.Ordinal));
    }

    [Fact]
    public void Members_without_a_policy_file_are_reported()
    {
        var error = Invalid(Setting("Threadline:TailSampling:Members", "http://127.0.0.1:4318"));

        Assert.Contains(error.Failures, f => f.Contains("tail sampling is off", StringComparison.Ordinal));
    }
}
