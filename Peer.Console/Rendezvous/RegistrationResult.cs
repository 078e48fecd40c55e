using System.Net;

namespace Punch.Peer.Rendezvous;

internal sealed record RegistrationResult(bool Succeeded, IPEndPoint? PublicEndPoint, string? FailureReason);
