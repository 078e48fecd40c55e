namespace Punch.Server.Telemetry;

/// <summary>
/// The <c>network</c> label's values: network names come from peers, so the first
/// <see cref="TelemetryOptions.MaxNetworkLabels"/> distinct names get a label of their own and every
/// later one is <see cref="Other"/>. Each label's tag is built once and reused. Thread-safe.
/// </summary>
public sealed class NetworkLabels(int cap)
{
    public const string TagName = "network";
    public const string Other = "other";

    private readonly Dictionary<string, KeyValuePair<string, object?>[]> _tags = new(StringComparer.Ordinal);
    private readonly KeyValuePair<string, object?>[] _other = [new(TagName, Other)];
    private readonly Lock _gate = new();

    public KeyValuePair<string, object?>[] TagsOf(string network)
    {
        lock (_gate)
        {
            if (_tags.TryGetValue(network, out var tags))
            {
                return tags;
            }
            // "other" as a real network name would merge with the overflow; it is counted there on purpose.
            if (_tags.Count >= cap || network == Other)
            {
                return _other;
            }

            tags = [new(TagName, network)];
            _tags.Add(network, tags);
            return tags;
        }
    }
}
