using Punch.Tests.Shared;

namespace Punch.Server.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Theory]
    [InlineData("Nonsense=1")]
    [InlineData("Data Source=")]
    [InlineData("Data Source=/nonexistent-punch-dir/sub/punch.db")]
    public async Task A_bad_connection_string_fails_the_start_naming_the_setting(string connectionString)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["ConnectionStrings:Punch"] = connectionString });

        string error = await app.StartupFailureAsync();

        Assert.Contains("ConnectionStrings:Punch", error);
    }

    [Fact]
    public async Task Invalid_event_options_fail_the_start()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Events:WriteRetryDelay"] = "-00:00:01" });

        string error = await app.StartupFailureAsync();

        Assert.Contains("Events:WriteRetryDelay", error);
    }

    [Theory]
    [InlineData("Rendezvous:Port", "70000")]
    [InlineData("Rendezvous:BindAddress", "not-an-address")]
    [InlineData("Rendezvous:PeerLifetime", "00:00:01")]
    [InlineData("Networks:home:Key", "too short")]
    [InlineData("Rendezvous:PublicAddressV6", "203.0.113.7")]  // not IPv6
    [InlineData("Rendezvous:PublicAddressV6", "2001:db8::7")]  // BindAddress is 0.0.0.0: IPv6 never reaches this listener
    [InlineData("Rendezvous:PublicAddressV4", "fe80::1")]
    public async Task Invalid_rendezvous_options_fail_the_start_naming_the_key(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [key] = value });

        string error = await app.StartupFailureAsync();

        Assert.Contains(key, error);
    }

    [Theory]
    [InlineData("Storage:Retention", "00:00:01")]
    [InlineData("Storage:MaxEvents", "10")]
    [InlineData("Storage:PruneBatchSize", "0")]
    public async Task Invalid_retention_options_fail_the_start_naming_the_key(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [key] = value });

        string error = await app.StartupFailureAsync();

        Assert.Contains(key, error);
    }

    [Fact]
    public async Task A_udp_port_in_use_fails_the_start_naming_the_key()
    {
        using var holder = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)holder.Client.LocalEndPoint!).Port;
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Rendezvous:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        string error = await app.StartupFailureAsync();

        Assert.Contains("Rendezvous:Port", error);
        Assert.Contains("in use", error);
    }
}
