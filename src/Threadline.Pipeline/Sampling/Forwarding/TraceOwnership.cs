using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Forwarding;

/// <summary>
/// Which member decides a trace: rendezvous (highest-random-weight) hashing of the trace id over
/// the member list. Every node with the same list agrees without talking; a member leaving the
/// list moves only the traces it owned (spread over the others), and one joining takes an equal
/// share from each.
/// </summary>
public sealed class TraceOwnership
{
    private readonly string[] _members;
    private readonly ulong[] _seeds;

    /// <param name="members">Every member's address; order does not matter.</param>
    /// <exception cref="ArgumentException">The list is empty or names a member twice.</exception>
    public TraceOwnership(IReadOnlyList<string> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("The member list is empty.", nameof(members));
        if (members.Distinct(StringComparer.Ordinal).Count() != members.Count) throw new ArgumentException("The member list names a member twice.", nameof(members));
        _members = [.. members];
        _seeds = [.. members.Select(Fnv1a)];
    }

    public IReadOnlyList<string> Members => _members;

    /// <summary>The index in <see cref="Members"/> of the member that decides <paramref name="traceId"/>.</summary>
    public int OwnerOf(TraceId traceId)
    {
        var key = Mix(traceId.High ^ Mix(traceId.Low));
        var best = 0;
        var bestScore = 0UL;
        for (var i = 0; i < _seeds.Length; i++)
        {
            var score = Mix(key ^ _seeds[i]);
            if (i == 0 || score > bestScore)
            {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }

    // SplitMix64's finaliser.
    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
