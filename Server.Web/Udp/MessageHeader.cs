using System.Runtime.InteropServices;

namespace Punch.Server.Udp;

/// <summary>
/// Linux <c>struct mmsghdr</c> on a 64-bit (LP64) target: a <c>struct msghdr</c> (56 bytes with its tail
/// padding) followed by <c>msg_len</c>. Explicit offsets because a flattened sequential struct would put
/// <c>msg_len</c> at 52, inside msghdr's padding. Batching is used only where <see cref="IntPtr.Size"/> is 8.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
internal struct MessageHeader
{
    /// <summary>msg_name: where the kernel writes the source (receive) or reads the destination (send).</summary>
    [FieldOffset(0)] public nint Name;
    [FieldOffset(8)] public uint NameLength;
    [FieldOffset(16)] public nint IoVectors;
    [FieldOffset(24)] public nuint IoVectorCount;
    [FieldOffset(32)] public nint Control;
    [FieldOffset(40)] public nuint ControlLength;
    [FieldOffset(48)] public int Flags;

    /// <summary>msg_len: bytes received or sent for this message.</summary>
    [FieldOffset(56)] public uint Length;
}
