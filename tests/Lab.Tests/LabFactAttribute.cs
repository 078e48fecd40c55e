namespace Punch.Lab.Tests;

/// <summary>
/// A NAT lab test: it builds network namespaces and nftables rules, which only root may do. Run by
/// anyone else (a plain <c>dotnet test Punch.sln</c>) it is skipped with <see cref="RootRequired"/>
/// instead of failing; <c>./test.sh</c> and CI run as root and run it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LabFactAttribute : FactAttribute
{
    public const string RootRequired = "the NAT lab needs root (network namespaces, nftables): run sudo dotnet test tests/Lab.Tests, or ./test.sh as root";

    public LabFactAttribute()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Skip = RootRequired;
        }
    }
}
