namespace Punch.Core.Protocol;

/// <summary>What a signature check found.</summary>
public enum SignatureCheck
{
    /// <summary>MESSAGE-INTEGRITY-SHA256 verifies under the key and a TIMESTAMP is inside what it covers.</summary>
    Valid,
    /// <summary>No MESSAGE-INTEGRITY-SHA256, or no TIMESTAMP under it.</summary>
    Unsigned,
    /// <summary>Signed, but not with this key.</summary>
    WrongKey,
}
