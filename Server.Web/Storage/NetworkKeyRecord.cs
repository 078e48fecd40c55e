namespace Punch.Server.Storage;

/// <summary>A network key set by an admin from the dashboard or the API; keys from configuration are not stored.</summary>
public sealed class NetworkKeyRecord
{
    public required string Network { get; set; }

    /// <summary>The key protected with ASP.NET Data Protection (purpose <c>Punch.NetworkKeys.v1</c>), never the key itself.</summary>
    public required string ProtectedKey { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
