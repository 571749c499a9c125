using DuckDB.NET.Data;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;

namespace Threadline.Storage.Tests.Embedded.Blocks;

/// <summary>A block's data.parquet read by DuckDB, as a user's own tools would read it.</summary>
public sealed class BlockDuckDbTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void DuckDB_reads_the_same_spans_ids_names_times_service_and_dedicated_attributes()
    {
        var factory = new SpanFactory();
        var spans = Enumerable.Range(0, 40).SelectMany(i => factory.CheckoutTrace(factory.NewTraceId(), startMs: i * 1000, paymentsFails: i % 3 == 0)).ToArray();
        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 16 }, CancellationToken.None);

        var rows = Query(block,
            "SELECT hex(trace_id), hex(span_id), hex(parent_span_id), name, start_unix_nano, duration_nano, service_name, http_request_method, http_response_status_code, kind, status_code "
            + "FROM read_parquet($path) ORDER BY trace_id, start_unix_nano");

        var expected = spans.OrderBy(s => s.TraceId).ThenBy(s => s.StartTimeUnixNano).ToArray();
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var (span, row) = (expected[i], rows[i]);
            Assert.Equal(span.TraceId.ToString(), ((string)row[0]!).ToLowerInvariant());
            Assert.Equal(span.SpanId.ToString(), ((string)row[1]!).ToLowerInvariant());
            Assert.Equal(span.IsRoot ? null : span.ParentSpanId.ToString(), ((string?)row[2])?.ToLowerInvariant());
            Assert.Equal(span.Name, row[3]);
            Assert.Equal((long)span.StartTimeUnixNano, row[4]);
            Assert.Equal((long)span.DurationNanos, row[5]);
            Assert.Equal(span.ServiceName, row[6]);
            Assert.Equal(span.TryGetAttribute("http.request.method", out var method) ? method.AsString() : null, row[7]);
            Assert.Equal(span.TryGetAttribute("http.response.status_code", out var status) ? status.AsInt() : null, (long?)row[8]);
            Assert.Equal((int)span.Kind, row[9]);
            Assert.Equal((int)span.Status.Code, row[10]);
        }
    }

    [Fact]
    public void Nested_set_numbers_make_descendants_a_range_comparison()
    {
        // root ─┬─ a ─── a1
        //       └─ b          (children in start order); orphan's parent is not in the trace.
        var factory = new SpanFactory();
        var trace = factory.NewTraceId();
        var root = factory.Make(trace, "root", startMs: 0, durationMs: 100);
        var a = factory.Make(trace, "a", startMs: 1, parent: root.SpanId);
        var a1 = factory.Make(trace, "a1", startMs: 2, parent: a.SpanId);
        var b = factory.Make(trace, "b", startMs: 3, parent: root.SpanId);
        var orphan = factory.Make(trace, "orphan", startMs: 4, parent: factory.NewSpanId());
        using var block = BlockWriter.Write(_directory.Path, [b, orphan, a1, root, a], new BlockWriteOptions(), CancellationToken.None);

        var numbers = Query(block, "SELECT name, nested_set_left, nested_set_right, nested_set_parent FROM read_parquet($path)")
            .ToDictionary(r => (string)r[0]!, r => (Left: (int)r[1]!, Right: (int)r[2]!, Parent: (int)r[3]!));

        Assert.Equal((1, 8, 0), numbers["root"]);
        Assert.Equal((2, 5, 1), numbers["a"]);
        Assert.Equal((3, 4, 2), numbers["a1"]);
        Assert.Equal((6, 7, 1), numbers["b"]);
        Assert.Equal((9, 10, 0), numbers["orphan"]);

        var descendantsOfRoot = Query(block,
            "SELECT d.name FROM read_parquet($path) d, read_parquet($path) r WHERE r.name = 'root' AND d.nested_set_left > r.nested_set_left AND d.nested_set_right < r.nested_set_right ORDER BY d.name");
        Assert.Equal(["a", "a1", "b"], descendantsOfRoot.Select(r => (string)r[0]!));
    }

    [Fact]
    public void Parent_cycles_do_not_hang_and_every_span_gets_numbers()
    {
        var factory = new SpanFactory();
        var trace = factory.NewTraceId();
        var (x, y) = (factory.NewSpanId(), factory.NewSpanId());
        Span Cyclic(SpanId id, SpanId parent, string name, double at) => new()
        {
            TraceId = trace, SpanId = id, ParentSpanId = parent, Name = name, StartTimeUnixNano = SpanFactory.At(at), EndTimeUnixNano = SpanFactory.At(at + 1),
        };
        using var block = BlockWriter.Write(_directory.Path, [Cyclic(x, y, "x", 0), Cyclic(y, x, "y", 1)], new BlockWriteOptions(), CancellationToken.None);

        var numbers = Query(block, "SELECT nested_set_left, nested_set_right FROM read_parquet($path) ORDER BY nested_set_left");
        Assert.Equal([(1, 4), (2, 3)], numbers.Select(r => ((int)r[0]!, (int)r[1]!)));
    }

    private static List<object?[]> Query(Block block, string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        var path = Path.Combine(block.Directory, BlockDirectory.DataFileName).Replace("'", "''", StringComparison.Ordinal);
        command.CommandText = sql.Replace("$path", "'" + path + "'", StringComparison.Ordinal);
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
