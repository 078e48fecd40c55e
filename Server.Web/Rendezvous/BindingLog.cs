namespace Punch.Server.Rendezvous;

internal static partial class BindingLog
{
    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "RFC 5780 NAT behaviour discovery on {Cells}")]
    public static partial void Discovery(ILogger logger, IEnumerable<System.Net.IPEndPoint> cells);

    [LoggerMessage(EventId = 121, Level = LogLevel.Warning, Message = "No Rendezvous:AlternateAddress: CHANGE-REQUEST asking for another address is answered 420 (RFC 5780 §6.1), so clients cannot tell filtering or address-dependent mapping apart")]
    public static partial void NoAlternateAddress(ILogger logger);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Rendezvous:BindAddress is the wildcard: Binding answers carry no RESPONSE-ORIGIN or OTHER-ADDRESS (the local address is unknown); set it to the public address for RFC 5780 clients")]
    public static partial void WildcardBind(ILogger logger);
}
