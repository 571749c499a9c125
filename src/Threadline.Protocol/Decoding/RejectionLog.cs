using System.Text;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// Counts spans a decoder refused and keeps the first few reasons, so the partial_success message
/// a client sees stays short however many spans were bad.
/// </summary>
internal sealed class RejectionLog
{
    private const int MaxDetails = 5;
    private const int MaxNameLength = 64;

    private readonly List<string> _details = new(MaxDetails);

    public int Count { get; private set; }

    public void Add(string detail)
    {
        Count++;
        if (_details.Count < MaxDetails) _details.Add(detail);
    }

    public string BuildMessage()
    {
        var message = new StringBuilder();
        message.Append(Count).Append(Count == 1 ? " span rejected: " : " spans rejected: ");
        message.AppendJoin("; ", _details);
        if (Count > _details.Count) message.Append("; and ").Append(Count - _details.Count).Append(" more");
        return message.ToString();
    }

    /// <summary>A client-supplied name, quoted and cut short so that it cannot bloat or garble the message.</summary>
    public static string Quote(string name)
    {
        var shown = name.Length > MaxNameLength ? string.Concat(name.AsSpan(0, MaxNameLength), "…") : name;
        var builder = new StringBuilder(shown.Length + 2).Append('\'');
        foreach (var c in shown) builder.Append(char.IsControl(c) ? '?' : c);
        return builder.Append('\'').ToString();
    }
}
