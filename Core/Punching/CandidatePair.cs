using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>A local socket and a remote candidate, and what checks on that pair have shown so far.</summary>
internal sealed class CandidatePair(int socket, Candidate remote, long nextSend, TimeSpan interval, bool isProbe = false, bool isPrediction = false)
{
    public int Socket { get; } = socket;
    public Candidate Remote { get; } = remote;

    /// <summary>A guessed port of a symmetric NAT: checked once, never retried (the probe's job is to open our filter and hit a mapping if one is there).</summary>
    public bool IsProbe { get; } = isProbe;

    /// <summary>A prediction socket's pair: re-sent at a fixed interval to keep its NAT mapping open, without backoff.</summary>
    public bool IsPrediction { get; } = isPrediction;

    public long NextSend { get; set; } = nextSend;
    public TimeSpan Interval { get; set; } = interval;
    public int ChecksSent { get; set; }
    public bool ResponseReceived { get; set; }
    public bool RequestReceived { get; set; }
    public bool NominationReceived { get; set; }
    public bool NominationPending { get; set; }

    /// <summary>Queued as a triggered check (RFC 8445 §7.3.1.4): goes before the round robin.</summary>
    public bool Triggered { get; set; }

    public TimeSpan RoundTripTime { get; set; }

    /// <summary>Until it answered, a pair keeps being checked; the pair being nominated keeps being checked until the nomination is answered.</summary>
    public bool NeedsChecks => NominationPending || Triggered || (!ResponseReceived && !(IsProbe && ChecksSent > 0));

    public bool Matches(int socket, System.Net.IPEndPoint remote) => Socket == socket && Remote.EndPoint.Equals(remote);

    public override string ToString() => Socket == 0 ? Remote.ToString() : $"{Remote} via socket {Socket}";
}
