namespace Punch.Server.Tests.Limits;

/// <summary>The flood runs alone (after the parallel tests), so its load cannot slow other tests into timeouts.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodCollection
{
    public const string Name = "Flood";
}
