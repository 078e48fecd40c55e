using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Punch.Core.Protocol;
using Punch.Core.Stun;
using Punch.Peer.Cli;
using Punch.Peer.Hosting;
using Punch.Peer.Rendezvous;

namespace Punch.Peer.Tests;

/// <summary>--key and PUNCH_KEY: which key signs the peer's requests, and which introductions it believes.</summary>
public class NetworkKeyTests
{
    private const string FlagKey = "flag key that is long enough";
    private const string EnvironmentKey = "environment key long enough";

    [Theory]
    [InlineData(FlagKey, null, FlagKey)]
    [InlineData(null, EnvironmentKey, EnvironmentKey)]
    [InlineData(FlagKey, EnvironmentKey, FlagKey)]
    [InlineData(null, "", null)]
    [InlineData(null, null, null)]
    public async Task Requests_are_signed_with_the_flag_key_else_PUNCH_KEY(string? flag, string? environment, string? expected)
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string[] args = ["listen", "--server", server.LocalEndPoint!.ToString()!, "--name", "alice", "--network", "home", "--bind", "127.0.0.1",
            .. flag is null ? Array.Empty<string>() : ["--key", flag]];
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var error = new StringWriter();
        var run = Task.Run(() => PeerCommandLine.RunAsync(args, TextWriter.Null, TextWriter.Synchronized(error), TextReader.Null, stop.Token,
            name => name == PeerCommandLine.KeyVariable ? environment : null));

        // NAT discovery's Binding requests go to the server alongside the Register: skip them.
        var buffer = new byte[2048];
        byte[] register = [];
        for (int datagrams = 0; datagrams < 20 && !RegisterRequest.TryRead(register, out _); datagrams++)
        {
            var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(TimeSpan.FromSeconds(5));
            register = buffer[..received.ReceivedBytes];
        }

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(RegisterRequest.TryRead(register, out _), error.ToString());
        if (expected is null)
        {
            Assert.Equal(SignatureCheck.Unsigned, MessageAuthentication.Verify(register, MessageAuthentication.DeriveKey("home", FlagKey), out _));
        }
        else
        {
            Assert.Equal(SignatureCheck.Valid, MessageAuthentication.Verify(register, MessageAuthentication.DeriveKey("home", expected), out _));
        }
    }

    [Theory]
    [InlineData("--key", "short")]
    [InlineData(PeerCommandLine.KeyVariable, "short")]
    public async Task A_short_key_is_a_usage_error_that_does_not_print_the_key(string source, string key)
    {
        var error = new StringWriter();
        string[] args = ["listen", "--server", "127.0.0.1", "--name", "alice", .. source == "--key" ? new[] { "--key", key } : []];

        int exitCode = await PeerCommandLine.RunAsync(args, TextWriter.Null, error, TextReader.Null, CancellationToken.None,
            name => source == PeerCommandLine.KeyVariable && name == PeerCommandLine.KeyVariable ? key : null).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("--key (or PUNCH_KEY) must be at least 16 characters", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_keyed_network_only_recent_introductions_signed_with_its_key_are_believed()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var key = MessageAuthentication.DeriveKey("home", FlagKey);
        var server = new IPEndPoint(IPAddress.Loopback, 3478);
        var keyed = new RendezvousClient(server, new NullSender(), time, key);
        var open = new RendezvousClient(server, new NullSender(), time);
        var introduction = new Introduction(TransactionId.NewRandom(), new SessionId(1), "bob", true, new IceCredentials("a", "b"), new IceCredentials("c", "d"), []);
        byte[] Signed(byte[] signingKey, TimeSpan age) => Wire.Encode(d => introduction.WriteTo(d, new MessageSignature(signingKey, time.GetUtcNow() - age)));

        Assert.True(keyed.IsAuthentic(Signed(key, TimeSpan.Zero)));
        Assert.True(keyed.IsAuthentic(Signed(key, TimeSpan.FromSeconds(40))), "a retransmission of the same bytes is still believed");
        Assert.False(keyed.IsAuthentic(Wire.Encode(introduction.WriteTo)), "unsigned");
        Assert.False(keyed.IsAuthentic(Signed(MessageAuthentication.DeriveKey("home", EnvironmentKey), TimeSpan.Zero)), "another key");
        Assert.False(keyed.IsAuthentic(Signed(MessageAuthentication.DeriveKey("work", FlagKey), TimeSpan.Zero)), "the same key for another network");
        Assert.False(keyed.IsAuthentic(Signed(key, TimeSpan.FromMinutes(5))), "an old introduction replayed");
        Assert.True(open.IsAuthentic(Wire.Encode(introduction.WriteTo)));
    }

    private sealed class NullSender : IDatagramSender
    {
        public void Send(IPEndPoint to, ReadOnlySpan<byte> datagram)
        {
        }
    }
}
