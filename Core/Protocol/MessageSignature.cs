namespace Punch.Core.Protocol;

/// <summary>How to sign one message of a keyed network: the derived key and the moment of signing.</summary>
public readonly record struct MessageSignature(ReadOnlyMemory<byte> Key, DateTimeOffset SignedAt);
