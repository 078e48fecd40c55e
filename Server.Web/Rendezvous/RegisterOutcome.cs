namespace Punch.Server.Rendezvous;

public enum RegisterOutcome
{
    Registered,
    /// <summary>The same peer (same public endpoint) registered again: treated as a refresh.</summary>
    Renewed,
    NameTaken,
    /// <summary>Rendezvous:MaxPeers reached.</summary>
    Full,
    /// <summary>Rendezvous:MaxPeersPerNetwork reached.</summary>
    NetworkFull,
    /// <summary>Rendezvous:MaxPeersPerAddress reached.</summary>
    AddressFull,
}
