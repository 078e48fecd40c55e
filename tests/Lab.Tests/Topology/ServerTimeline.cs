using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Punch.Lab.Tests.Topology;

/// <summary>
/// The server's events about some peers, read from its SQLite file: when a lab test fails, the
/// peers' output says what they saw, and this says what the server saw and sent (registrations,
/// introductions, reports), which together tell a lost datagram from a wrong decision.
/// </summary>
public static class ServerTimeline
{
    /// <summary>The server writes events in batches: a short wait lets the last ones land.</summary>
    private static readonly TimeSpan WriteLag = TimeSpan.FromSeconds(1);

    public static async Task<string> DescribeAsync(NatLab lab, params string[] peers)
    {
        await Task.Delay(WriteLag);
        var text = new StringBuilder($"server events about {string.Join(", ", peers)}:\n");
        try
        {
            await using var connection = new SqliteConnection($"Data Source={lab.DatabasePath};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            var names = peers.Select((p, i) => $"$p{i}").ToList();
            command.CommandText = $"""
                SELECT At, Kind, Peer, OtherPeer, SessionId, PublicEndpoint, PathKind, RemoteEndpoint, Reason FROM Events
                WHERE Peer IN ({string.Join(',', names)}) OR OtherPeer IN ({string.Join(',', names)}) ORDER BY Id
                """;
            for (int i = 0; i < peers.Length; i++)
            {
                command.Parameters.AddWithValue(names[i], peers[i]);
            }

            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var fields = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture));
                text.AppendLine("  " + string.Join(' ', fields.Where(f => f is not null)));
            }
        }
        catch (SqliteException e)
        {
            text.AppendLine($"  (cannot read {lab.DatabasePath}: {e.Message})");
        }

        return text.ToString();
    }
}
