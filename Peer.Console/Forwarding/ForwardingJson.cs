using Punch.Peer.Output;

namespace Punch.Peer.Forwarding;

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
