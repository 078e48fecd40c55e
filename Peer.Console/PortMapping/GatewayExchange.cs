using System.Net;
using System.Net.Sockets;

namespace Punch.Peer.PortMapping;

/// <summary>
/// One UDP request to the gateway and the first answer that reads, for PCP and NAT-PMP (both on port 5351). The
/// socket is connected, so the OS drops datagrams from anyone else (RFC 6886 §3.1 and RFC 6887 §8.3: only the
/// gateway's answers count). Retransmits within the time limit (RFC 6886 §3.1 starts at 250 ms and doubles; our
/// whole budget is a few hundred milliseconds, so the first resend comes at a quarter of it). An ICMP port
/// unreachable (nothing listens on 5351) ends the exchange at once. Answers that do not read are counted and dropped.
/// </summary>
internal static class GatewayExchange
{
    public enum Outcome
    {
        Answered,
        NoAnswer,
        /// <summary>The gateway said nothing listens there (ICMP port unreachable).</summary>
        Refused,
        /// <summary>No route to the gateway, or no usable local address.</summary>
        Unreachable,
    }

    /// <summary>A socket connected to <paramref name="gateway"/>: its local address is the one our requests leave from (PCP's client address, §8.1).</summary>
    public static Socket Connect(IPEndPoint gateway)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(gateway);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="request"/> until <paramref name="read"/> accepts an answer or <paramref name="wait"/> is over.</summary>
    public static async Task<(Outcome Outcome, T? Answer)> AskAsync<T>(Socket socket, byte[] request, TimeSpan wait, Func<ReadOnlyMemory<byte>, T?> read, PortMappingCounters counters, CancellationToken cancellationToken)
        where T : class
    {
        var buffer = new byte[1100]; // RFC 6887 §7: no PCP message is longer; NAT-PMP's are shorter.
        using var overall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        overall.CancelAfter(wait);
        var resendEvery = wait / 4;
        try
        {
            for (int sends = 0; sends < 4; sends++)
            {
                await socket.SendAsync(request, SocketFlags.None, overall.Token);
                using var untilResend = CancellationTokenSource.CreateLinkedTokenSource(overall.Token);
                untilResend.CancelAfter(resendEvery * (1 << sends));
                try
                {
                    for (int received = 0; received < 16; received++)
                    {
                        int length = await socket.ReceiveAsync(buffer, SocketFlags.None, untilResend.Token);
                        if (read(buffer.AsMemory(0, length)) is { } answer)
                        {
                            return (Outcome.Answered, answer);
                        }

                        counters.CountDropped();
                    }
                }
                catch (OperationCanceledException) when (!overall.IsCancellationRequested)
                {
                    // Time to resend.
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Outcome.NoAnswer, null);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset)
        {
            return (Outcome.Refused, null);
        }
        catch (SocketException)
        {
            return (Outcome.Unreachable, null);
        }

        return (Outcome.NoAnswer, null);
    }
}
