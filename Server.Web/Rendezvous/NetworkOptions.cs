using Punch.Core.Protocol;

namespace Punch.Server.Rendezvous;

public sealed class NetworkOptions
{
    /// <summary>
    /// The network key, at least <see cref="MessageAuthentication.MinKeyLength"/> characters. Peers of the
    /// network sign every request with a key derived from it (<c>punch --key</c>); absent: anyone may join.
    /// </summary>
    public string? Key { get; set; }
}
