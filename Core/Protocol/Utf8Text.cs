using System.Text;

namespace Punch.Core.Protocol;

public static class Utf8Text
{
    /// <summary>Cuts a string to at most <paramref name="maxBytes"/> UTF-8 bytes without splitting a character.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        int length = Math.Clamp(maxBytes, 0, text.Length);
        while (length > 0 && (Encoding.UTF8.GetByteCount(text.AsSpan(0, length)) > maxBytes || char.IsHighSurrogate(text[length - 1])))
        {
            length--;
        }

        return text[..length];
    }
}
