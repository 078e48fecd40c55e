using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Punch.Server.Udp;

namespace Punch.Server.Rendezvous.Sockets;

/// <summary>
/// What a batched receive thread hands its handlers as the sender: replies are queued and leave in one
/// sendmmsg after the received batch is handled, from the same socket (so from the port the requests
/// came to). A relayed frame is not copied: its message points at the received slot, which stays put
/// until the flush. Used by its own thread only.
/// </summary>
internal sealed unsafe class BatchSender(Socket socket, DatagramBatch batch, DatagramBatch received, RendezvousStats stats, IRawDatagramSender direct) : IRawDatagramSender
{
    private readonly nint _handle = socket.Handle;
    private readonly AddressFamily _family = socket.AddressFamily;
    private int _count;
    private bool _unbatched;

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
    {
        if (_unbatched || !TryQueue(datagram, out int index))
        {
            SendNow(datagram, to);
            return;
        }

        int nameLength = SocketAddressWriter.Write(to, _family, batch.NameSlot(index));
        if (nameLength == 0)
        {
            // An IPv6 destination on an IPv4 socket: nowhere to send, as SendTo would have refused.
            return;
        }

        batch.SetMessage(index, Data(datagram, index), nameLength);
        _count++;
    }

    public void Send(ReadOnlySpan<byte> datagram, SocketAddress to)
    {
        if (_unbatched || !TryQueue(datagram, out int index))
        {
            SendNow(datagram, to);
            return;
        }

        to.Buffer.Span[..to.Size].CopyTo(batch.NameSlot(index));
        batch.SetMessage(index, Data(datagram, index), to.Size);
        _count++;
    }

    /// <summary>Sends what is queued. sendmmsg may stop early (returns how many left); a failing message is skipped, as a failed SendTo was.</summary>
    public void Flush()
    {
        int sent = 0;
        // Each round sends at least one message or skips one: at most Capacity rounds.
        while (sent < _count)
        {
            int result = LinuxSockets.SendMessages(_handle, batch.Headers + sent, (uint)(_count - sent), 0);
            if (result > 0)
            {
                for (int i = 0; i < result; i++)
                {
                    stats.Sent();
                }

                sent += result;
                continue;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error is LinuxSockets.NotImplemented or LinuxSockets.NotSupported)
            {
                // No sendmmsg here: send this batch one by one, and every later one at once.
                _unbatched = true;
                SendOneByOne(sent);
                break;
            }

            // UDP sends fail only locally (no route, buffer full, an ICMP error of an earlier send): the peer's retransmission covers it.
            sent++;
        }

        _count = 0;
    }

    private bool TryQueue(ReadOnlySpan<byte> datagram, out int index)
    {
        if (_count == batch.Capacity)
        {
            Flush();
        }

        index = _count;
        return received.Holds(datagram) || datagram.Length <= batch.SlotSize;
    }

    /// <summary>A relayed frame is sent from where it was received (zero copy); a reply from the scratch buffer is copied to its slot.</summary>
    private ReadOnlySpan<byte> Data(ReadOnlySpan<byte> datagram, int index)
    {
        if (received.Holds(datagram))
        {
            return datagram;
        }

        var slot = batch.Slot(index);
        datagram.CopyTo(slot);
        return slot[..datagram.Length];
    }

    private void SendOneByOne(int from)
    {
        for (int i = from; i < _count; i++)
        {
            var header = batch.Headers[i];
            var vector = (IoVector*)header.IoVectors;
            var data = new ReadOnlySpan<byte>((void*)vector->Base, (int)vector->Length);
            var name = new ReadOnlySpan<byte>((void*)header.Name, (int)header.NameLength);
            var to = new SocketAddress(_family, name.Length);
            name.CopyTo(to.Buffer.Span);
            SendNow(data, to);
        }
    }

    /// <summary>What does not fit a slot, or every datagram once the kernel refused sendmmsg: one sendto now.</summary>
    private void SendNow(ReadOnlySpan<byte> datagram, IPEndPoint to) => direct.Send(datagram, to);

    private void SendNow(ReadOnlySpan<byte> datagram, SocketAddress to) => direct.Send(datagram, to);
}
