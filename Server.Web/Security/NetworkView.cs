namespace Punch.Server.Security;

/// <summary>A network as the Networks page and <c>GET /api/networks</c> show it; never the key.</summary>
public sealed record NetworkView(string Network, int PeersKnown, int PeersOnline, int Sessions, bool RequiresKey, NetworkKeySource KeySource);
