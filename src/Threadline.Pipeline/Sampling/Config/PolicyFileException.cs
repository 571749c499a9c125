namespace Threadline.Pipeline.Sampling.Config;

/// <summary>A tail-sampling policy file that cannot be used; <see cref="Problems"/> lists every problem found, each naming its line and column.</summary>
public sealed class PolicyFileException : Exception
{
    public PolicyFileException(string source, IReadOnlyList<string> problems)
        : base($"The tail-sampling policy file '{source}' is not valid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        Source = source;
        Problems = problems;
    }

    public PolicyFileException()
    {
        Source = "";
        Problems = [];
    }

    public PolicyFileException(string message) : base(message)
    {
        Source = "";
        Problems = [message];
    }

    public PolicyFileException(string message, Exception innerException) : base(message, innerException)
    {
        Source = "";
        Problems = [message];
    }

    /// <summary>The file's path (or the name given to the text parsed).</summary>
    public new string Source { get; }

    /// <summary>Every problem, as <c>line L, column C: what is wrong and what to do</c>.</summary>
    public IReadOnlyList<string> Problems { get; }
}
