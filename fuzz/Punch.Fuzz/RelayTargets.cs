using Punch.Core.Protocol;

namespace Punch.Fuzz;

public static partial class FuzzTargets
{
    /// <summary>The session password every fuzzed RelayActivate request is verified with (the seeds are signed with it).</summary>
    public static byte[] RelayPasswordKey => ConnectivityCheck.PasswordKey("relay-pass");

    private static FuzzTarget[] RelayTargets() =>
    [
        new("relay-activate", "RelayActivateRequest reader and its MESSAGE-INTEGRITY verification; a re-signed rewrite must read and verify", ReadRelayActivate),
        Message<RelayActivateResponse>("relay-activate-response", RelayActivateResponse.TryRead, (m, d) => m.WriteTo(d)),
        Message<RelayClosedIndication>("relay-closed", RelayClosedIndication.TryRead, (m, d) => m.WriteTo(d)),
    ];

    private static void ReadRelayActivate(byte[] input)
    {
        // The server verifies whatever it read (SessionRelay), so both run on every input, accepted or not.
        RelayActivateRequest.Verify(input, RelayPasswordKey);
        if (!RelayActivateRequest.TryRead(input, out var request))
        {
            return;
        }

        var buffer = new byte[WriteBufferLength];
        int length = request.WriteTo(buffer, RelayPasswordKey);
        var rewrite = buffer.AsSpan(0, length);
        if (!RelayActivateRequest.TryRead(rewrite, out _) || !RelayActivateRequest.Verify(rewrite, RelayPasswordKey))
        {
            throw new FuzzPropertyException($"RelayActivateRequest accepted {Convert.ToHexString(input)} but not its own signed rewrite {Convert.ToHexString(rewrite)}");
        }
    }
}
