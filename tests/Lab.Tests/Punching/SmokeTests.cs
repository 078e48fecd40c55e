using Punch.Lab.Tests.Topology;
using Xunit.Abstractions;

namespace Punch.Lab.Tests.Punching;

[Collection(NatLabCollection.Name)]
public sealed class SmokeTests(NatLab lab, ITestOutputHelper output)
{
    [Fact]
    public async Task Smoke()
    {
        var outcome = await PeerPair.ConnectAsync(lab, lab.Site(NatKind.PortRestricted, 0).Hosts[0], lab.Site(NatKind.PortRestricted, 1).Hosts[0]);
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.BothDirect, outcome.ToString());
    }
}
