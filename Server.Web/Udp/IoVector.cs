using System.Runtime.InteropServices;

namespace Punch.Server.Udp;

/// <summary>Linux <c>struct iovec</c> (LP64): one buffer of a message.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct IoVector
{
    [FieldOffset(0)] public nint Base;
    [FieldOffset(8)] public nuint Length;
}
