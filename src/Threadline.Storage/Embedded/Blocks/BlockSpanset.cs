using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// A block's part of a fetch answer for one trace. Trace-level fields of <see cref="Spanset"/>
/// (root, start, end) are computed from this block's spans only; <see cref="RootSeen"/> says
/// whether the trace's root span was among them, so the engine can merge the pieces of a trace
/// spread over the head and several blocks.
/// </summary>
public readonly record struct BlockSpanset(Spanset Spanset, bool RootSeen);
