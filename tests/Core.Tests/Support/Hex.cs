namespace Punch.Core.Tests.Support;

/// <summary>Hex strings as tests write them: any whitespace between bytes is ignored, output is lower case.</summary>
internal static class Hex
{
    public static byte[] Parse(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Normalises an expected hex string so it compares with <see cref="Format"/> output.</summary>
    public static string Normalize(string hex) => Format(Parse(hex));
}
