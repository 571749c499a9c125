using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests;

public sealed class MemoryTraceStoreConformanceTests : TraceStoreConformance
{
    protected override ITraceStore CreateStore(TimeProvider clock) => new MemoryTraceStore(new MemoryStoreOptions(), clock);
}
