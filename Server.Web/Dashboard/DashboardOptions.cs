using System.ComponentModel.DataAnnotations;

namespace Punch.Server.Dashboard;

/// <summary>How the dashboard behaves (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// A page reloads from the database at most this often while events arrive: a burst of a thousand
    /// events costs one query, not a thousand.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Events listed on the overview.</summary>
    [Range(1, 500)]
    public int RecentEventCount { get; set; } = 25;

    public static bool HasSaneRefreshInterval(DashboardOptions options) =>
        options.RefreshInterval >= TimeSpan.FromMilliseconds(10) && options.RefreshInterval <= TimeSpan.FromSeconds(30);
}
