namespace Threadline.Demo;

/// <summary>What the traffic driver has done so far.</summary>
/// <param name="Sent">Checkouts sent to api-gateway.</param>
/// <param name="Confirmed">Checkouts that ended with a confirmed order.</param>
/// <param name="Declined">Checkouts whose card was declined (HTTP 402), as planned.</param>
/// <param name="Failed">Checkouts that failed otherwise: any other status, or no answer.</param>
public readonly record struct DemoTrafficStatistics(long Sent, long Confirmed, long Declined, long Failed)
{
    /// <summary>Checkouts that have an outcome.</summary>
    public long Completed => Confirmed + Declined + Failed;
}
