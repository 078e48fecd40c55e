namespace Punch.Server.Rendezvous;

/// <summary>One of the up to four sockets of RFC 5780 §4.1: (primary or alternate address) × (primary or alternate port).</summary>
public readonly record struct ListenerCell(bool AlternateAddress, bool AlternatePort)
{
    public static ListenerCell Primary => default;

    /// <summary>The cell a CHANGE-REQUEST asks for, relative to where the request arrived (RFC 5780 §6.1, table 1).</summary>
    public ListenerCell Changed(bool changeAddress, bool changePort) => new(AlternateAddress ^ changeAddress, AlternatePort ^ changePort);

    /// <summary>OTHER-ADDRESS is always the address and port the request did not reach (RFC 5780 §6.1, table 1: Ca:Cp).</summary>
    public ListenerCell Other => new(!AlternateAddress, !AlternatePort);

    public override string ToString() => $"{(AlternateAddress ? "alternate" : "primary")} address, {(AlternatePort ? "alternate" : "primary")} port";
}
