using System.Text.Json;

namespace Threadline.Demo.Messaging;

/// <summary>
/// One message on the loopback queue, sent as one JSON line. <paramref name="Headers"/> carry the
/// producer's trace context (traceparent, tracestate, baggage), as Kafka or AMQP headers would.
/// </summary>
internal sealed record QueueMessage(string Id, string Destination, Dictionary<string, string> Headers, JsonElement Body)
{
    /// <summary>What the queue answers once it holds the message.</summary>
    public string Acknowledgement => "ack " + Id;
}
