namespace Punch.Server.Storage;

/// <summary>
/// Sessions by the NAT types of their two peers (as the peers reported them when the server introduced
/// them): which pairs go direct, which need the relay, which fail, and how long a direct path takes.
/// </summary>
/// <param name="Types">The NAT types that occur, in <see cref="NatPairQueries.TypeOrder"/>: the matrix's rows and columns.</param>
/// <param name="Cells">One per unordered pair that occurs; (A, B) and (B, A) are the same cell, stored with A first in <paramref name="Types"/>'s order.</param>
/// <param name="SessionsCounted">Sessions counted: the newest <see cref="NatPairQueries.MaxSessions"/> at most.</param>
/// <param name="Capped">True when older sessions were left out by that cap.</param>
public sealed record NatPairMatrix(IReadOnlyList<string> Types, IReadOnlyList<NatPairCell> Cells, int SessionsCounted, bool Capped)
{
    /// <summary>The cell of a pair, in either order; null when no session had that pair.</summary>
    public NatPairCell? Cell(string typeA, string typeB) =>
        Cells.FirstOrDefault(c => (c.TypeA == typeA && c.TypeB == typeB) || (c.TypeA == typeB && c.TypeB == typeA));
}
