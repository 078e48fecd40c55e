namespace Punch.Core.Protocol;

/// <summary>Short-term credentials of one side of a session (RFC 8445 §5.3: ufrag and password).</summary>
public readonly record struct IceCredentials(string UsernameFragment, string Password);
