namespace Threadline.Demo.Services;

/// <summary>The payment provider refused the card; <see cref="DeclineCode"/> says why (e.g. insufficient_funds).</summary>
internal sealed class PaymentDeclinedException(string declineCode, string message) : Exception(message)
{
    /// <summary>The provider's reason for the refusal.</summary>
    public string DeclineCode { get; } = declineCode;
}
