namespace Threadline.Query.Parameters;

/// <summary>
/// A request's parameters as name/value pairs, whatever carried them (an HTTP query string, a
/// command line, a test), so that every API and the CLI parse them with the same rules.
/// </summary>
public interface IQueryParameters
{
    /// <summary>The names given, each once.</summary>
    IEnumerable<string> Names { get; }

    /// <summary>Every value given for <paramref name="name"/>, in order; empty when it was not given.</summary>
    IReadOnlyList<string> Values(string name);
}
