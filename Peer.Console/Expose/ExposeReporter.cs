using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Punch.Peer.Expose;

/// <summary>What <c>punch expose</c> tells the person (or, with --json, the script) running it; schema in docs/peer-json.md.</summary>
public sealed class ExposeReporter(TextWriter output, bool json)
{
    private readonly Lock _gate = new();

    public void Exposed(ExposeRunOptions options, IPEndPoint control) => Write("exposed",
        $"exposed {options.LocalText} as {options.Identity.Name} on {options.Server.Address}:{options.PublicPort} (network {options.Identity.Network})",
        w =>
        {
            w.WriteString("name", options.Identity.Name);
            w.WriteString("network", options.Identity.Network);
            w.WriteString("server", options.Server.ToString());
            w.WriteString("control", control.ToString());
            w.WriteNumber("publicPort", options.PublicPort);
            w.WriteString("local", options.LocalText);
        });

    public void VisitorOpened(ulong id, IPEndPoint visitor) =>
        Write("visitor-opened", $"visitor {visitor} connected (connection {id:x16})", w => Visitor(w, id, visitor));

    public void VisitorClosed(ulong id, IPEndPoint visitor, long bytesIn, long bytesOut, string reason) =>
        Write("visitor-closed", $"visitor {visitor} closed: {bytesIn} bytes in, {bytesOut} bytes out ({reason})", w =>
        {
            Visitor(w, id, visitor);
            w.WriteNumber("bytesIn", bytesIn);
            w.WriteNumber("bytesOut", bytesOut);
            w.WriteString("reason", reason);
        });

    public void Failed(string reason) => Write("failed", $"failed: {reason}", w => w.WriteString("reason", reason));

    public void Warning(string text) => Write("warning", $"warning: {text}", w => w.WriteString("text", text));

    public void Closed(string reason) => Write("closed", $"closed: {reason}", w => w.WriteString("reason", reason));

    private static void Visitor(Utf8JsonWriter w, ulong id, IPEndPoint visitor)
    {
        w.WriteString("connectionId", $"{id:x16}");
        w.WriteString("visitor", visitor.ToString());
    }

    private void Write(string name, string human, Action<Utf8JsonWriter> fields)
    {
        string line = human;
        if (json)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("event", name);
                fields(writer);
                writer.WriteEndObject();
            }

            line = Encoding.UTF8.GetString(buffer.WrittenSpan);
        }

        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
