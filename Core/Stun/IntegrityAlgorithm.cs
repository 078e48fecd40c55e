namespace Punch.Core.Stun;

/// <summary>The two HMACs STUN messages carry (RFC 8489 §14.5 and §14.6).</summary>
internal enum IntegrityAlgorithm
{
    Sha1,
    Sha256,
}
