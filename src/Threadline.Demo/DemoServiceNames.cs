namespace Threadline.Demo;

/// <summary>The services of the checkout demo, each its own process with its own <c>service.name</c>.</summary>
public static class DemoServiceNames
{
    /// <summary>The entry point: takes checkouts from the traffic driver and fans out to the others.</summary>
    public const string ApiGateway = "api-gateway";

    /// <summary>Creates and confirms orders, asks an LLM for recommendations, publishes notifications.</summary>
    public const string OrderService = "order-service";

    /// <summary>Checks and reserves stock; bulk orders take the slow query path.</summary>
    public const string InventoryService = "inventory-service";

    /// <summary>Charges cards through the (fake) external payment provider.</summary>
    public const string PaymentService = "payment-service";

    /// <summary>Consumes order notifications from the loopback queue and sends the e-mails.</summary>
    public const string NotificationService = "notification-service";

    /// <summary>
    /// The fake external APIs: a payment provider and an LLM provider. Not instrumented, as a third
    /// party's servers send no spans to you; their part of a trace is the caller's client span.
    /// </summary>
    public const string ThirdParty = "third-party";

    /// <summary>The W3C Trace Context test service driven by the official w3c/trace-context test suite.</summary>
    public const string TraceContext = "tracecontext";

    /// <summary>The processes <see cref="DemoLauncher"/> starts, in no particular order: they start in parallel.</summary>
    public static IReadOnlyList<string> Checkout { get; } =
        [ApiGateway, OrderService, InventoryService, PaymentService, NotificationService, ThirdParty];

    /// <summary>Every name <see cref="DemoService.RunAsync"/> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Checkout, TraceContext];
}
