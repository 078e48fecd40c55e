namespace Punch.Core.Discovery;

/// <summary>Which question a request asks (RFC 5780 §4 test names).</summary>
internal enum ProbeKind
{
    MappingTestI,
    MappingTestII,
    MappingTestIII,
    FilteringTestI,
    FilteringTestII,
    FilteringTestIII,
    Hairpin,
    LifetimeStart,
    LifetimeCheck,
}
