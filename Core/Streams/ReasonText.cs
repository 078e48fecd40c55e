using System.Text;

namespace Punch.Core.Streams;

/// <summary>A reason phrase: a length (one byte) and strict UTF-8, at most <see cref="MaxBytes"/>; longer text is cut at a character boundary when written.</summary>
public static class ReasonText
{
    public const int MaxBytes = 200;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public static int EncodedLength(string reason) => 1 + Fit(reason).Length;

    public static int Write(Span<byte> destination, string reason)
    {
        byte[] bytes = Fit(reason);
        destination[0] = (byte)bytes.Length;
        bytes.CopyTo(destination[1..]);
        return 1 + bytes.Length;
    }

    internal static bool TryRead(ReadOnlySpan<byte> source, ref int position, out string reason)
    {
        reason = string.Empty;
        if (position >= source.Length || source[position] > MaxBytes || position + 1 + source[position] > source.Length)
        {
            return false;
        }

        try
        {
            reason = StrictUtf8.GetString(source.Slice(position + 1, source[position]));
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        position += 1 + source[position];
        return true;
    }

    private static byte[] Fit(string reason)
    {
        string text = reason;
        while (Encoding.UTF8.GetByteCount(text) > MaxBytes)
        {
            text = text[..^(char.IsLowSurrogate(text[^1]) && text.Length > 1 ? 2 : 1)];
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
