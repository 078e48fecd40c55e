namespace Punch.Browser.Tests;

/// <summary>The server with expose on (control port chosen by the OS).</summary>
public sealed class ExposeDashboardHost : DashboardHost
{
    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Expose:AllowedPorts"] = "1024-65535",
        ["Expose:ControlPort"] = "0",
        ["Expose:BindAddress"] = "127.0.0.1",
        ["Expose:AllowOpenNetworks"] = "true",
    };
}
