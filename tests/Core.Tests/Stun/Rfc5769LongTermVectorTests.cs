using System.Security.Cryptography;
using System.Text;
using Punch.Core.Stun;
using Punch.Core.Tests.Support;

namespace Punch.Core.Tests.Stun;

/// <summary>RFC 5769 §2.4: a request with long-term authentication (USERNAME, NONCE, REALM, MESSAGE-INTEGRITY, no FINGERPRINT).</summary>
public sealed class Rfc5769LongTermVectorTests
{
    private static readonly byte[] Request = Hex.Parse("""
        00 01 00 60  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e
        00 06 00 12  e3 83 9e e3  83 88 e3 83  aa e3 83 83  e3 82 af e3  82 b9 00 00
        00 15 00 1c  66 2f 2f 34  39 39 6b 39  35 34 64 36  4f 4c 33 34  6f 4c 39 46  53 54 76 79  36 34 73 41
        00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00
        00 08 00 14  f6 70 24 65  6d d6 4a 3e  02 b8 e0 71  2e 85 c9 a2  8c a8 96 66
        """);

    /// <summary>RFC 8489 §9.2.2: key = MD5(username ":" realm ":" password), here without SASLprep changes (none apply).</summary>
#pragma warning disable CA5351 // RFC 8489 §9.2.2 fixes MD5 for the long-term key; this only checks the RFC's vector.
    private static byte[] LongTermKey(string password) =>
        MD5.HashData(Encoding.UTF8.GetBytes($"\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:{password}"));
#pragma warning restore CA5351

    [Fact]
    public void Long_term_request_verifies_under_the_md5_key()
    {
        Assert.True(StunMessage.TryParse(Request, out var message));
        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.False(message.HasFingerprint);
        Assert.True(message.TryGetString(StunAttributeType.Username, 513, out string username));
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", username);
        Assert.True(message.TryGetString(0x0014, 763, out string realm));
        Assert.Equal("example.org", realm);
        Assert.True(message.VerifyMessageIntegrity(LongTermKey("TheMatrIX")));
        Assert.False(message.VerifyMessageIntegrity(LongTermKey("TheMatrix")));
    }

    [Fact]
    public void A_server_does_not_refuse_the_credential_attributes_of_a_binding_request()
    {
        Assert.True(StunMessage.TryParse(Request, out var message));
        Span<ushort> unknown = stackalloc ushort[4];
        Assert.Equal(Core.Discovery.BindingRequestCheck.Valid, Core.Discovery.BehaviourRequest.Check(message, out _, unknown, out int count));
        Assert.Equal(0, count);
    }
}
