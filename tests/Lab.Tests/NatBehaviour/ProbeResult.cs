using Punch.Lab.Tests.Topology;

namespace Punch.Lab.Tests.NatBehaviour;

/// <summary>What a probe from one host socket learned about its NAT.</summary>
/// <param name="LocalPort">The host socket's port.</param>
/// <param name="Mapped">Per echo endpoint, the source the echo saw: the NAT's mapping toward it.</param>
/// <param name="ReceivedFrom">Sources of the unsolicited datagrams that the NAT let through to the host.</param>
public sealed record ProbeResult(int LocalPort, IReadOnlyDictionary<string, string> Mapped, IReadOnlySet<string> ReceivedFrom)
{
    public string MappedToFirstEcho => Mapped[NatLab.EchoEndPoints[0]];
}
