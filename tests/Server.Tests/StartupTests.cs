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

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => app.CreateClient()).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("ConnectionStrings:Punch", Flatten(error));
    }

    [Fact]
    public async Task Invalid_event_options_fail_the_start()
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Events:WriteRetryDelay"] = "-00:00:01" });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => app.CreateClient()).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Events:WriteRetryDelay", Flatten(error));
    }

    [Theory]
    [InlineData("Rendezvous:Port", "70000")]
    [InlineData("Rendezvous:BindAddress", "not-an-address")]
    [InlineData("Rendezvous:PeerLifetime", "00:00:01")]
    [InlineData("Networks:home:Key", "too short")]
    public async Task Invalid_rendezvous_options_fail_the_start_naming_the_key(string key, string value)
    {
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { [key] = value });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => app.CreateClient()).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains(key, Flatten(error));
    }

    [Fact]
    public async Task A_udp_port_in_use_fails_the_start_naming_the_key()
    {
        using var holder = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        int port = ((System.Net.IPEndPoint)holder.Client.LocalEndPoint!).Port;
        await using var app = new PunchAppFactory(_database, new Dictionary<string, string?> { ["Rendezvous:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => Task.Run(() => app.CreateClient()).WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("Rendezvous:Port", Flatten(error));
        Assert.Contains("in use", Flatten(error));
    }

    private static string Flatten(Exception error) =>
        string.Join(" | ", Enumerate(error).Select(e => e.Message));

    private static IEnumerable<Exception> Enumerate(Exception error)
    {
        yield return error;
        if (error is AggregateException aggregate)
            foreach (var inner in aggregate.InnerExceptions.SelectMany(Enumerate))
                yield return inner;
        else if (error.InnerException is not null)
            foreach (var inner in Enumerate(error.InnerException))
                yield return inner;
    }
}
