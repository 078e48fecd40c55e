using System.Buffers;
using System.Text;
using System.Text.Json;
using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Peer.Output;

/// <summary>One JSON object per line (schema: docs/peer-json.md), so scripts and tests can follow a peer with a line reader.</summary>
public sealed class JsonLinesSink(TextWriter output) : IPeerEventSink
{
    private readonly Lock _gate = new();

    public void Emit(PeerEvent peerEvent)
    {
        string line = Format(peerEvent);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public static string Format(PeerEvent peerEvent)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", peerEvent.EventName);
            WriteFields(json, peerEvent);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteFields(Utf8JsonWriter json, PeerEvent peerEvent)
    {
        switch (peerEvent)
        {
            case RegisteredEvent e:
                json.WriteString("name", e.Identity.Name);
                json.WriteString("network", e.Identity.Network);
                json.WriteString("publicEndpoint", e.PublicEndPoint.ToString());
                if (e.OtherFamilyPublicEndPoint is { } other)
                {
                    json.WriteString("otherFamilyPublicEndpoint", other.ToString());
                }

                json.WriteNumber("lifetimeSeconds", (long)e.Lifetime.TotalSeconds);
                json.WriteString("natMapping", MappingName(e.Mapping));
                WriteNat(json, e.Nat);
                break;
            case NatDiscoveredEvent e:
                WriteNat(json, e.Nat);
                json.WriteStartArray("notes");
                foreach (var note in e.Notes)
                {
                    json.WriteStringValue(note);
                }

                json.WriteEndArray();
                break;
            case WaitingEvent e:
                json.WriteString("peer", e.Peer);
                break;
            case IntroducedEvent e:
                WriteSession(json, e.Peer, e.SessionId);
                json.WriteBoolean("controlling", e.Controlling);
                json.WriteStartArray("candidates");
                foreach (var candidate in e.Candidates)
                {
                    json.WriteStartObject();
                    json.WriteString("kind", Candidate.KindName(candidate.Kind));
                    json.WriteString("family", AddressScope.FamilyName(candidate.EndPoint));
                    json.WriteString("endpoint", candidate.EndPoint.ToString());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteString("remoteNatMapping", MappingName(e.RemoteMapping));
                json.WriteString("remoteNatFiltering", e.RemoteFiltering.Text());
                json.WriteString("strategy", StrategyName(e.Strategy));
                if (e.PredictionCount > 0)
                {
                    json.WriteNumber("predictionCount", e.PredictionCount);
                }

                break;
            case PathEvent e:
                WriteSession(json, e.Peer, e.SessionId);
                json.WriteString("kind", PathKindName(e.Kind));
                json.WriteString("remote", e.Remote.ToString());
                json.WriteString("candidate", Candidate.KindName(e.Candidate));
                json.WriteString("family", AddressScope.FamilyName(e.Remote));
                if (e.Previous is { } previous)
                {
                    json.WriteString("previous", PathKindName(previous));
                }

                if (e.Reason is not null)
                {
                    json.WriteString("reason", e.Reason);
                }

                json.WriteNumber("elapsedMs", Milliseconds(e.Elapsed));
                json.WriteNumber("rttMs", Milliseconds(e.RoundTripTime));
                if (e.Socket != 0)
                {
                    json.WriteNumber("socket", e.Socket);
                }

                break;
            case PongEvent e:
                WriteSession(json, e.Peer, e.SessionId);
                json.WriteNumber("seq", e.Sequence);
                json.WriteNumber("rttMs", Milliseconds(e.RoundTripTime));
                break;
            case PingsDoneEvent e:
                WriteSession(json, e.Peer, e.SessionId);
                json.WriteNumber("sent", e.Summary.Sent);
                json.WriteNumber("received", e.Summary.Received);
                WriteOptionalMilliseconds(json, "minRttMs", e.Summary.Min);
                WriteOptionalMilliseconds(json, "avgRttMs", e.Summary.Average);
                WriteOptionalMilliseconds(json, "maxRttMs", e.Summary.Max);
                break;
            case MessageEvent e:
                WriteSession(json, e.Peer, e.SessionId);
                json.WriteString("text", e.Text);
                break;
            case FailedEvent e:
                WriteOptionalSession(json, e.Peer, e.SessionId);
                json.WriteString("reason", e.Reason);
                break;
            case ClosedEvent e:
                WriteOptionalSession(json, e.Peer, e.SessionId);
                json.WriteString("reason", e.Reason);
                break;
            case WarningEvent e:
                json.WriteString("text", e.Text);
                break;
            case PortMapping.PortMappingEvent e:
                json.WriteString("state", e.State);
                json.WriteString("method", e.Method);
                json.WriteString("external", e.External?.ToString());
                if (e.Lifetime is { } lifetime)
                {
                    json.WriteNumber("lifetimeSeconds", (long)lifetime.TotalSeconds);
                }

                json.WriteString("detail", e.Detail);
                break;
            default:
                Forwarding.ForwardingJson.WriteFields(json, peerEvent);
                break;
        }
    }

    /// <summary>Filtering in RFC 4787 words or "unknown"; hairpinning and port preservation as true, false or null (unknown).</summary>
    private static void WriteNat(Utf8JsonWriter json, NatReport nat)
    {
        json.WriteString("natFiltering", nat.Filtering.Text());
        WriteFlag(json, "hairpinning", nat.Hairpinning);
        WriteFlag(json, "portPreserved", nat.PortPreserved);
    }

    private static void WriteFlag(Utf8JsonWriter json, string name, bool? flag)
    {
        if (flag is { } value)
        {
            json.WriteBoolean(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    public static string MappingName(NatMapping mapping) => mapping switch
    {
        NatMapping.EndpointIndependent => "endpoint-independent",
        NatMapping.EndpointDependent => "endpoint-dependent",
        _ => "unknown",
    };

    public static string PathKindName(PathKind kind) => kind == PathKind.Direct ? "direct" : "relayed";

    public static string StrategyName(PunchStrategy strategy) => strategy switch
    {
        PunchStrategy.OpenManySockets => "open-many-sockets",
        PunchStrategy.SprayPorts => "spray-ports",
        PunchStrategy.Impossible => "impossible",
        _ => "regular",
    };

    private static void WriteSession(Utf8JsonWriter json, string peer, SessionId sessionId)
    {
        json.WriteString("peer", peer);
        json.WriteString("sessionId", sessionId.ToString());
    }

    private static void WriteOptionalSession(Utf8JsonWriter json, string? peer, SessionId? sessionId)
    {
        if (peer is not null)
        {
            json.WriteString("peer", peer);
        }

        if (sessionId is { } id)
        {
            json.WriteString("sessionId", id.ToString());
        }
    }

    private static void WriteOptionalMilliseconds(Utf8JsonWriter json, string name, TimeSpan? value)
    {
        if (value is { } span)
        {
            json.WriteNumber(name, Milliseconds(span));
        }
    }

    /// <summary>Microsecond resolution is plenty for loopback RTTs and keeps the numbers readable.</summary>
    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3);
}
