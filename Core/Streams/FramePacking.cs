namespace Punch.Core.Streams;

/// <summary>Puts a stream's frames into a packet being built: its control frames (reset, stop, credit), then one STREAM frame of lost, new or final data.</summary>
internal static class FramePacking
{
    /// <summary>Below this much room in a packet no further STREAM frame is started.</summary>
    public const int MinFrameRoom = 24;

    public static void WriteControl(TransportStream stream, Span<byte> packet, ref int position, List<SentFrame> sent)
    {
        if (stream.Send is { ResetPending: true, Reset: { } reset }
            && TryPut(packet, ref position, reset with { StreamId = stream.Id }))
        {
            stream.Send.ResetPending = false;
            sent.Add(new SentFrame(SentFrameKind.ResetStream, stream.Id));
        }

        if (stream.Receive.StopPending && TryPut(packet, ref position, new StopSendingFrame(stream.Id, stream.Send.Reset?.Code ?? StreamErrorCode.Cancelled)))
        {
            stream.Receive.StopPending = false;
            sent.Add(new SentFrame(SentFrameKind.StopSending, stream.Id));
        }

        if (stream.Receive.CreditPending && TryPut(packet, ref position, CreditFrame.MaxStreamData(stream.Id, stream.Receive.AdvertisedLimit)))
        {
            stream.Receive.CreditPending = false;
            sent.Add(new SentFrame(SentFrameKind.MaxStreamData, stream.Id));
        }
    }

    /// <summary>One STREAM frame of lost data, else of new data, else a lone FIN; true when one was written.</summary>
    public static bool WriteData(TransportStream stream, ConnectionFlow flow, Span<byte> packet, ref int position, List<SentFrame> sent)
    {
        var send = stream.Send;
        if (send.Reset is not null)
        {
            return false;
        }

        int room = packet.Length - position - StreamFrame.HeaderLength(stream.Id, send.Written, packet.Length);
        (ulong Offset, int Length, bool Fin) chunk;
        if (send.HasLost)
        {
            chunk = send.TakeLost(room);
        }
        else if (send.NewBytesAllowed > 0 && flow.Credit > 0)
        {
            chunk = send.TakeNew((int)Math.Min((ulong)room, flow.Credit));
            flow.OnSent(chunk.Length);
        }
        else if (send.WantsLoneFin)
        {
            chunk = (send.Written, 0, true);
        }
        else if (!send.Announced)
        {
            chunk = (0, 0, false);
        }
        else
        {
            return false;
        }

        // The header, then the bytes straight from the send buffer: no copy per frame.
        position += StreamFrame.WriteHeader(packet[position..], stream.Id, chunk.Offset, chunk.Length, chunk.Fin);
        send.CopyTo(chunk.Offset, packet.Slice(position, chunk.Length));
        position += chunk.Length;
        send.FinSent |= chunk.Fin;
        send.Announced = true;
        sent.Add(new SentFrame(SentFrameKind.Stream, stream.Id, chunk.Offset, chunk.Length, chunk.Fin));
        return true;
    }

    public static bool TryPut<T>(Span<byte> packet, ref int position, T frame) where T : struct
    {
        int length = frame switch
        {
            CreditFrame credit => credit.EncodedLength,
            ResetStreamFrame reset => reset.EncodedLength,
            StopSendingFrame stop => stop.EncodedLength,
            _ => throw new ArgumentException("Not a control frame.", nameof(frame)),
        };
        if (packet.Length - position < length)
        {
            return false;
        }

        position += frame switch
        {
            CreditFrame credit => credit.WriteTo(packet[position..]),
            ResetStreamFrame reset => reset.WriteTo(packet[position..]),
            _ => ((StopSendingFrame)(object)frame).WriteTo(packet[position..]),
        };
        return true;
    }
}
