using System.Net;
using Microsoft.Extensions.Options;

namespace Punch.Server.Expose;

/// <summary>Fails the start with a message that names the key to fix.</summary>
public sealed class ExposeOptionsValidator : IValidateOptions<ExposeOptions>
{
    public ValidateOptionsResult Validate(string? name, ExposeOptions options)
    {
        var errors = new List<string>();
        string key = ExposeOptions.SectionName;
        if (PortRanges.TryParse(options.AllowedPorts, out var ports) is { } problem)
        {
            errors.Add($"{key}:AllowedPorts: {problem} (got '{options.AllowedPorts}'; write ports and ranges like 18000-18100,8443).");
        }

        if (options.ControlPort is < 0 or > 65535)
        {
            errors.Add($"{key}:ControlPort must be 0-65535 (got {options.ControlPort}).");
        }
        else if (options.ControlPort != 0 && ports.Contains(options.ControlPort))
        {
            errors.Add($"{key}:ControlPort {options.ControlPort} is also in {key}:AllowedPorts; a peer could not publish on it.");
        }

        if (!IPAddress.TryParse(options.BindAddress, out _))
        {
            errors.Add($"{key}:BindAddress must be an IP address (got '{options.BindAddress}').");
        }

        Positive(errors, $"{key}:MaxServicesPerNetwork", options.MaxServicesPerNetwork);
        Positive(errors, $"{key}:MaxServices", options.MaxServices);
        Positive(errors, $"{key}:MaxConnectionsPerService", options.MaxConnectionsPerService);
        Positive(errors, $"{key}:MaxServicesPerAddress", options.MaxServicesPerAddress);
        Positive(errors, $"{key}:MaxConnectionsPerVisitorAddress", options.MaxConnectionsPerVisitorAddress);
        Positive(errors, $"{key}:MaxPendingPerAddress", options.MaxPendingPerAddress);
        if (options.MaxPendingPerAddress > ExposeServer.MaxHelloConnections)
        {
            errors.Add($"{key}:MaxPendingPerAddress must be at most {ExposeServer.MaxHelloConnections}, the server-wide cap on waiting connections (got {options.MaxPendingPerAddress}).");
        }

        Duration(errors, $"{key}:AttachTimeout", options.AttachTimeout);
        Duration(errors, $"{key}:HelloTimeout", options.HelloTimeout);
        Duration(errors, $"{key}:KeepaliveInterval", options.KeepaliveInterval);
        Duration(errors, $"{key}:ControlTimeout", options.ControlTimeout);
        if (options.ControlTimeout < options.KeepaliveInterval * 2)
        {
            errors.Add($"{key}:ControlTimeout must be at least twice {key}:KeepaliveInterval, so one lost keepalive does not unexpose (got {options.ControlTimeout} and {options.KeepaliveInterval}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, int value)
    {
        if (value < 1)
        {
            errors.Add($"{key} must be at least 1 (got {value}).");
        }
    }

    private static void Duration(List<string> errors, string key, TimeSpan value)
    {
        if (value < TimeSpan.FromMilliseconds(100) || value > TimeSpan.FromHours(1))
        {
            errors.Add($"{key} must be between 00:00:00.1 and 01:00:00 (got {value}).");
        }
    }
}
