using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Punch.Tests.Shared;
using Xunit.Abstractions;

namespace Punch.Server.Tests.CrashSafety;

/// <summary>
/// The real server process, started with a setting it must refuse or a port something else holds:
/// it ends with exit code 1 and one line on stderr naming what to fix, never a stack trace, never
/// SIGABRT (134) from an unhandled exception or from a receive thread whose socket went away.
/// </summary>
public sealed class StartupRefusalTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(60);
    private readonly TempDatabase _database = new();
    private readonly int _udpPort = ServerProcess.FreeUdpPort();
    private readonly int _probePort = ServerProcess.FreeUdpPort();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_two_character_admin_password_is_one_line_naming_the_key()
    {
        var refused = await RunAsync("--Dashboard:AdminPassword", "ab");

        AssertOneLineRefusal(refused, "Dashboard:AdminPassword");
    }

    [Fact]
    public async Task Retention_settings_out_of_range_are_one_line_naming_each_key()
    {
        var refused = await RunAsync("--Storage:Retention", "00:00:01", "--Storage:MaxEvents", "5");

        AssertOneLineRefusal(refused, "Storage:Retention", "Storage:MaxEvents");
    }

    [Fact]
    public async Task The_rendezvous_udp_port_in_use_is_one_line_naming_the_key_and_port()
    {
        using var holder = HoldUdp(_udpPort);

        var refused = await RunAsync();

        AssertOneLineRefusal(refused, "Rendezvous:Port", $":{_udpPort}", "in use");
    }

    [Fact]
    public async Task The_alternate_udp_port_in_use_is_one_line_naming_the_key_and_port()
    {
        using var holder = HoldUdp(_probePort);

        var refused = await RunAsync();

        AssertOneLineRefusal(refused, "Rendezvous:AlternatePort", $":{_probePort}", "in use");
    }

    [Fact]
    public async Task The_http_port_in_use_is_one_line_naming_the_address_and_port()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var refused = await RunAsync("--urls", $"http://127.0.0.1:{port}");

        AssertOneLineRefusal(refused, $"127.0.0.1:{port}", "address already in use", "--urls");
    }

    [Fact]
    public async Task The_expose_control_port_in_use_is_one_line_naming_the_key_and_port()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        int port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var refused = await RunAsync("--Expose:AllowedPorts", "41000-41010", "--Expose:BindAddress", "127.0.0.1", "--Expose:ControlPort", port.ToString(CultureInfo.InvariantCulture));

        AssertOneLineRefusal(refused, "Expose:ControlPort", port.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_database_path_that_cannot_be_opened_is_one_line_naming_the_key()
    {
        var refused = await RunAsync("--ConnectionStrings:Punch", "Data Source=/nonexistent-punch-dir/sub/punch.db");

        AssertOneLineRefusal(refused, "ConnectionStrings:Punch", "/nonexistent-punch-dir/sub/punch.db");
    }

    [Fact]
    public async Task A_database_another_process_holds_locked_is_one_line_naming_the_key()
    {
        using (var create = _database.Open())
        {
            using var table = create.CreateCommand();
            table.CommandText = "CREATE TABLE Held (Id INTEGER)";
            table.ExecuteNonQuery();
        }

        // An open write transaction holds the file's lock until this test lets go of it.
        using var holder = _database.Open();
        using var transaction = holder.BeginTransaction();
        using (var write = holder.CreateCommand())
        {
            write.Transaction = transaction;
            write.CommandText = "INSERT INTO Held VALUES (1)";
            write.ExecuteNonQuery();
        }

        var refused = await RunAsync("--Storage:BusyTimeout", "00:00:01");

        AssertOneLineRefusal(refused, "ConnectionStrings:Punch", "locked");
    }

    private Task<RefusedStart> RunAsync(params string[] settings) =>
        ServerProcess.RunUntilExitAsync(_database.Path, _udpPort, _probePort, ExitLimit, settings);

    private void AssertOneLineRefusal(RefusedStart refused, params string[] mustName)
    {
        output.WriteLine($"exit code {refused.ExitCode}; stderr:\n{string.Join('\n', refused.Stderr)}\nstdout:\n{string.Join('\n', refused.Stdout)}");
        Assert.Equal(1, refused.ExitCode);
        Assert.False(refused.HasStackTrace, "the output has a stack trace");
        string line = Assert.Single(refused.StderrLines);
        foreach (var name in mustName)
        {
            Assert.Contains(name, line, StringComparison.Ordinal);
        }
    }

    private static UdpClient HoldUdp(int port) => new(new IPEndPoint(IPAddress.Loopback, port));
}
