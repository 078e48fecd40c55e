namespace Punch.Core.Punching;

/// <summary>
/// Open <paramref name="Count"/> more UDP sockets on the main socket's address, numbered 1..Count,
/// and feed what they receive to the session with their number. Port prediction on the side
/// behind an endpoint-dependent (symmetric) NAT needs them: every socket gets its own public port.
/// </summary>
public sealed record OpenSockets(int Count) : PunchAction;
