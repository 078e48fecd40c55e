using Punch.Core.Discovery;

namespace Punch.Core.Tests.Discovery;

/// <summary>A NAT model in RFC 4787 terms: mapping (§4.1), filtering (§5), hairpinning (§6), idle mapping lifetime (§4.3).</summary>
/// <param name="FiltersPerHost">Address-dependent filtering that remembers destinations for the whole host, not per mapping (like the lab's address-restricted router).</param>
internal sealed record NatModel(NatBehaviour Mapping, NatBehaviour Filtering, bool Hairpins = false, bool PreservesPorts = true, TimeSpan? IdleTimeout = null, bool FiltersPerHost = false)
{
    public static NatModel None => new(NatBehaviour.Unknown, NatBehaviour.Unknown);
    public bool IsNone => Mapping == NatBehaviour.Unknown;
}
