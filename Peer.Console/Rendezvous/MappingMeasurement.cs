using Punch.Core.Protocol;

namespace Punch.Peer.Rendezvous;

/// <summary>What the mapping probe found, and when it found nothing, why (a sentence for a warning).</summary>
internal sealed record MappingMeasurement(NatMapping Mapping, string? Problem = null);
