namespace Punch.Core.PortMapping;

/// <summary>
/// NAT-PMP (RFC 6886): a gateway on the local network maps a port when asked over UDP on port 5351.
/// Version 0; requests are the opcode alone or a fixed 12-byte mapping request, and a response sets the
/// opcode's high bit (RFC 6886 §3.2, §3.3). PCP (RFC 6887) uses the same port with version 2.
/// </summary>
public static class NatPmp
{
    public const int ServerPort = 5351;
    public const byte Version = 0;
    public const byte ExternalAddressOpcode = 0;
    public const byte MapUdpOpcode = 1;
    public const byte MapTcpOpcode = 2;
    public const byte ResponseBit = 0x80;

    /// <summary>RFC 6886 §3.2: version 0, opcode 0; nothing else.</summary>
    public const int ExternalAddressRequestLength = 2;

    public static int WriteExternalAddressRequest(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = ExternalAddressOpcode;
        return ExternalAddressRequestLength;
    }

    internal static byte OpcodeOf(MappedTransport transport) => transport == MappedTransport.Udp ? MapUdpOpcode : MapTcpOpcode;

    internal static bool TryTransportOf(byte opcode, out MappedTransport transport)
    {
        transport = opcode == MapUdpOpcode ? MappedTransport.Udp : MappedTransport.Tcp;
        return opcode is MapUdpOpcode or MapTcpOpcode;
    }
}
