using Threadline.Pipeline.Sampling.Config;

namespace Threadline.Pipeline.Tests.Sampling;

/// <summary>
/// The policy file is user input read at start-up: whatever it holds, the loader either accepts it
/// or throws <see cref="PolicyFileException"/> naming the problems, never anything else.
/// </summary>
public sealed class PolicyFileFuzzTests
{
    private const int Seed = 14_014;
    private const int Mutations = 2_000;

    private static readonly string[] Fragments =
    [
        ":", "- ", "  ", "\n", "{", "}", "[", "]", "\"", "'", "&a", "*a", "!!binary", "!!int", "~", "null", "-1", "1e309", "NaN",
        "99999999999999999999", "0x7fffffff", "10s", "-5m", "type: composite", "type: and", "policies:", "sub_policy:", "\t", "\u0000", "\ud800",
        "decision_wait: ", "num_traces: ", "max_total_spans_per_second: ", "rate_allocation:", "invert_match: yes", "regex: \"(\"",
    ];

    [Fact]
    public void Mutated_policy_files_are_accepted_or_refused_with_a_policy_file_error()
    {
        var example = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sampling", "collector-readme-example.yaml"));
        var random = new Random(Seed);
        var context = new PolicyContext { CompileTraceQL = query => query.StartsWith('{') ? _ => true : throw new FormatException("line 1, column 1: expected '{'") };
        var refused = 0;

        for (var i = 0; i < Mutations; i++)
        {
            var text = Mutate(example, random);
            try
            {
                PolicyFile.Parse(text, "fuzz.yaml", context);
            }
            catch (PolicyFileException error)
            {
                Assert.NotEmpty(error.Problems);
                refused++;
            }
        }

        // Most mutations break the file; the test must have exercised the error paths.
        Assert.True(refused > Mutations / 4, $"only {refused} of {Mutations} mutations were refused");
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray().ToList();
        var edits = random.Next(1, 6);
        for (var e = 0; e < edits && chars.Count > 0; e++)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.RemoveRange(at, Math.Min(random.Next(1, 40), chars.Count - at)); break;
                case 1: chars.InsertRange(at, Fragments[random.Next(Fragments.Length)]); break;
                case 2: chars[at] = (char)random.Next(0, 128); break;
                default:
                    var from = random.Next(chars.Count);
                    var length = Math.Min(random.Next(1, 80), chars.Count - from);
                    chars.InsertRange(at, chars.GetRange(from, length));
                    break;
            }
        }
        return new string([.. chars]);
    }
}
