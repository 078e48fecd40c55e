namespace Punch.Core.PortMapping;

/// <summary>The transport a gateway maps. The values are IANA protocol numbers, as PCP carries them (RFC 6887 §11.1).</summary>
public enum MappedTransport : byte
{
    Tcp = 6,
    Udp = 17,
}
