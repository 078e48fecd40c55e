using System.Globalization;
using MudBlazor;
using Punch.Server.Events;
using Punch.Server.Storage;

namespace Punch.Server.Dashboard.Shared;

/// <summary>How values read on the dashboard: one place, so every page formats alike.</summary>
public static class Display
{
    public const string None = "—";

    public static string Time(DateTimeOffset? at) =>
        at is { } value ? value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : None;

    public static string Milliseconds(double? ms) =>
        ms is { } value ? value.ToString(value < 10 ? "0.##" : "0.#", CultureInfo.InvariantCulture) + " ms" : None;

    public static string Percent(double? share) =>
        share is { } value ? value.ToString("0.#%", CultureInfo.InvariantCulture) : None;

    /// <summary>A byte count in the unit that reads best (1000-based, as network rates are).</summary>
    public static string Bytes(long? bytes) => bytes switch
    {
        null => None,
        < 10_000 => $"{bytes} B",
        < 10_000_000 => (bytes.Value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + " kB",
        < 10_000_000_000 => (bytes.Value / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + " MB",
        _ => (bytes.Value / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + " GB",
    };

    public static string Text(string? value) => string.IsNullOrEmpty(value) ? None : value;

    public static Color StateColor(SessionState state) => state switch
    {
        SessionState.Direct => Color.Success,
        SessionState.Relayed => Color.Secondary,
        SessionState.Failed => Color.Error,
        SessionState.Closed => Color.Default,
        SessionState.Punching => Color.Warning,
        _ => Color.Info,
    };

    public static Color KindColor(PunchEventKind kind) => kind switch
    {
        PunchEventKind.PathUp or PunchEventKind.PathChanged or PunchEventKind.Registered => Color.Success,
        PunchEventKind.Failed or PunchEventKind.Rejected or PunchEventKind.RelayLimit => Color.Error,
        PunchEventKind.RelayAllocated or PunchEventKind.RelayActivated or PunchEventKind.RelayReleased => Color.Secondary,
        PunchEventKind.Expired or PunchEventKind.Unregistered or PunchEventKind.Closed => Color.Default,
        PunchEventKind.Punching or PunchEventKind.ChecksSummary => Color.Warning,
        _ => Color.Info,
    };

    /// <summary>One line saying what an event carried beyond its kind and peers.</summary>
    public static string Details(StoredEvent e)
    {
        var parts = new List<string>();
        if (e.PublicEndpoint is not null)
        {
            parts.Add($"public {e.PublicEndpoint}");
        }

        if (e.Kind == PunchEventKind.Introduced)
        {
            parts.Add($"NAT {NatDisplay.Pair(e.NatMapping, e.OtherNatMapping)}");
        }
        else if (e.NatMapping is not null)
        {
            parts.Add($"NAT {NatDisplay.Label(e.NatMapping)}");
        }

        if (e.PathKind is not null)
        {
            parts.Add(e.PathKind);
        }

        if (e.RemoteEndpoint is not null)
        {
            parts.Add($"to {e.RemoteEndpoint}");
        }

        if (e.ElapsedMs is not null)
        {
            parts.Add($"after {Milliseconds(e.ElapsedMs)}");
        }

        if (e.RttMs is not null)
        {
            parts.Add($"rtt {Milliseconds(e.RttMs)}");
        }

        if (e.ChecksSent is not null || e.ChecksReceived is not null)
        {
            parts.Add($"checks {e.ChecksSent ?? 0} sent / {e.ChecksReceived ?? 0} received");
        }

        if (e.Candidates is { Count: > 0 })
        {
            parts.Add($"{e.Candidates.Count} candidates");
        }

        if (e.RelayChannel is { } channel)
        {
            parts.Add($"channel 0x{channel:X4}");
        }

        if (e.RelayBytes is > 0)
        {
            parts.Add($"{Bytes(e.RelayBytes)} relayed by the server");
        }

        if (e.BytesDirect is not null || e.BytesRelayed is not null)
        {
            parts.Add($"sent {Bytes(e.BytesDirect)} direct / {Bytes(e.BytesRelayed)} relayed");
        }

        if (e.Reason is not null)
        {
            parts.Add(e.Reason);
        }

        return string.Join(" · ", parts);
    }
}
