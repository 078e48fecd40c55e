using Punch.Lab.Tests.Topology;

// Lab classes share one set of namespaces, the routers' conntrack settings and the internet's loss
// rule, and time-to-connect is measured: they run one after another, never side by side.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Punch.Lab.Tests;

[CollectionDefinition(Name)]
public sealed class NatLabCollection : ICollectionFixture<NatLab>
{
    public const string Name = "NAT lab";
}
