using Punch.Server.Dashboard.Shared;
using Punch.Server.Storage;

namespace Punch.Server.Tests.DualStack;

/// <summary>What the dashboard says about a session's candidate kinds and families, and a peer's families.</summary>
public sealed class CandidateFamiliesTests
{
    private static SessionView Session(string? pathKind, string? remoteA, string? remoteB, params string[] candidates) => new(
        "7f3a9c21e0b4d5f6", "default", "alice", "bob", SessionState.Direct, pathKind, remoteA, remoteB,
        DateTimeOffset.UnixEpoch, null, null, null, null, null, 0, 0, null, null, null, candidates);

    [Fact]
    public void A_direct_session_shows_what_was_tried_and_which_kind_and_family_each_side_went_to()
    {
        var session = Session("direct", "[2001:db8:2::2]:4000", "198.51.100.9:5000",
            "bob srflx 203.0.113.20:4000", "bob host [2001:db8:2::2]:4000",
            "alice srflx 203.0.113.10:5000", "alice host [2001:db8:1::2]:5000");

        Assert.Equal(["srflx v4", "host v6"], CandidateFamilies.Tried(session));
        Assert.Equal("host v6", CandidateFamilies.Won(session, "alice"));
        // Not an offered candidate: learned from a check.
        Assert.Equal("prflx v4", CandidateFamilies.Won(session, "bob"));
    }

    [Fact]
    public void A_relayed_session_won_the_relay_in_the_family_of_the_server_address_used()
    {
        var session = Session("relayed", "[2001:db8::1]:3478", "203.0.113.1:3478", "bob srflx [2001:db8:3::2]:4000", "alice srflx 203.0.113.10:5000");

        Assert.Equal("relay v6", CandidateFamilies.Won(session, "alice"));
        Assert.Equal("relay v4", CandidateFamilies.Won(session, "bob"));
    }

    [Fact]
    public void A_peer_shows_every_family_of_its_public_endpoint_and_host_candidates()
    {
        var dual = new PeerView("default", "alice", "203.0.113.10:5000", ["198.18.1.2:5000", "[2001:db8:1::2]:5000"], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true, null);
        var v6Only = new PeerView("default", "bob", "[2001:db8:3::2]:4000", ["[2001:db8:3::2]:4000"], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, true, null);

        Assert.Equal("v4 + v6", CandidateFamilies.Of(dual));
        Assert.Equal("v6", CandidateFamilies.Of(v6Only));
    }
}
