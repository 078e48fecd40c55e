namespace Punch.Server.Storage;

/// <summary>Rows one pruner run deleted.</summary>
public readonly record struct PruneResult(long Events, long Sessions, long Peers);
