using System.Net;
using Punch.Core.Discovery;
using Punch.Core.Protocol;

namespace Punch.Core.Tests.Discovery;

/// <summary>The RFC 5780 discovery machine against simulated NATs on a fake clock.</summary>
public sealed class NatDiscoveryTests
{
    private const NatBehaviour EI = NatBehaviour.EndpointIndependent;
    private const NatBehaviour AD = NatBehaviour.AddressDependent;
    private const NatBehaviour APD = NatBehaviour.AddressAndPortDependent;

    [Theory]
    [InlineData(EI, EI)]
    [InlineData(EI, AD)]
    [InlineData(EI, APD)]
    [InlineData(AD, AD)]
    [InlineData(APD, APD)]
    [InlineData(AD, EI)]
    public void Mapping_and_filtering_are_classified(NatBehaviour mapping, NatBehaviour filtering)
    {
        var result = new SimulatedStunPath(new NatModel(mapping, filtering)).Run();

        Assert.Equal(mapping, result.Mapping);
        Assert.Equal(filtering, result.Filtering);
        Assert.Equal(true, result.BehindNat);
        Assert.Equal(SimulatedStunPath.PublicAddress, result.PublicEndPoint!.Address);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void Mapping_tests_wait_for_filtering_so_a_host_wide_address_filter_is_not_opened_early()
    {
        var result = new SimulatedStunPath(new NatModel(EI, AD, FiltersPerHost: true)).Run();
        Assert.Equal(AD, result.Filtering);
    }

    [Fact]
    public void No_nat_is_reported_as_such()
    {
        var result = new SimulatedStunPath(NatModel.None).Run();

        Assert.Equal(false, result.BehindNat);
        Assert.Equal(EI, result.Mapping);
        Assert.Equal(EI, result.Filtering);
        Assert.Equal(true, result.Hairpinning);
        Assert.Equal(true, result.PortPreserved);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Hairpinning_is_seen_only_when_the_nat_turns_packets_around(bool hairpins)
    {
        var result = new SimulatedStunPath(new NatModel(EI, EI, Hairpins: hairpins)).Run();
        Assert.Equal(hairpins, result.Hairpinning);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Port_preservation_compares_the_public_port_with_the_local_one(bool preserves)
    {
        var result = new SimulatedStunPath(new NatModel(EI, APD, PreservesPorts: preserves)).Run();
        Assert.Equal(preserves, result.PortPreserved);
    }

    [Fact]
    public void Lost_requests_are_retransmitted()
    {
        var path = new SimulatedStunPath(new NatModel(AD, AD), dropFirst: 3);
        var result = path.Run();

        Assert.Equal(AD, result.Mapping);
        Assert.Equal(AD, result.Filtering);
    }

    [Fact]
    public void A_silent_server_ends_in_unknowns_within_the_retransmission_bound()
    {
        var path = new SimulatedStunPath(new NatModel(EI, EI), dropFirst: int.MaxValue);
        var started = path.Time.GetUtcNow();
        var options = new DiscoveryOptions { Server = SimulatedStunPath.Primary };
        var result = path.Run(options);

        Assert.Null(result.PublicEndPoint);
        Assert.Equal(NatBehaviour.Unknown, result.Mapping);
        Assert.Equal(NatBehaviour.Unknown, result.Filtering);
        Assert.Contains(result.Notes, n => n.Contains("did not answer", StringComparison.Ordinal));
        Assert.True(path.Time.GetUtcNow() - started < options.OverallLimit);
        Assert.Equal(2 * options.Attempts, path.Sent); // test I on the mapping and the filtering socket, nothing more
    }

    [Fact]
    public void A_server_without_a_second_address_leaves_behaviour_unknown_and_says_why()
    {
        var result = new SimulatedStunPath(new NatModel(EI, EI), serverHasAlternate: false).Run();

        Assert.NotNull(result.PublicEndPoint);
        Assert.Equal(NatBehaviour.Unknown, result.Mapping);
        Assert.Equal(NatBehaviour.Unknown, result.Filtering);
        Assert.Contains(result.Notes, n => n.Contains("OTHER-ADDRESS", StringComparison.Ordinal));
    }

    [Fact]
    public void Lifetime_is_bracketed_by_the_probes()
    {
        var path = new SimulatedStunPath(new NatModel(EI, APD, IdleTimeout: TimeSpan.FromSeconds(30)));
        var options = new DiscoveryOptions { Server = SimulatedStunPath.Primary, LifetimeProbes = DiscoveryOptions.DoublingProbes(TimeSpan.FromSeconds(60)) };
        var result = path.Run(options);

        Assert.Equal(new LifetimeBounds(TimeSpan.FromSeconds(16), TimeSpan.FromSeconds(32)), result.Lifetime);
        Assert.Equal(EI, result.Mapping);
    }

    [Fact]
    public void Lifetime_beyond_the_longest_probe_has_no_upper_bound()
    {
        var path = new SimulatedStunPath(new NatModel(EI, EI));
        var options = new DiscoveryOptions { Server = SimulatedStunPath.Primary, LifetimeProbes = [TimeSpan.FromSeconds(5)] };

        Assert.Equal(new LifetimeBounds(TimeSpan.FromSeconds(5), null), path.Run(options).Lifetime);
    }

    [Theory]
    [InlineData(EI, NatMapping.EndpointIndependent)]
    [InlineData(AD, NatMapping.EndpointDependent)]
    [InlineData(APD, NatMapping.EndpointDependent)]
    [InlineData(NatBehaviour.Unknown, NatMapping.Unknown)]
    public void Registration_reports_the_coarse_mapping(NatBehaviour behaviour, NatMapping expected) =>
        Assert.Equal(expected, behaviour.ToNatMapping());

    [Fact]
    public void Doubling_probes_are_bounded()
    {
        Assert.Equal([2, 4, 8, 16, 32, 60], DiscoveryOptions.DoublingProbes(TimeSpan.FromSeconds(60)).Select(t => (int)t.TotalSeconds));
        Assert.True(DiscoveryOptions.DoublingProbes(TimeSpan.FromDays(365)).Length <= 12);
        Assert.Equal(IPEndPoint.Parse("1.2.3.4:5"), IPEndPoint.Parse("1.2.3.4:5"));
    }
}
