using System.Numerics;

namespace Threadline.Core.Analysis.Naming;

/// <summary>
/// Counts distinct strings in bounded memory: exactly up to <see cref="ExactLimit"/> (a set of
/// 64-bit hashes), then as a HyperLogLog with 2^<c>precision</c> one-byte registers (relative
/// error about 1.04/√registers: 6.5 % at precision 8, 1.6 % at 12). Not thread-safe.
/// </summary>
public sealed class DistinctCounter
{
    /// <summary>Up to this many distinct values the count is exact.</summary>
    public const int ExactLimit = 32;

    private readonly int _precision;
    private HashSet<ulong>? _exact = [];
    private byte[]? _registers;

    /// <param name="precision">Register bits, 4 to 16: memory is 2^precision bytes once past the exact range.</param>
    public DistinctCounter(int precision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, 16);
        _precision = precision;
    }

    /// <summary>Bytes held at most, whatever is added (the exact set's hashes, or the registers).</summary>
    public int MaxBytes => Math.Max(ExactLimit * 16, 1 << _precision);

    public void Add(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = Hash(value);
        if (_exact is not null)
        {
            _exact.Add(hash);
            if (_exact.Count <= ExactLimit) return;
            _registers = new byte[1 << _precision];
            foreach (var held in _exact) Register(held);
            _exact = null;
            return;
        }
        Register(hash);
    }

    /// <summary>The number of distinct values added: exact up to <see cref="ExactLimit"/>, an estimate beyond.</summary>
    public long Count
    {
        get
        {
            if (_exact is not null) return _exact.Count;
            var registers = _registers!;
            var m = registers.Length;
            double sum = 0;
            var zeros = 0;
            foreach (var r in registers)
            {
                sum += 1.0 / (1UL << r);
                if (r == 0) zeros++;
            }
            var alpha = m switch { 16 => 0.673, 32 => 0.697, 64 => 0.709, _ => 0.7213 / (1 + 1.079 / m) };
            var estimate = alpha * m * m / sum;
            // Small ranges: linear counting over the empty registers is the better estimate.
            if (estimate <= 2.5 * m && zeros > 0) estimate = m * Math.Log((double)m / zeros);
            return Math.Max(ExactLimit + 1, (long)Math.Round(estimate));
        }
    }

    private void Register(ulong hash)
    {
        var index = (int)(hash >> (64 - _precision));
        var rank = (byte)(BitOperations.LeadingZeroCount((hash << _precision) | (1UL << (_precision - 1))) + 1);
        if (rank > _registers![index]) _registers[index] = rank;
    }

    // FNV-1a over the UTF-16 code units, then a 64-bit finaliser so that the top bits (the
    // register index) depend on every character.
    private static ulong Hash(string value)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in value)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53UL;
        hash ^= hash >> 33;
        return hash;
    }
}
