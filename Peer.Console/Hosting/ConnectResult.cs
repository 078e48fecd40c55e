using Punch.Core.Protocol;

namespace Punch.Peer.Hosting;

internal sealed record ConnectResult(bool Succeeded, ConnectStatus Status, string? FailureReason);
