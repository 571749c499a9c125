using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests;

public sealed class MemoryTraceStoreConformanceTests : TraceStoreConformance
{
    protected override ITraceStore CreateStore() => new MemoryTraceStore();
}
