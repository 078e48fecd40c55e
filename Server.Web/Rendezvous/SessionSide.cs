using System.Net;
using System.Security.Cryptography;
using Punch.Core.Protocol;
using Punch.Core.Stun;

namespace Punch.Server.Rendezvous;

/// <summary>One side of a session as the server introduced it.</summary>
public sealed class SessionSide(PeerIdentity identity)
{
    public PeerIdentity Identity { get; } = identity;
    public IceCredentials Credentials { get; } = NewCredentials();
    public IPEndPoint? IntroducedAt { get; set; }
    public PendingIntroduction? Pending { get; set; }
    public bool Acknowledged { get; set; }
    public bool Reported { get; set; }

    /// <summary>Reports already applied: a retransmitted report (its answer was lost) is answered again but not counted twice.</summary>
    public HashSet<TransactionId> HandledReports { get; } = [];

    /// <summary>RFC 8445 §5.3: ufrag of at least 24 bits and password of at least 128 bits of randomness.</summary>
    private static IceCredentials NewCredentials() =>
        new(RandomNumberGenerator.GetHexString(8, lowercase: true), RandomNumberGenerator.GetHexString(32, lowercase: true));
}
