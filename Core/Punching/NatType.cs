using Punch.Core.Discovery;
using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>A side's NAT as far as punching cares: its mapping (RFC 4787 §4.1) and filtering (§5) behaviour.</summary>
public readonly record struct NatType(NatMapping Mapping, NatBehaviour Filtering = NatBehaviour.Unknown);
