using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore.Query;

namespace Punch.Server.Storage;

/// <summary>
/// <see cref="NatTypes.Name"/> turned around: the sessions whose side A or B has a given NAT type, as a
/// predicate SQLite evaluates (the type is not stored, only the mapping and filtering it comes from).
/// </summary>
public static class NatTypeFilter
{
    /// <summary>Sessions between <paramref name="typeA"/> and <paramref name="typeB"/>, either way round.</summary>
    public static Expression<Func<SessionRecord, bool>> Pair(string typeA, string typeB)
    {
        var session = Expression.Parameter(typeof(SessionRecord), "s");
        var aThenB = Expression.AndAlso(Side(typeA, session, a: true), Side(typeB, session, a: false));
        var bThenA = Expression.AndAlso(Side(typeB, session, a: true), Side(typeA, session, a: false));
        return Expression.Lambda<Func<SessionRecord, bool>>(Expression.OrElse(aThenB, bThenA), session);
    }

    /// <summary>Whether a mapping and a filtering make <paramref name="type"/>; the same cases as <see cref="NatTypes.Name"/>, in the same order.</summary>
    public static Expression<Func<string?, string?, bool>> Of(string type) => type switch
    {
        NatTypes.Symmetric => (mapping, filtering) => mapping == NatMappings.EndpointDependent,
        NatTypes.FullCone => (mapping, filtering) => mapping == NatMappings.EndpointIndependent && filtering == NatFilterings.EndpointIndependent,
        NatTypes.AddressRestrictedCone => (mapping, filtering) => mapping == NatMappings.EndpointIndependent && filtering == NatFilterings.AddressDependent,
        NatTypes.PortRestrictedCone => (mapping, filtering) => mapping == NatMappings.EndpointIndependent && filtering == NatFilterings.AddressAndPortDependent,
        NatTypes.Cone => (mapping, filtering) => mapping == NatMappings.EndpointIndependent
            && (filtering == null || (filtering != NatFilterings.EndpointIndependent && filtering != NatFilterings.AddressDependent && filtering != NatFilterings.AddressAndPortDependent)),
        NatTypes.Unknown => (mapping, filtering) => mapping == null || (mapping != NatMappings.EndpointIndependent && mapping != NatMappings.EndpointDependent),
        _ => throw new ArgumentException($"'{type}' is not a NAT type", nameof(type)),
    };

    /// <summary>Whether <paramref name="type"/> is one of the names <see cref="NatTypes.Name"/> gives.</summary>
    public static bool IsKnown(string? type) => type is NatTypes.Symmetric or NatTypes.FullCone or NatTypes.AddressRestrictedCone
        or NatTypes.PortRestrictedCone or NatTypes.Cone or NatTypes.Unknown;

    private static Expression Side(string type, ParameterExpression session, bool a)
    {
        var predicate = Of(type);
        var mapping = Expression.Property(session, a ? nameof(SessionRecord.NatMappingA) : nameof(SessionRecord.NatMappingB));
        var filtering = Expression.Property(session, a ? nameof(SessionRecord.NatFilteringA) : nameof(SessionRecord.NatFilteringB));
        return ReplacingExpressionVisitor.Replace([predicate.Parameters[0], predicate.Parameters[1]], [mapping, filtering], predicate.Body);
    }
}
