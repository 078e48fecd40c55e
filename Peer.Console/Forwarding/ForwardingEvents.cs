using System.Net;
using Punch.Core.Protocol;
using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

/// <summary><c>punch forward</c> listens on <see cref="Listen"/>; connections there go to <see cref="Peer"/>'s service.</summary>
public sealed record ForwardingEvent(string Peer, SessionId SessionId, IPEndPoint Listen) : PeerEvent
{
    public override string EventName => "forwarding";
}

/// <summary><c>punch expose</c> is registered and hands every stream a peer opens to <see cref="Local"/>.</summary>
public sealed record ExposingEvent(string Name, string Local) : PeerEvent
{
    public override string EventName => "exposing";
}

/// <summary>The end-to-end encrypted stream connection with a peer is up (keys agreed).</summary>
public sealed record StreamsUpEvent(string Peer, SessionId SessionId) : PeerEvent
{
    public override string EventName => "streams";
}

/// <summary>
/// One forwarded TCP connection: <see cref="State"/> is <c>opened</c>, then <c>closed</c> (both sides
/// finished) or <c>failed</c> with <see cref="Reason"/> (a refused local service, a reset, a broken connection).
/// <see cref="BytesIn"/> came from the peer, <see cref="BytesOut"/> went to it.
/// </summary>
public sealed record TunnelEvent(string Peer, ulong Stream, string State, string Endpoint, long BytesIn = 0, long BytesOut = 0, string? Reason = null) : PeerEvent
{
    public override string EventName => "tunnel";
}

/// <summary>The JSON fields of the forwarding events (docs/peer-json.md).</summary>
internal static class ForwardingJson
{
    public static void WriteFields(System.Text.Json.Utf8JsonWriter json, PeerEvent peerEvent)
    {
        switch (peerEvent)
        {
            case ForwardingEvent e:
                json.WriteString("peer", e.Peer);
                json.WriteString("sessionId", e.SessionId.ToString());
                json.WriteString("listen", e.Listen.ToString());
                break;
            case ExposingEvent e:
                json.WriteString("name", e.Name);
                json.WriteString("local", e.Local);
                break;
            case StreamsUpEvent e:
                json.WriteString("peer", e.Peer);
                json.WriteString("sessionId", e.SessionId.ToString());
                break;
            case TunnelEvent e:
                json.WriteString("peer", e.Peer);
                json.WriteNumber("stream", e.Stream);
                json.WriteString("state", e.State);
                json.WriteString("endpoint", e.Endpoint);
                if (e.State != "opened")
                {
                    json.WriteNumber("bytesIn", e.BytesIn);
                    json.WriteNumber("bytesOut", e.BytesOut);
                }

                if (e.Reason is not null)
                {
                    json.WriteString("reason", e.Reason);
                }

                break;
        }
    }
}
