namespace Punch.Server.Security;

/// <summary>Where a network's key comes from.</summary>
public enum NetworkKeySource
{
    /// <summary>The network is open.</summary>
    None,
    /// <summary><c>Networks:&lt;name&gt;:Key</c> in configuration; the dashboard can override it but not remove it.</summary>
    Configuration,
    /// <summary>Set by an admin from the dashboard or the API, stored (encrypted) in the database.</summary>
    Admin,
}
