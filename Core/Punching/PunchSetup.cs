using Punch.Core.Protocol;

namespace Punch.Core.Punching;

/// <summary>What a peer learns from an introduction: who it talks to, with which credentials, at which candidates, and both sides' NAT mapping.</summary>
public sealed record PunchSetup(
    SessionId SessionId,
    bool Controlling,
    IceCredentials Local,
    IceCredentials Remote,
    IReadOnlyList<Candidate> RemoteCandidates,
    NatMapping LocalMapping = NatMapping.Unknown,
    NatMapping RemoteMapping = NatMapping.Unknown,
    Discovery.NatBehaviour LocalFiltering = Discovery.NatBehaviour.Unknown,
    Discovery.NatBehaviour RemoteFiltering = Discovery.NatBehaviour.Unknown);
