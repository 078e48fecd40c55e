namespace Punch.Server.Relay;

/// <summary>The <c>reason</c> label of <c>punch.relay.dropped</c>: a fixed set.</summary>
public static class RelayDropReason
{
    public const string ForeignSource = "foreign_source";
    public const string UnknownChannel = "unknown_channel";
    public const string NotForwarding = "not_forwarding";
    public const string Malformed = "malformed";
}
