using System.Net;
using Punch.Core.Stun;

namespace Punch.Core.Protocol;

/// <summary>An address where a peer might be reached, and how it was learned.</summary>
public readonly record struct Candidate(CandidateKind Kind, IPEndPoint EndPoint)
{
    public static string KindName(CandidateKind kind) => kind switch
    {
        CandidateKind.Host => "host",
        CandidateKind.ServerReflexive => "srflx",
        CandidateKind.PeerReflexive => "prflx",
        CandidateKind.Relayed => "relay",
        CandidateKind.Mapped => "mapped",
        _ => "unknown",
    };

    internal int ValueLength => 4 + StunAddress.ValueLength(EndPoint);

    internal void WriteValue(Span<byte> destination, TransactionId transactionId)
    {
        destination[0] = (byte)Kind;
        destination[1..4].Clear();
        StunAddress.WriteXor(destination[4..], EndPoint, transactionId);
    }

    internal static bool TryReadValue(ReadOnlySpan<byte> value, TransactionId transactionId, out Candidate candidate)
    {
        candidate = default;
        if (value.Length < 4 || value[0] is < (byte)CandidateKind.Host or > (byte)CandidateKind.Mapped)
        {
            return false;
        }

        if (!StunAddress.TryReadXor(value[4..], transactionId, out var endPoint))
        {
            return false;
        }

        candidate = new Candidate((CandidateKind)value[0], endPoint);
        return true;
    }

    public override string ToString() => $"{KindName(Kind)} {EndPoint}";
}
