namespace Punch.Lab.Tests.Topology;

public static class NatKindExtensions
{
    /// <summary>RFC 4787 §4.1: the same mapping for every destination; what makes a server-reflexive candidate usable by anyone.</summary>
    public static bool HasEndpointIndependentMapping(this NatKind kind) => kind != NatKind.Symmetric;

    public static string ShortName(this NatKind kind) => kind switch
    {
        NatKind.FullCone => "FC",
        NatKind.AddressRestricted => "AR",
        NatKind.PortRestricted => "PR",
        _ => "SYM",
    };
}
