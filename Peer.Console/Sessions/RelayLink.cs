using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Hosting;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Sessions;

/// <summary>
/// The server's relay for one session: activates it with a RelayActivate request from the main
/// socket (so the server forwards to the address it sees, the one our NAT gave the main socket),
/// signed with our session password, the credential only the server and this peer share; then frames
/// go to the server's endpoint and the other side's come from it. A refusal (401, 404, 486) or
/// silence means no relay for the session, said once. Not thread-safe: the host calls it under its lock.
/// </summary>
internal sealed class RelayLink(SessionId sessionId, ushort channel, IceCredentials local, RendezvousClient rendezvous, TimeProvider time, IRelayListener listener)
{
    /// <summary>Fewer tries than other requests: the session punches meanwhile and must not wait long to know whether it has a fallback.</summary>
    private const int ActivateAttempts = 5;

    /// <summary>Without traffic the server closes the relay after its idle timeout; a keepalive goes out well before.</summary>
    private static readonly TimeSpan MaxKeepaliveInterval = TimeSpan.FromSeconds(15);

    private readonly byte[] _passwordKey = ConnectivityCheck.PasswordKey(local.Password);

    public RelayState State { get; private set; } = RelayState.Idle;

    /// <summary>Where relayed frames go, and the only source relayed frames are accepted from.</summary>
    public IPEndPoint Server => rendezvous.Server;

    /// <summary>How often to send something over an otherwise idle relay.</summary>
    public TimeSpan KeepaliveInterval { get; private set; } = MaxKeepaliveInterval;

    /// <summary>Relayed frames are accepted while the relay is up or being (re)activated: the other side may already be sending.</summary>
    public bool Forwards => State is RelayState.Active or RelayState.Activating;

    /// <summary>Asks the server to relay (again, after a fallback: it may have released the allocation).</summary>
    public void Activate()
    {
        if (State is RelayState.Activating or RelayState.Unavailable)
        {
            return;
        }

        State = RelayState.Activating;
        long sentAt = time.GetTimestamp();
        var request = new RelayActivateRequest(TransactionId.NewRandom(), sessionId, local.UsernameFragment);
        rendezvous.Send(Wire.Encode(destination => request.WriteTo(destination, _passwordKey)), (kind, datagram) => OnReply(kind, datagram, sentAt), ActivateAttempts,
            withCookie: cookie => Wire.Encode(destination => (request with { TransactionId = TransactionId.NewRandom(), Cookie = cookie }).WriteTo(destination, _passwordKey)));
    }

    /// <summary>The server stopped relaying (a limit, or idle).</summary>
    public void OnClosed(string? reason)
    {
        if (State == RelayState.Unavailable)
        {
            return;
        }

        State = RelayState.Idle;
        listener.OnRelayClosed($"the relay closed: {reason ?? "no reason given"}");
    }

    private void OnReply(ReplyKind kind, ReadOnlySpan<byte> datagram, long sentAt)
    {
        if (State != RelayState.Activating)
        {
            return;
        }

        if (kind == ReplyKind.Success && RelayActivateResponse.TryRead(datagram, out var response) && response.SessionId == sessionId)
        {
            if (response.Channel != channel)
            {
                Refuse($"the relay answered with channel 0x{response.Channel:X4}, but the introduction gave 0x{channel:X4}");
                return;
            }

            State = RelayState.Active;
            var third = response.IdleTimeout / 3;
            KeepaliveInterval = third > TimeSpan.Zero && third < MaxKeepaliveInterval ? third : MaxKeepaliveInterval;
            listener.OnRelayActive(time.GetElapsedTime(sentAt));
            return;
        }

        Refuse(kind switch
        {
            ReplyKind.NoAnswer => $"server {rendezvous.Server} did not answer the relay activation",
            ReplyKind.Error when ErrorResponse.TryRead(datagram, out var error) => error.Code switch
            {
                PunchErrorCode.AllocationQuotaReached => $"the server has no relay capacity left ({error.Code} {error.Reason})",
                PunchErrorCode.Unauthenticated => $"the server refused our session credentials for the relay ({error.Code} {error.Reason})",
                PunchErrorCode.NotRegistered => $"the server no longer knows the session ({error.Code} {error.Reason})",
                _ => $"the server refused the relay: {error.Code} {error.Reason}",
            },
            _ => $"server {rendezvous.Server} sent a relay answer this peer cannot read",
        });
    }

    private void Refuse(string reason)
    {
        State = RelayState.Unavailable;
        listener.OnRelayUnavailable(reason);
    }
}
