namespace Punch.Server.Tests.Published;

/// <summary>
/// A test of the published native <c>punch</c> binary, whose path <c>./test.sh</c> puts in
/// <c>PUNCH_BINARY</c> after publishing it once (Native AOT, a minute of build). Without the variable
/// (a bare <c>dotnet test</c>) the test is skipped with that reason instead of building it itself.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PublishedBinaryFactAttribute : FactAttribute
{
    public const string Variable = "PUNCH_BINARY";

    public PublishedBinaryFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: ./test.sh publishes the native punch binary and sets it";
        }
    }

    public static string BinaryPath => Environment.GetEnvironmentVariable(Variable) ?? throw new InvalidOperationException($"{Variable} is not set");
}
