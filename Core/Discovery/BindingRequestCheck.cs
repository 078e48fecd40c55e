namespace Punch.Core.Discovery;

/// <summary>What a server makes of a Binding request's attributes (RFC 8489 §6.3.1, RFC 5780 §6.1).</summary>
public enum BindingRequestCheck
{
    Valid,
    /// <summary>A known attribute with a bad value, or PADDING with RESPONSE-PORT (RFC 5780 §6.1): answer 400.</summary>
    Malformed,
    /// <summary>Comprehension-required attributes we do not know: answer 420 listing them (RFC 8489 §6.3.1.1).</summary>
    UnknownAttributes,
}
