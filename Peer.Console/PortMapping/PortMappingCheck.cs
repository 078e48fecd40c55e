using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Punch.Peer.PortMapping;

/// <summary>
/// <c>punch netcheck</c>'s port mapping part: asks the router (PCP, NAT-PMP, UPnP IGD, as a peer does) to map a
/// socket of its own for a moment, reports which protocol answered and the mapped address, and deletes the mapping.
/// Each protocol is tried here even after one granted, so the report says which of them the router speaks.
/// </summary>
internal static class PortMappingCheck
{
    /// <summary>PCP's least lifetime (RFC 6887 §15: a server raises less to 120 s); deleted right after anyway.</summary>
    private static readonly TimeSpan ProbeLifetime = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan DeleteWait = TimeSpan.FromSeconds(2);

    public static async Task<PortMappingResult> RunAsync(PortMappingSettings settings, IPAddress bind, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(bind, 0));
        ushort port = (ushort)((IPEndPoint)socket.LocalEndPoint!).Port;
        var clients = settings.CreateClients(new PortMappingCounters());
        foreach (var client in clients)
        {
            client.Prepare(cancellationToken);
        }

        var attempts = new List<PortMappingAttempt>();
        PortMappingGrant? first = null;
        IPortMappingClient? firstClient = null;
        foreach (var client in clients)
        {
            var attempt = await client.MapAsync(port, ProbeLifetime, null, cancellationToken);
            attempts.Add(attempt);
            if (attempt.Grant is { } grant)
            {
                using var limit = new CancellationTokenSource(DeleteWait);
                await client.DeleteAsync(grant, limit.Token).WaitAsync(DeleteWait + DeleteWait, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
                if (first is null)
                {
                    first = grant;
                    firstClient = client;
                }
            }
        }

        return new PortMappingResult(attempts, first, firstClient);
    }

    public static string Human(PortMappingResult? result)
    {
        if (result is null)
        {
            return "port mapping:    not checked" + Environment.NewLine;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"port mapping:    {(result.Grant is { } grant ? $"{PortMappingMethods.Name(grant.Method)} mapped {grant.External}" : "none")}");
        foreach (var method in Enum.GetValues<PortMappingMethod>())
        {
            var attempt = result.Attempts.FirstOrDefault(a => a.Method == method);
            string name = PortMappingMethods.Name(method) + ":";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {name,-9}      {(attempt is null ? "not tried (no default gateway)" : $"{(attempt.Answered ? "answered" : "no answer")}: {attempt.Detail}")}");
        }

        return text.ToString();
    }

    /// <summary>The <c>portMapping</c> object of the JSON output (null when not checked).</summary>
    public static void WriteJson(Utf8JsonWriter json, PortMappingResult? result)
    {
        if (result is null)
        {
            json.WriteNull("portMapping");
            return;
        }

        json.WriteStartObject("portMapping");
        json.WriteString("mapped", result.Grant?.External.ToString());
        json.WriteString("method", result.Grant is { } grant ? PortMappingMethods.JsonName(grant.Method) : null);
        foreach (var method in Enum.GetValues<PortMappingMethod>())
        {
            var attempt = result.Attempts.FirstOrDefault(a => a.Method == method);
            json.WriteStartObject(PortMappingMethods.JsonName(method));
            json.WriteBoolean("answered", attempt?.Answered ?? false);
            json.WriteString("external", attempt?.Grant?.External.ToString());
            json.WriteString("detail", attempt?.Detail ?? "not tried (no default gateway)");
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    /// <summary>Adds the <c>portMapping</c> object to netcheck's JSON object (written by <c>NetcheckOutput.Json</c>).</summary>
    public static string AddToJson(string jsonObject, PortMappingResult? result)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            using var document = JsonDocument.Parse(jsonObject);
            json.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                property.WriteTo(json);
            }

            WriteJson(json, result);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
