namespace Punch.Server.Telemetry;

/// <summary>Label values from enum names, in the snake case Prometheus labels use.</summary>
public static class LabelText
{
    /// <summary>PendingConnectsPerPeer becomes pending_connects_per_peer.</summary>
    public static string SnakeCase<T>(T value) where T : struct, Enum =>
        string.Concat(value.ToString().Select((c, at) => at > 0 && char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>One cached tag per enum value, indexed by the value (the enums are 0, 1, 2, ...).</summary>
    public static KeyValuePair<string, object?>[] TagsOf<T>(string name) where T : struct, Enum =>
        [.. Enum.GetValues<T>().Select(value => new KeyValuePair<string, object?>(name, SnakeCase(value)))];
}
