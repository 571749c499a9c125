using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Forwarding;
using Threadline.Query.TraceQL;
using Threadline.Server.Options;

namespace Threadline.Server.Sampling;

/// <summary>
/// Reads <see cref="TailSamplingOptions"/> into what the pipeline needs: the policy file (with
/// TraceQL conditions compiled by the query layer) and the member list, checking both.
/// </summary>
internal static class TailSamplingSetup
{
    private const string Prefix = ThreadlineOptions.SectionName + ":TailSampling:";

    /// <summary>The policy context of a server: TraceQL compiled by Threadline.Query.</summary>
    public static PolicyContext Context(TimeProvider time) => new()
    {
        Time = time,
        CompileTraceQL = query =>
        {
            TraceQLTraceCondition condition;
            try
            {
                condition = TraceQLTraceCondition.Compile(query);
            }
            catch (TraceQLSyntaxException ex)
            {
                throw new FormatException("TraceQL " + ex.Message, ex);
            }
            return condition.Matches;
        },
    };

    /// <summary>The member list, trimmed; empty for a single node.</summary>
    public static IReadOnlyList<string> Members(TailSamplingOptions options) =>
        options.Members.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Every problem with the tail-sampling settings, named by key; empty when valid or off.</summary>
    public static IReadOnlyList<string> Problems(TailSamplingOptions options)
    {
        var problems = new List<string>();
        var members = Members(options);
        if (string.IsNullOrWhiteSpace(options.PolicyFile))
        {
            if (members.Count > 0) problems.Add($"{Prefix}Members is set but tail sampling is off; give {Prefix}PolicyFile (serve --tail-sampling FILE) too.");
            return problems;
        }
        try
        {
            PolicyFile.Load(options.PolicyFile, Context(TimeProvider.System));
        }
        catch (PolicyFileException ex)
        {
            problems.Add($"{Prefix}PolicyFile: {ex.Message}");
        }
        if (options.ForwardTimeoutSeconds is < 1 or > 600)
            problems.Add($"{Prefix}ForwardTimeoutSeconds must be between 1 and 600, got {options.ForwardTimeoutSeconds}.");
        if (members.Count == 0)
        {
            if (!string.IsNullOrWhiteSpace(options.Self)) problems.Add($"{Prefix}Self is set but {Prefix}Members is empty; list every node's OTLP/HTTP address there.");
            return problems;
        }
        foreach (var member in members)
        {
            try
            {
                SpanForwarder.TracesUri(member);
            }
            catch (ArgumentException ex)
            {
                problems.Add($"{Prefix}Members: {ex.Message}");
            }
        }
        if (members.Distinct(StringComparer.Ordinal).Count() != members.Count) problems.Add($"{Prefix}Members names a node twice.");
        if (!members.Contains(options.Self.Trim(), StringComparer.Ordinal))
            problems.Add($"{Prefix}Self must be this node's address exactly as written in {Prefix}Members ({string.Join(", ", members)}), got '{options.Self}'.");
        return problems;
    }
}
