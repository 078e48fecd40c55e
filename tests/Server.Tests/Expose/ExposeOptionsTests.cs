using Punch.Server.Expose;
using Punch.Tests.Shared;

namespace Punch.Server.Tests.Expose;

public sealed class ExposeOptionsTests
{
    [Theory]
    [InlineData("18000-18100,8443", 18050, true)]
    [InlineData("18000-18100,8443", 8443, true)]
    [InlineData("18000-18100,8443", 18101, false)]
    [InlineData(" 80 , 443 ", 443, true)]
    public void Allowed_ports_are_ranges_and_single_ports(string text, int port, bool allowed)
    {
        Assert.Null(PortRanges.TryParse(text, out var ranges));
        Assert.Equal(allowed, ranges.Contains(port));
    }

    [Theory]
    [InlineData("http", "'http' is not a port")]
    [InlineData("18100-18000", "the range '18100-18000' ends before it starts")]
    [InlineData("0", "'0' is not a port")]
    [InlineData("1-2-3", "'1-2-3' is not a port")]
    public void Bad_allowed_ports_say_which_part_is_wrong(string text, string problem) =>
        Assert.StartsWith(problem, PortRanges.TryParse(text, out _));

    [Theory]
    [InlineData("Expose:AllowedPorts", "18000-17000", "Expose:AllowedPorts: the range '18000-17000' ends before it starts")]
    [InlineData("Expose:ControlPort", "18050", "Expose:ControlPort 18050 is also in Expose:AllowedPorts")]
    [InlineData("Expose:ControlTimeout", "00:00:01", "Expose:ControlTimeout must be at least twice Expose:KeepaliveInterval")]
    [InlineData("Expose:MaxServicesPerAddress", "0", "Expose:MaxServicesPerAddress must be at least 1 (got 0)")]
    [InlineData("Expose:MaxConnectionsPerVisitorAddress", "0", "Expose:MaxConnectionsPerVisitorAddress must be at least 1 (got 0)")]
    [InlineData("Expose:MaxPendingPerAddress", "0", "Expose:MaxPendingPerAddress must be at least 1 (got 0)")]
    [InlineData("Expose:MaxPendingPerAddress", "2000", "Expose:MaxPendingPerAddress must be at most 1024")]
    public async Task A_bad_setting_stops_the_start_naming_the_key(string key, string value, string message)
    {
        using var database = new TempDatabase();
        using var app = new PunchAppFactory(database, new Dictionary<string, string?> { ["Expose:AllowedPorts"] = "18000-18100", [key] = value });

        var said = await app.StartupFailureAsync();

        Assert.Contains(message, said);
    }

    [Fact]
    public void The_ownership_and_per_address_limits_are_on_by_default()
    {
        var defaults = new ExposeOptions();

        Assert.False(defaults.AllowOpenNetworks);
        Assert.Equal((4, 32, 16), (defaults.MaxServicesPerAddress, defaults.MaxConnectionsPerVisitorAddress, defaults.MaxPendingPerAddress));
    }

    [Fact]
    public void Without_allowed_ports_expose_is_off_and_opens_no_port()
    {
        using var database = new TempDatabase();
        using var app = new PunchAppFactory(database);

        var snapshot = ((ExposeView)app.Services.GetService(typeof(ExposeView))!).Snapshot();

        Assert.False(snapshot.Enabled);
        Assert.Null(snapshot.ControlEndPoint);
    }
}
