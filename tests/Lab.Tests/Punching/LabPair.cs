using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.Punching;

/// <summary>
/// Two lab hosts that punch to each other: one behind each of two NATs of the given kinds (instance
/// 0 of the first kind, instance 1 of the second, so same-kind pairs cross two routers), or both
/// behind one NAT. Named "FC-AR", …, "SYM-SYM", "SAME" so test names read as the matrix.
/// </summary>
public sealed record LabPair(string Name, NatKind KindA, NatKind KindB, bool BehindOneNat = false)
{
    public const string SameNatName = "SAME";

    /// <summary>Every unordered pair of kinds, then the two hosts behind one NAT.</summary>
    public static IReadOnlyList<LabPair> All { get; } =
    [
        .. Enum.GetValues<NatKind>().SelectMany(a => Enum.GetValues<NatKind>().Where(b => b >= a).Select(b => new LabPair($"{a.ShortName()}-{b.ShortName()}", a, b))),
        new LabPair(SameNatName, NatKind.PortRestricted, NatKind.PortRestricted, BehindOneNat: true),
    ];

    /// <summary>
    /// What NAT theory allows: a direct path whenever one side has endpoint-independent mapping
    /// (its server-reflexive candidate is valid for the other side too, and the other side's checks
    /// open the way back); two symmetric NATs leave no mapping either side can learn, so the relay
    /// carries them. Behind one NAT, the LAN (host candidates) is the path.
    /// </summary>
    public ExpectedPath Expected => BehindOneNat || KindA.HasEndpointIndependentMapping() || KindB.HasEndpointIndependentMapping()
        ? ExpectedPath.Direct
        : ExpectedPath.Relayed;

    /// <summary>
    /// Port-restricted meets symmetric: the PR side only admits the exact port it sent to, and the
    /// symmetric side's port toward it is new and unknown, so only port prediction makes it direct.
    /// </summary>
    public bool NeedsPortPrediction => !BehindOneNat && new[] { KindA, KindB }.Order().SequenceEqual([NatKind.PortRestricted, NatKind.Symmetric]);

    public static LabPair Named(string name) => All.Single(p => p.Name == name);

    /// <summary>Theory data: the names of the pairs that match.</summary>
    public static TheoryData<string> Names(Func<LabPair, bool> include) => [.. All.Where(include).Select(p => p.Name)];

    public (LabHost A, LabHost B) Hosts(NatLab lab) => BehindOneNat
        ? (lab.SameNat.Hosts[0], lab.SameNat.Hosts[1])
        : (lab.Site(KindA, 0).Hosts[0], lab.Site(KindB, 1).Hosts[0]);

    public Task<PairOutcome> ConnectAsync(NatLab lab, PeerSettings? settings = null)
    {
        var (a, b) = Hosts(lab);
        return PeerPair.ConnectAsync(lab, a, b, settings);
    }

    public override string ToString() => Name;
}
