using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Punch.Core.Discovery;

namespace Punch.Peer.Netcheck;

/// <summary><c>punch netcheck</c>'s two outputs: a few lines for a person, or one JSON object (docs/peer-json.md).</summary>
public static class NetcheckOutput
{
    public static string Human(IPEndPoint server, DiscoveryResult result) => Human(server, result, Ipv6Status.Of(server, result));

    public static string Human(IPEndPoint server, DiscoveryResult result, Ipv6Status ipv6)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"server:          {server}{(result.OtherAddress is { } other ? $" (other address {other})" : " (no RFC 5780 other address)")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"public endpoint: {result.PublicEndPoint?.ToString() ?? "unknown"}{(result.BehindNat == false ? " (no NAT: same as local)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"mapping:         {result.Mapping.Text()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"filtering:       {result.Filtering.Text()}");
        text.AppendLine(CultureInfo.InvariantCulture, $"hairpinning:     {YesNo(result.Hairpinning)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"port preserved:  {YesNo(result.PortPreserved)} (local {result.LocalEndPoint})");
        if (result.Lifetime is { } lifetime)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"mapping lifetime: at least {lifetime.AtLeast.TotalSeconds:0} s{(lifetime.Below is { } below ? $", less than {below.TotalSeconds:0} s" : string.Empty)}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"ipv6:            {ipv6.Describe()}");

        foreach (string note in result.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"note: {note}");
        }

        return text.ToString();
    }

    public static string Json(IPEndPoint server, DiscoveryResult result) => Json(server, result, Ipv6Status.Of(server, result));

    public static string Json(IPEndPoint server, DiscoveryResult result, Ipv6Status ipv6)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("server", server.ToString());
            WriteOptional(json, "otherAddress", result.OtherAddress?.ToString());
            WriteOptional(json, "publicEndpoint", result.PublicEndPoint?.ToString());
            WriteOptional(json, "localEndpoint", result.LocalEndPoint?.ToString());
            WriteOptional(json, "behindNat", result.BehindNat);
            json.WriteString("mapping", result.Mapping.Text());
            json.WriteString("filtering", result.Filtering.Text());
            WriteOptional(json, "hairpinning", result.Hairpinning);
            WriteOptional(json, "portPreserved", result.PortPreserved);
            if (result.Lifetime is { } lifetime)
            {
                json.WriteStartObject("lifetime");
                json.WriteNumber("atLeastSeconds", (long)lifetime.AtLeast.TotalSeconds);
                if (lifetime.Below is { } below)
                {
                    json.WriteNumber("belowSeconds", (long)below.TotalSeconds);
                }
                else
                {
                    json.WriteNull("belowSeconds");
                }

                json.WriteEndObject();
            }

            json.WriteStartObject("ipv6");
            WriteOptional(json, "reachable", ipv6.Reachable);
            WriteOptional(json, "publicAddress", ipv6.PublicAddress?.ToString());
            WriteOptional(json, "nat66", ipv6.WithoutNat is { } withoutNat ? !withoutNat : null);
            WriteOptional(json, "checkedAt", ipv6.CheckedAt?.ToString());
            json.WriteStartArray("globalAddresses");
            foreach (var address in ipv6.GlobalAddresses)
            {
                json.WriteStringValue(address.ToString());
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartArray("notes");
            foreach (string note in result.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string YesNo(bool? value) => value switch { true => "yes", false => "no", _ => "unknown" };

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } flag)
        {
            json.WriteBoolean(name, flag);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
