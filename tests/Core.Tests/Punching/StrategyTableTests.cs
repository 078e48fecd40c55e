using Punch.Core.Discovery;
using Punch.Core.Protocol;
using Punch.Core.Punching;

namespace Punch.Core.Tests.Punching;

/// <summary>
/// <see cref="PunchStrategies.Choose(NatType, NatType)"/> on every combination of both sides' mapping (3 values)
/// and filtering (4 values): 144 pairs, each checked against the table written out below, and both sides of
/// every pair must pick matching strategies (one opens sockets exactly when the other sprays).
/// </summary>
public sealed class StrategyTableTests
{
    private const NatMapping Eim = NatMapping.EndpointIndependent;
    private const NatMapping Edm = NatMapping.EndpointDependent;
    private const NatMapping UnknownMapping = NatMapping.Unknown;
    private const NatBehaviour Ei = NatBehaviour.EndpointIndependent;
    private const NatBehaviour Ad = NatBehaviour.AddressDependent;
    private const NatBehaviour Apd = NatBehaviour.AddressAndPortDependent;
    private const NatBehaviour UnknownFiltering = NatBehaviour.Unknown;

    private static readonly NatMapping[] Mappings = [UnknownMapping, Eim, Edm];
    private static readonly NatBehaviour[] Filterings = [UnknownFiltering, Ei, Ad, Apd];

    public static TheoryData<NatMapping, NatBehaviour, NatMapping, NatBehaviour> AllPairs()
    {
        var data = new TheoryData<NatMapping, NatBehaviour, NatMapping, NatBehaviour>();
        foreach (var localMapping in Mappings)
        {
            foreach (var localFiltering in Filterings)
            {
                foreach (var remoteMapping in Mappings)
                {
                    foreach (var remoteFiltering in Filterings)
                    {
                        data.Add(localMapping, localFiltering, remoteMapping, remoteFiltering);
                    }
                }
            }
        }

        return data;
    }

    /// <summary>The table of the strategy's doc comment, row by row: only the easy (endpoint-independent or unknown) side's filtering matters.</summary>
    private static PunchStrategy Expected(NatMapping localMapping, NatBehaviour localFiltering, NatMapping remoteMapping, NatBehaviour remoteFiltering)
    {
        bool localHard = localMapping == Edm, remoteHard = remoteMapping == Edm;
        if (localHard && remoteHard)
        {
            return PunchStrategy.Impossible;
        }

        if (localHard)
        {
            return remoteFiltering is Ei or Ad ? PunchStrategy.Regular : PunchStrategy.OpenManySockets;
        }

        if (remoteHard)
        {
            return localFiltering is Ei or Ad ? PunchStrategy.Regular : PunchStrategy.SprayPorts;
        }

        return PunchStrategy.Regular;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_combination_follows_the_table(NatMapping localMapping, NatBehaviour localFiltering, NatMapping remoteMapping, NatBehaviour remoteFiltering)
    {
        var chosen = PunchStrategies.Choose(new NatType(localMapping, localFiltering), new NatType(remoteMapping, remoteFiltering));
        Assert.Equal(Expected(localMapping, localFiltering, remoteMapping, remoteFiltering), chosen);
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Both_sides_pick_matching_strategies(NatMapping localMapping, NatBehaviour localFiltering, NatMapping remoteMapping, NatBehaviour remoteFiltering)
    {
        var ours = PunchStrategies.Choose(new NatType(localMapping, localFiltering), new NatType(remoteMapping, remoteFiltering));
        var theirs = PunchStrategies.Choose(new NatType(remoteMapping, remoteFiltering), new NatType(localMapping, localFiltering));
        var mirrored = theirs switch
        {
            PunchStrategy.OpenManySockets => PunchStrategy.SprayPorts,
            PunchStrategy.SprayPorts => PunchStrategy.OpenManySockets,
            _ => theirs,
        };
        Assert.Equal(ours, mirrored);
    }

    // The rows worth naming, as people describe NATs (RFC 4787 mapping + filtering).
    [Theory]
    [InlineData(Edm, Apd, Eim, Ei, PunchStrategy.Regular)]               // symmetric vs full cone: no spray
    [InlineData(Edm, Apd, Eim, Ad, PunchStrategy.Regular)]               // symmetric vs address-restricted cone
    [InlineData(Edm, Apd, Eim, Apd, PunchStrategy.OpenManySockets)]      // symmetric vs port-restricted cone: birthday attack
    [InlineData(Edm, Apd, Eim, UnknownFiltering, PunchStrategy.OpenManySockets)] // the peer did not report its filtering: as before
    [InlineData(Eim, Apd, Edm, Apd, PunchStrategy.SprayPorts)]           // port-restricted cone vs symmetric
    [InlineData(Eim, Ei, Edm, Apd, PunchStrategy.Regular)]               // full cone vs symmetric
    [InlineData(Eim, Apd, Eim, Apd, PunchStrategy.Regular)]              // port-restricted vs port-restricted: simultaneous open
    [InlineData(Edm, Ei, Edm, Ei, PunchStrategy.Impossible)]             // symmetric vs symmetric, whatever the filters
    [InlineData(UnknownMapping, UnknownFiltering, UnknownMapping, UnknownFiltering, PunchStrategy.Regular)]
    public void Named_rows(NatMapping localMapping, NatBehaviour localFiltering, NatMapping remoteMapping, NatBehaviour remoteFiltering, PunchStrategy expected) =>
        Assert.Equal(expected, PunchStrategies.Choose(new NatType(localMapping, localFiltering), new NatType(remoteMapping, remoteFiltering)));

    [Theory]
    [InlineData(Edm, Eim)]
    [InlineData(Eim, Edm)]
    [InlineData(Edm, Edm)]
    [InlineData(Eim, Eim)]
    public void Mapping_only_is_the_table_with_unknown_filtering(NatMapping local, NatMapping remote) =>
        Assert.Equal(PunchStrategies.Choose(new NatType(local, UnknownFiltering), new NatType(remote, UnknownFiltering)), PunchStrategies.Choose(local, remote));
}
