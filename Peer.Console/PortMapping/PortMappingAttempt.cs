namespace Punch.Peer.PortMapping;

/// <summary>
/// One protocol's try: whether the gateway answered it at all (a refusal is an answer), the grant if any, and a
/// short human reason (what <c>punch netcheck</c> prints).
/// </summary>
internal sealed record PortMappingAttempt(PortMappingMethod Method, bool Answered, PortMappingGrant? Grant, string Detail);
