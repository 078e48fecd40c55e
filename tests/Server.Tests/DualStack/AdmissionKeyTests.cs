using System.Net;
using Punch.Server.Rendezvous;

namespace Punch.Server.Tests.DualStack;

/// <summary>The per-source rate limit counts an IPv6 /64 as one source, and an IPv4 address the same however a dual-mode socket reports it.</summary>
public sealed class AdmissionKeyTests
{
    private static UInt128 Key(string address) => SourceRateLimiter.AdmissionKeyOf(new IPEndPoint(IPAddress.Parse(address), 4000).Serialize());

    [Fact]
    public void Addresses_of_one_IPv6_64_share_a_bucket_and_other_64s_do_not()
    {
        Assert.Equal(Key("2001:db8:1:2::1"), Key("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        Assert.NotEqual(Key("2001:db8:1:2::1"), Key("2001:db8:1:3::1"));
    }

    [Fact]
    public void An_IPv4_source_is_one_bucket_in_either_socket_form_and_neighbours_are_apart()
    {
        Assert.Equal(Key("192.0.2.7"), Key("::ffff:192.0.2.7"));
        Assert.NotEqual(Key("192.0.2.7"), Key("192.0.2.8"));
    }
}
