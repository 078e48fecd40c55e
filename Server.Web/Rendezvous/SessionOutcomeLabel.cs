namespace Punch.Server.Rendezvous;

/// <summary>The <c>outcome</c> label of <c>punch.sessions</c> and the <c>path</c> label of <c>punch.time_to_path</c>.</summary>
public static class SessionOutcomeLabel
{
    public const string Direct = "direct";
    public const string Relayed = "relayed";
    public const string Failed = "failed";
}
