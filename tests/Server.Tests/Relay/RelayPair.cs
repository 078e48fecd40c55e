using System.Buffers.Binary;
using System.Net;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Server.Tests.Rendezvous;

namespace Punch.Server.Tests.Relay;

/// <summary>Two raw clients, registered, introduced to each other and acknowledged: a session with a relay channel, nothing activated yet.</summary>
public sealed class RelayPair : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(5);

    private RelayPair(UdpTestClient alice, UdpTestClient bob, Introduction toAlice, Introduction toBob)
    {
        Alice = alice;
        Bob = bob;
        ToAlice = toAlice;
        ToBob = toBob;
    }

    public static readonly PeerIdentity AliceId = new("default", "alice");
    public static readonly PeerIdentity BobId = new("default", "bob");

    public UdpTestClient Alice { get; }
    public UdpTestClient Bob { get; }
    public Introduction ToAlice { get; }
    public Introduction ToBob { get; }
    public SessionId SessionId => ToAlice.SessionId;
    public ushort Channel => ToAlice.RelayChannel ?? throw new InvalidOperationException("the introduction carried no relay channel");

    /// <param name="network">Another network makes another pair of the same names (for tests that need two sessions).</param>
    public static Task<RelayPair> IntroduceAsync(IPEndPoint server, string network = "default") =>
        IntroduceAsync(new UdpTestClient(server), new UdpTestClient(server), network);

    /// <summary>Like the above with clients of the caller's choosing (e.g. one over IPv4 and one over IPv6).</summary>
    public static async Task<RelayPair> IntroduceAsync(UdpTestClient alice, UdpTestClient bob, string network = "default")
    {
        await alice.RequestAsync(alice.Build(b => new RegisterRequest(TransactionId.NewRandom(), AliceId with { Network = network }, []).WriteTo(b)));
        await bob.RequestAsync(bob.Build(b => new RegisterRequest(TransactionId.NewRandom(), BobId with { Network = network }, []).WriteTo(b)));
        await alice.RequestAsync(alice.Build(b => new ConnectRequest(TransactionId.NewRandom(), AliceId with { Network = network }, "bob").WriteTo(b)));
        var toAlice = await ReceiveAsync<Introduction>(alice, Introduction.TryRead);
        var toBob = await ReceiveAsync<Introduction>(bob, Introduction.TryRead);
        alice.Send(alice.Build(b => new IntroductionAck(toAlice.TransactionId, toAlice.SessionId).WriteTo(b)));
        bob.Send(bob.Build(b => new IntroductionAck(toBob.TransactionId, toBob.SessionId).WriteTo(b)));
        return new RelayPair(alice, bob, toAlice, toBob);
    }

    /// <summary>A RelayActivate as the peer that got <paramref name="introduction"/> signs it (its local ufrag and password), or with another password.</summary>
    public static byte[] ActivateRequest(Introduction introduction, string? password = null, AddressCookie? cookie = null)
    {
        var buffer = new byte[StunConstants.MaxMessageLength];
        int length = new RelayActivateRequest(TransactionId.NewRandom(), introduction.SessionId, introduction.Local.UsernameFragment, cookie)
            .WriteTo(buffer, ConnectivityCheck.PasswordKey(password ?? introduction.Local.Password));
        return buffer[..length];
    }

    public async Task<RelayActivateResponse> ActivateAsync(UdpTestClient client, Introduction introduction)
    {
        var reply = await client.RequestAsync(ActivateRequest(introduction));
        Assert.True(RelayActivateResponse.TryRead(reply, out var response), "the activation succeeded");
        return response;
    }

    public async Task ActivateBothAsync()
    {
        await ActivateAsync(Alice, ToAlice);
        await ActivateAsync(Bob, ToBob);
    }

    /// <summary>A ChannelData-style frame of the session's channel with <paramref name="payloadLength"/> bytes of numbered payload (the relay does not read past the header).</summary>
    public byte[] Frame(int payloadLength, byte marker = 0x5A)
    {
        var frame = new byte[4 + payloadLength];
        BinaryPrimitives.WriteUInt16BigEndian(frame, Channel);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payloadLength);
        for (int i = 4; i < frame.Length; i++)
        {
            frame[i] = (byte)(marker + i);
        }

        return frame;
    }

    public static Report ReportPathUp(Introduction introduction, PeerIdentity peer, PathKind path) => new(
        new ReportRequest(TransactionId.NewRandom(), peer, introduction.SessionId, SessionOutcome.PathUp, path, BytesDirect: 100, BytesRelayed: 2000));

    /// <summary>The next relay frame (first two bits 01), skipping STUN messages such as a late introduction.</summary>
    public static Task<byte[]> ReceiveFrameAsync(UdpTestClient client) =>
        ReceiveMatchingAsync(client, datagram => datagram.Length >= 4 && (datagram[0] & 0xC0) == 0x40);

    public static Task<RelayClosedIndication> ReceiveClosedAsync(UdpTestClient client) =>
        ReceiveAsync<RelayClosedIndication>(client, RelayClosedIndication.TryRead);

    /// <summary>True when no relay frame arrives within <paramref name="quiet"/> (STUN messages are ignored).</summary>
    public static async Task<bool> NoFrameWithinAsync(UdpTestClient client, TimeSpan quiet)
    {
        try
        {
            await ReceiveMatchingAsync(client, datagram => (datagram[0] & 0xC0) == 0x40, quiet);
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            return true;
        }
    }

    public delegate bool Reader<T>(ReadOnlySpan<byte> datagram, out T value);

    private static async Task<T> ReceiveAsync<T>(UdpTestClient client, Reader<T> read)
    {
        T value = default!;
        await ReceiveMatchingAsync(client, datagram => read(datagram, out value));
        return value;
    }

    private static async Task<byte[]> ReceiveMatchingAsync(UdpTestClient client, Func<byte[], bool> wanted, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? ReceiveTimeout);
        while (DateTime.UtcNow < deadline)
        {
            var left = deadline - DateTime.UtcNow;
            var datagram = await client.ReceiveAsync(left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1));
            if (wanted(datagram))
            {
                return datagram;
            }
        }

        throw new TimeoutException("the expected datagram did not arrive");
    }

    public void Dispose()
    {
        Alice.Dispose();
        Bob.Dispose();
    }

    /// <summary>A report ready to send.</summary>
    public readonly record struct Report(ReportRequest Request)
    {
        public byte[] Bytes()
        {
            var buffer = new byte[StunConstants.MaxMessageLength];
            return buffer[..Request.WriteTo(buffer)];
        }
    }
}
