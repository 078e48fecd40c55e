namespace Punch.Peer.Expose;

/// <summary>What <see cref="ControlPortLookup"/> learned: the server's expose control port, or why there is none.</summary>
internal readonly record struct LookupResult(ushort? ControlPort, string? Problem);
