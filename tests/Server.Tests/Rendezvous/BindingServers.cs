using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Punch.Server.Rendezvous;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Rendezvous;

/// <summary>
/// Two rendezvous servers on loopback for Binding tests: one with RFC 5780's alternate address
/// (127.0.0.2, on Linux part of lo without setup) and alternate port, one with the alternate port only.
/// </summary>
public sealed class BindingServers : IAsyncLifetime
{
    public const string AlternateAddress = "127.0.0.2";
    private readonly TempDatabase _rfc5780Database = new();
    private readonly TempDatabase _portOnlyDatabase = new();

    public PunchAppFactory Rfc5780 { get; private set; } = null!;
    public PunchAppFactory PortOnly { get; private set; } = null!;

    public IPEndPoint Rfc5780Primary => Endpoint(Rfc5780).LocalEndPoint!;
    public IPEndPoint Rfc5780AlternatePort => Endpoint(Rfc5780).ProbeEndPoint!;
    public IPEndPoint Rfc5780Other => new(IPAddress.Parse(AlternateAddress), Rfc5780AlternatePort.Port);
    public IPEndPoint PortOnlyPrimary => Endpoint(PortOnly).LocalEndPoint!;
    public IPEndPoint PortOnlyAlternatePort => Endpoint(PortOnly).ProbeEndPoint!;

    public Task InitializeAsync()
    {
        Rfc5780 = new PunchAppFactory(_rfc5780Database, new Dictionary<string, string?> { ["Rendezvous:AlternateAddress"] = AlternateAddress });
        PortOnly = new PunchAppFactory(_portOnlyDatabase);
        _ = Rfc5780.Services;
        _ = PortOnly.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Rfc5780.DisposeAsync();
        await PortOnly.DisposeAsync();
        _rfc5780Database.Dispose();
        _portOnlyDatabase.Dispose();
    }

    private static RendezvousEndpoint Endpoint(PunchAppFactory app) => app.Services.GetRequiredService<RendezvousEndpoint>();
}
